import { graphql } from '../gql';

export const adjustmentMoveFragment = graphql(`
  fragment AdjustmentMoveFields on AdjustmentMove {
    repId
    rep {
      id
      name
    }
    role
    before
    after
    totalBefore
    totalAfter
    probabilityBefore
    probabilityAfter
    actualToDate
  }
`);

export const adjustmentProposalFragment = graphql(`
  fragment AdjustmentProposalFields on AdjustmentProposal {
    metric
    months
    effectiveMonth
    requestedTotal
    sameDifficultyTotal
    goalRelief
    subject {
      ...AdjustmentMoveFields
    }
    absorbers {
      ...AdjustmentMoveFields
    }
  }
`);

export const adjustmentRequestFragment = graphql(`
  fragment AdjustmentRequestFields on AdjustmentRequest {
    id
    planId
    metric
    kind
    reason
    reasonText
    effectiveDate
    policy
    status
    requestedBy
    createdAt
    subjectRepId
    subjectRep {
      id
      name
    }
    proposal {
      requestedTotal
      sameDifficultyTotal
      subject {
        totalBefore
      }
    }
    goalRelief
    decidedBy
    decidedAt
    decisionReason
    version
  }
`);

export const adjustmentRequestsQuery = graphql(`
  query AdjustmentRequests($toDecide: Boolean!, $statuses: [AdjustmentStatus!], $limit: Int!, $offset: Int!) {
    adjustmentRequests(toDecide: $toDecide, statuses: $statuses, limit: $limit, offset: $offset) {
      items {
        ...AdjustmentRequestFields
      }
      totalCount
    }
  }
`);

export const adjustmentRequestQuery = graphql(`
  query AdjustmentRequest($id: ID!) {
    adjustmentRequest(id: $id) {
      ...AdjustmentRequestFields
      proposal {
        ...AdjustmentProposalFields
      }
      lines {
        repId
        month
        role
        before
        proposed
        approved
      }
    }
  }
`);

export const adjustmentAttachmentQuery = graphql(`
  query AdjustmentAttachment($requestId: ID!) {
    adjustmentAttachment(requestId: $requestId) {
      fileName
      contentType
      base64
    }
  }
`);

export const previewAdjustmentQuery = graphql(`
  query PreviewAdjustment($input: AdjustmentInput!) {
    previewAdjustment(input: $input) {
      ...AdjustmentProposalFields
    }
  }
`);

export const targetHistoryQuery = graphql(`
  query TargetHistory($planId: ID!, $repId: ID!, $metric: String!) {
    targetHistory(planId: $planId, repId: $repId, metric: $metric) {
      id
      month
      before
      after
      effectiveDate
      source
      adjustmentId
      actor
      reason
      createdAt
    }
  }
`);
