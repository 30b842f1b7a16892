import { graphql } from '../gql';

export const signInMutation = graphql(`
  mutation SignIn($username: String!, $password: String!) {
    signIn(username: $username, password: $password) {
      csrfToken
      me {
        username
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const signOutMutation = graphql(`
  mutation SignOut {
    signOut {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);
