import { graphql } from '../gql';

export const updateRankSettingsMutation = graphql(`
  mutation UpdateRankSettings($input: UpdateRankSettingsInput!) {
    updateRankSettings(input: $input) {
      rank {
        id
        repCount
        currentSettings {
          id
          ...RankSettingsFields
        }
        latestSettings {
          id
          ...RankSettingsFields
        }
        versions {
          id
          ...RankSettingsFields
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
