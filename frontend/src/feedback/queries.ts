import { graphql } from '../gql';

export const targetFeedbackFieldsFragment = graphql(`
  fragment TargetFeedbackFields on TargetFeedback {
    id
    planId
    repId
    repName
    metric
    authorRole
    author
    rating
    tags
    comment
    response
    respondedBy
    respondedAt
    createdAt
    version
  }
`);

export const targetFeedbackQuery = graphql(`
  query TargetFeedback($planId: ID!, $repId: ID, $metric: String, $limit: Int!, $offset: Int!) {
    targetFeedback(planId: $planId, repId: $repId, metric: $metric, limit: $limit, offset: $offset) {
      totalCount
      items {
        ...TargetFeedbackFields
      }
    }
  }
`);

export const feedbackSummaryQuery = graphql(`
  query FeedbackSummary($planId: ID!, $by: FeedbackGrouping!, $metric: String!) {
    feedbackSummary(planId: $planId, by: $by, metric: $metric) {
      key
      label
      count
      tooLow
      fair
      tooHigh
      unreachable
      shareTooHigh
      topTags {
        tag
        count
      }
      respondedShare
    }
  }
`);

export const feedbackPlanQuery = graphql(`
  query FeedbackPlan($id: ID!) {
    plan(id: $id) {
      id
      name
      status
      goals {
        metricCode
        isScope
      }
    }
    metrics {
      code
      name
      kind
    }
  }
`);
