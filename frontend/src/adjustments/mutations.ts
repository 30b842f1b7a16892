import { graphql } from '../gql';

export const requestAdjustmentMutation = graphql(`
  mutation RequestAdjustment($input: AdjustmentInput!, $attachment: Upload) {
    requestAdjustment(input: $input, attachment: $attachment) {
      request {
        ...AdjustmentRequestFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const decideAdjustmentMutation = graphql(`
  mutation DecideAdjustment($input: DecideAdjustmentInput!) {
    decideAdjustment(input: $input) {
      request {
        ...AdjustmentRequestFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const withdrawAdjustmentMutation = graphql(`
  mutation WithdrawAdjustment($requestId: ID!, $expectedVersion: Int!) {
    withdrawAdjustment(requestId: $requestId, expectedVersion: $expectedVersion) {
      request {
        ...AdjustmentRequestFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
