import { graphql } from '../gql';

export const notificationsSubscription = graphql(`
  subscription NewNotifications {
    notifications {
      ...NotificationFields
    }
  }
`);
