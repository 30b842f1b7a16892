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

export const createRankMutation = graphql(`
  mutation CreateRank($input: CreateRankInput!) {
    createRank(input: $input) {
      rank {
        id
        code
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const updateRankMutation = graphql(`
  mutation UpdateRank($input: UpdateRankInput!) {
    updateRank(input: $input) {
      rank {
        id
        name
        description
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
