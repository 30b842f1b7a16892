import { graphql } from '../gql';

export const createWebhookEndpointMutation = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        ...WebhookEndpointFields
      }
      secret
      errors {
        field
        code
        message
      }
    }
  }
`);

export const deactivateWebhookEndpointMutation = graphql(`
  mutation DeactivateWebhookEndpoint($input: WebhookEndpointInput!) {
    deactivateWebhookEndpoint(input: $input) {
      endpoint {
        ...WebhookEndpointFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const replayWebhookDeliveryMutation = graphql(`
  mutation ReplayWebhookDelivery($input: WebhookDeliveryInput!) {
    replayWebhookDelivery(input: $input) {
      delivery {
        ...WebhookDeliveryFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const retryJobMutation = graphql(`
  mutation RetryJob($input: RetryJobInput!) {
    retryJob(input: $input) {
      job {
        ...JobFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
