import { graphql } from '../gql';

export const createPlanMutation = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const updatePlanMutation = graphql(`
  mutation UpdatePlan($input: UpdatePlanInput!) {
    updatePlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const generatePlanMutation = graphql(`
  mutation GeneratePlan($planId: ID!, $expectedVersion: Int) {
    generatePlan(planId: $planId, expectedVersion: $expectedVersion) {
      plan {
        ...PlanFields
      }
      seconds
      targets
      forecastMethod
      conflicts {
        family
        node
        metric
        amount
        message
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const overrideTargetMutation = graphql(`
  mutation OverrideTarget($input: OverrideTargetInput!) {
    overrideTarget(input: $input) {
      result {
        repId
        metricCode
        month
        value
        probability
        periodTotal
        periodProbability
        version
        nodeId
        nodeTotal
        nodeGoal
        rebalanced {
          repId
          total
          probability
          months
          version
        }
      }
      conflicts {
        family
        node
        metric
        amount
        message
      }
      errors {
        field
        code
        message
      }
    }
  }
`);


export const submitPlanMutation = graphql(`
  mutation SubmitPlan($input: PlanTransitionInput!) {
    submitPlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const approvePlanMutation = graphql(`
  mutation ApprovePlan($input: PlanTransitionInput!) {
    approvePlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const returnPlanMutation = graphql(`
  mutation ReturnPlan($input: PlanTransitionInput!) {
    returnPlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const activatePlanMutation = graphql(`
  mutation ActivatePlan($input: PlanTransitionInput!) {
    activatePlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const clonePlanMutation = graphql(`
  mutation ClonePlan($input: ClonePlanInput!) {
    clonePlan(input: $input) {
      plan {
        ...PlanFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const commentOnPlanMutation = graphql(`
  mutation CommentOnPlan($planId: ID!, $body: String!) {
    commentOnPlan(planId: $planId, body: $body) {
      comment {
        id
        author
        body
        createdAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
