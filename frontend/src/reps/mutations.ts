import { graphql } from '../gql';

export const changeRepRankMutation = graphql(`
  mutation ChangeRepRank($input: ChangeRepRankInput!) {
    changeRepRank(input: $input) {
      rep {
        id
        version
        rank {
          id
          code
          name
          level
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
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const transferRepMutation = graphql(`
  mutation TransferRep($input: TransferRepInput!) {
    transferRep(input: $input) {
      rep {
        id
        version
        team {
          id
          name
          code
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
