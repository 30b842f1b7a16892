import { graphql } from '../gql';

export const alertRuleFieldsFragment = graphql(`
  fragment AlertRuleFields on AlertRule {
    id
    key
    version
    name
    kind
    metric
    scopeOrgId
    params {
      periods
      grain
      threshold
      k
      minPeers
      below
      days
    }
    severity
    active
    createdBy
    createdAt
  }
`);

export const alertFieldsFragment = graphql(`
  fragment AlertFields on Alert {
    id
    ruleKey
    rule {
      id
      name
      kind
      severity
      params {
        periods
        grain
        threshold
        k
        minPeers
        below
        days
      }
    }
    rep {
      id
      name
    }
    state
    severity
    figures {
      value
      threshold
      attainment
      pace
      probability
      projectedAttainment
      periodsBehind
      daysInactive
      asOf
    }
    openedAt
    updatedAt
    acknowledgedBy
    resolvedBy
    version
  }
`);

export const alertsQuery = graphql(`
  query Alerts($states: [AlertState!], $repId: ID, $limit: Int!, $offset: Int!) {
    alerts(states: $states, repId: $repId, limit: $limit, offset: $offset) {
      items {
        ...AlertFields
      }
      totalCount
    }
  }
`);

export const alertDetailsQuery = graphql(`
  query AlertDetails($id: ID!) {
    alert(id: $id) {
      ...AlertFields
      history {
        at
        actor
        fromState
        toState
        note
      }
    }
  }
`);

export const alertRulesQuery = graphql(`
  query AlertRules($includeRetired: Boolean!) {
    alertRules(includeRetired: $includeRetired) {
      ...AlertRuleFields
    }
    metrics {
      code
      name
      kind
    }
    orgUnits {
      ...OrgUnitFields
    }
  }
`);
