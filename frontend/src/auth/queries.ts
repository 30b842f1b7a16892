import { graphql } from '../gql';

export const meQuery = graphql(`
  query Me {
    me {
      username
      displayName
      role
      actions
      via
      repId
      scopeOrgUnit {
        id
        name
      }
    }
  }
`);
