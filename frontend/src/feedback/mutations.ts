import { graphql } from '../gql';

export const giveFeedbackMutation = graphql(`
  mutation GiveFeedback($input: GiveFeedbackInput!) {
    giveFeedback(input: $input) {
      feedback {
        ...TargetFeedbackFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const respondToFeedbackMutation = graphql(`
  mutation RespondToFeedback($input: RespondToFeedbackInput!) {
    respondToFeedback(input: $input) {
      feedback {
        ...TargetFeedbackFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
