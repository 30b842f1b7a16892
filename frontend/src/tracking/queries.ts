import { graphql } from '../gql';

export const progressFiguresFragment = graphql(`
  fragment ProgressFiguresFields on ProgressFigures {
    reps
    actual
    expected
    target
    projected
    pace
    attainment
    projectedAttainment
    shareProjected
    shareOnPace
    designPoint
  }
`);

export const repProgressRowFragment = graphql(`
  fragment RepProgressRowFields on RepProgressRow {
    repId
    name
    teamId
    teamName
    rankCode
    actual
    expected
    target
    pace
    attainment
    projected
    projectedAttainment
    probability
    planProbability
  }
`);

export const weekProgressFragment = graphql(`
  fragment WeekProgressFields on WeekProgress {
    start
    end
    actual
    expected
    cumulativeActual
    cumulativeExpected
  }
`);

export const trackingDashboardQuery = graphql(`
  query TrackingDashboard($orgUnitId: ID, $atRiskOffset: Int!, $membersOffset: Int!) {
    trackingDashboard(orgUnitId: $orgUnitId) {
      planId
      planName
      metricCode
      asOf
      elapsedMonths
      periodMonths
      headline {
        node {
          id
          name
          kind
        }
        figures {
          ...ProgressFiguresFields
        }
        atRiskCount
      }
      trail {
        id
        name
        kind
      }
      children {
        node {
          id
          name
          kind
        }
        figures {
          ...ProgressFiguresFields
        }
        atRiskCount
      }
      ranks {
        rankId
        code
        name
        level
        figures {
          ...ProgressFiguresFields
        }
        paceBuckets
        projectedBuckets
      }
      bucketEdges
      atRisk(offset: $atRiskOffset, limit: 10) {
        totalCount
        items {
          ...RepProgressRowFields
        }
      }
      members(offset: $membersOffset, limit: 50) {
        totalCount
        items {
          ...RepProgressRowFields
        }
      }
      weeks {
        ...WeekProgressFields
      }
    }
    metrics {
      code
      name
      unit
    }
  }
`);

export const repProgressQuery = graphql(`
  query RepProgress($repId: ID!) {
    repProgress(repId: $repId) {
      planId
      planName
      metricCode
      asOf
      elapsedMonths
      progress {
        ...RepProgressRowFields
      }
      months {
        month
        target
        actual
      }
      weeks {
        ...WeekProgressFields
      }
    }
    metrics {
      code
      name
      unit
    }
  }
`);
