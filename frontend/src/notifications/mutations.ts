import { graphql } from '../gql';

export const markNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      marked
      unreadCount
      errors {
        field
        code
        message
      }
    }
  }
`);

export const setNotificationPreferenceMutation = graphql(`
  mutation SetNotificationPreference($input: SetNotificationPreferenceInput!) {
    setNotificationPreference(input: $input) {
      preferences {
        inApp
        email
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
