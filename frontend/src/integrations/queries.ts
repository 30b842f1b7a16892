import { graphql } from '../gql';

export const webhookEndpointFieldsFragment = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    eventTypes
    scopeOrgId
    active
    createdBy
    createdAt
  }
`);

export const webhookDeliveryFieldsFragment = graphql(`
  fragment WebhookDeliveryFields on WebhookDelivery {
    id
    endpointId
    messageId
    eventType
    state
    attempts
    lastError
    lastStatus
    createdAt
    deliveredAt
  }
`);

export const webhookEndpointsQuery = graphql(`
  query WebhookEndpoints {
    webhookEndpoints {
      ...WebhookEndpointFields
    }
    orgUnits {
      ...OrgUnitFields
    }
  }
`);

export const webhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($state: WebhookDeliveryState, $limit: Int!, $offset: Int!) {
    webhookDeliveries(state: $state, limit: $limit, offset: $offset) {
      items {
        ...WebhookDeliveryFields
      }
      totalCount
    }
  }
`);

export const jobFieldsFragment = graphql(`
  fragment JobFields on Job {
    id
    kind
    state
    attempts
    maxAttempts
    runAfter
    lockedBy
    lastError
    createdAt
    finishedAt
  }
`);

export const jobsQuery = graphql(`
  query Jobs($state: JobState, $limit: Int!, $offset: Int!) {
    jobs(state: $state, limit: $limit, offset: $offset) {
      items {
        ...JobFields
      }
      totalCount
    }
  }
`);
