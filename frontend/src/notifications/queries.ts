import { graphql } from '../gql';

export const notificationFieldsFragment = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    subject
    body
    alertId
    createdAt
    readAt
  }
`);

export const inboxQuery = graphql(`
  query Inbox($limit: Int!, $offset: Int!, $unreadOnly: Boolean!) {
    inbox(limit: $limit, offset: $offset, unreadOnly: $unreadOnly) {
      items {
        ...NotificationFields
      }
      totalCount
      unreadCount
    }
  }
`);

export const notificationPreferencesQuery = graphql(`
  query NotificationPreferences {
    notificationPreferences {
      inApp
      email
    }
  }
`);
