import { graphql } from '../gql';

export const userFieldsFragment = graphql(`
  fragment UserFields on User {
    id
    username
    displayName
    role
    scopeOrgId
    repId
    version
  }
`);

export const usersQuery = graphql(`
  query Users {
    users {
      ...UserFields
    }
    orgUnits {
      ...OrgUnitFields
    }
  }
`);

export const repSearchQuery = graphql(`
  query RepSearch($search: String) {
    reps(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export const apiTokenFieldsFragment = graphql(`
  fragment ApiTokenFields on ApiToken {
    id
    name
    prefix
    actions
    expiresAt
    revokedAt
    lastUsedAt
    createdAt
  }
`);

export const apiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens {
      ...ApiTokenFields
    }
    orgUnits {
      ...OrgUnitFields
    }
  }
`);
