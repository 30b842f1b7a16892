import { graphql } from '../gql';

export const recordRepLeavingMutation = graphql(`
  mutation RecordRepLeaving($input: RecordRepLeavingInput!) {
    recordRepLeaving(input: $input) {
      requests {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const setAdjustmentPolicyMutation = graphql(`
  mutation SetAdjustmentPolicy($planId: ID!, $expectedVersion: Int!, $policy: AdjustmentPolicy!) {
    setAdjustmentPolicy(planId: $planId, expectedVersion: $expectedVersion, policy: $policy) {
      plan {
        id
        version
        adjustmentPolicy
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const planAdjustmentPolicyQuery = graphql(`
  query PlanAdjustmentPolicy($id: ID!) {
    plan(id: $id) {
      id
      version
      adjustmentPolicy
    }
  }
`);
