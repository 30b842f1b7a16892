import { graphql } from '../gql';

export const dashboardOverviewQuery = graphql(`
  query DashboardOverview {
    orgUnits {
      id
      kind
    }
    ranks {
      id
      code
      name
      level
      repCount
    }
    regions {
      id
    }
    metrics {
      id
      code
      name
      kind
      unit
      isInteger
      description
    }
    reps(first: 1) {
      totalCount
    }
  }
`);
