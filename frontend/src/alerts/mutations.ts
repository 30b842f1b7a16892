import { graphql } from '../gql';

export const acknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($input: AlertActionInput!) {
    acknowledgeAlert(input: $input) {
      alert {
        ...AlertFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const resolveAlertMutation = graphql(`
  mutation ResolveAlert($input: AlertActionInput!) {
    resolveAlert(input: $input) {
      alert {
        ...AlertFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const createAlertRuleMutation = graphql(`
  mutation CreateAlertRule($key: String!, $input: AlertRuleInput!) {
    createAlertRule(key: $key, input: $input) {
      rule {
        ...AlertRuleFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const updateAlertRuleMutation = graphql(`
  mutation UpdateAlertRule($key: String!, $expectedVersion: Int!, $input: AlertRuleInput!) {
    updateAlertRule(key: $key, expectedVersion: $expectedVersion, input: $input) {
      rule {
        ...AlertRuleFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
