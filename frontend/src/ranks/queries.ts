import { graphql } from '../gql';

export const metricFieldsFragment = graphql(`
  fragment MetricFields on Metric {
    id
    code
    name
    kind
    unit
    isInteger
  }
`);

export const rankSettingsFieldsFragment = graphql(`
  fragment RankSettingsFields on RankSettings {
    id
    version
    effectiveFrom
    createdAt
    createdBy
    note
    promotionThreshold
    promotionQuarters
    minTenureMonths
    demotionThreshold
    demotionQuarters
    metrics {
      metric {
        id
        ...MetricFields
      }
      weight
      baseline
      floorMultiplier
      ceilingMultiplier
    }
  }
`);

export const rankLadderQuery = graphql(`
  query RankLadder {
    ranks {
      id
      code
      name
      level
      description
      repCount
      currentSettings {
        id
        ...RankSettingsFields
      }
      latestSettings {
        id
        ...RankSettingsFields
      }
    }
    metrics {
      ...MetricFields
    }
  }
`);

export const rankVersionsQuery = graphql(`
  query RankVersions($id: ID!) {
    rank(id: $id) {
      id
      code
      name
      currentSettings {
        id
        version
      }
      latestSettings {
        id
        version
      }
      versions {
        id
        ...RankSettingsFields
      }
    }
  }
`);
