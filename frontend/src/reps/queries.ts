import { graphql } from '../gql';

export const repListQuery = graphql(`
  query RepList($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {
    reps(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          externalId
          name
          territory
          hireDate
          leaveDate
          tenureMonths
          team {
            id
            name
          }
          rank {
            id
            code
            name
            level
          }
          region {
            id
            code
            name
          }
        }
      }
    }
  }
`);

export const repFilterOptionsQuery = graphql(`
  query RepFilterOptions {
    orgUnits {
      ...OrgUnitFields
    }
    ranks {
      id
      code
      name
      level
    }
    regions {
      id
      code
      name
    }
  }
`);

export const repDetailsQuery = graphql(`
  query RepDetails($id: ID!) {
    rep(id: $id) {
      id
      externalId
      name
      territory
      hireDate
      leaveDate
      tenureMonths
      version
      team {
        id
        name
        code
      }
      rank {
        id
        code
        name
        level
      }
      region {
        id
        code
        name
        marketPotential
      }
      rankHistory {
        rank {
          id
          code
          name
        }
        effectiveFrom
        reason
      }
      actuals {
        month
        metricCode
        value
      }
    }
    metrics {
      id
      code
      name
      kind
      unit
      isInteger
    }
    ranks {
      id
      code
      name
      level
    }
    orgUnits {
      ...OrgUnitFields
    }
  }
`);
