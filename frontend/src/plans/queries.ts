import { graphql } from '../gql';

export const planFieldsFragment = graphql(`
  fragment PlanFields on Plan {
    id
    name
    scopeOrgUnitId
    periodKind
    periodStart
    periodEnd
    months
    status
    strategy
    growthRate
    version
    createdBy
    createdAt
    submittedBy
    approvedBy
    clonedFromId
    forecastMethod
    generatedAt
    constraints {
      pMin
      pMax
      maxRise
      phasingTolerance
      monotonicity
      rankBounds
      rankStep
      strict
    }
    goals {
      metricCode
      orgUnitId
      value
      source
      isScope
      lastYearActual
      suggested
      suggestedProbability
      bottomUp
      gap
    }
  }
`);

export const plansQuery = graphql(`
  query Plans($status: PlanStatus) {
    plans(status: $status) {
      ...PlanFields
    }
    orgUnits {
      id
      name
    }
  }
`);

export const planQuery = graphql(`
  query Plan($id: ID!) {
    plan(id: $id) {
      ...PlanFields
      comments {
        id
        author
        body
        createdAt
      }
    }
    metrics {
      code
      name
      unit
      kind
      isInteger
    }
  }
`);

export const planAuditQuery = graphql(`
  query PlanAudit($id: ID!) {
    plan(id: $id) {
      id
      auditTrail {
        at
        actor
        action
        before
        after
        reason
      }
    }
  }
`);

export const targetsGridQuery = graphql(`
  query TargetsGrid($planId: ID!, $metricCode: String!, $orgUnitId: ID) {
    targetsGrid(planId: $planId, metricCode: $metricCode, orgUnitId: $orgUnitId) {
      metricCode
      months
      repIds
      repNames
      rankCodes
      teamIds
      values
      suggested
      probabilities
      periodProbabilities
      locked
      versions
    }
  }
`);

export const planSummariesQuery = graphql(`
  query PlanSummaries($id: ID!, $metricCode: String!) {
    plan(id: $id) {
      id
      rankSummaries(metricCode: $metricCode) {
        key
        label
        reps
        total
        goal
        meanProbability
        buckets
      }
      nodeSummaries(metricCode: $metricCode) {
        key
        label
        reps
        total
        goal
        meanProbability
        buckets
      }
    }
  }
`);

export const repTargetsQuery = graphql(`
  query RepTargets($planId: ID!, $repId: ID!, $metricCode: String!) {
    planTargets(planId: $planId, repId: $repId, metricCode: $metricCode, limit: 1) {
      items {
        repId
        repName
        rankCode
        targets {
          metricCode
          month
          value
          suggested
          probability
          locked
          flags
          explanation
          version
        }
      }
    }
    planPeers(planId: $planId, repId: $repId, metricCode: $metricCode) {
      label
      repId
      total
      probability
      isSelf
    }
  }
`);

export const achievementProbabilityQuery = graphql(`
  query AchievementProbability($planId: ID!, $repId: ID!, $metricCode: String!, $value: Float!, $month: Date) {
    achievementProbability(planId: $planId, repId: $repId, metricCode: $metricCode, value: $value, month: $month)
  }
`);

export const metricComparisonFieldsFragment = graphql(`
  fragment MetricComparisonFields on MetricComparison {
    metricCode
    goalA
    goalB
    commonProbability
    reps {
      repId
      repName
      rankCode
      a
      b
      delta
      probabilityA
      probabilityB
    }
    ranks {
      rankCode
      reps
      a
      b
      meanProbabilityA
      meanProbabilityB
    }
  }
`);

export const comparePlansQuery = graphql(`
  query ComparePlans($planA: ID!, $planB: ID!) {
    comparePlans(planA: $planA, planB: $planB) {
      ...MetricComparisonFields
    }
  }
`);

export const whatIfQuery = graphql(`
  query WhatIf($input: WhatIfInput!, $locale: Locale!) {
    whatIf(input: $input) {
      seconds
      relaxations {
        ...RelaxationFields
      }
      metrics {
        ...MetricComparisonFields
      }
      conflicts {
        family
        node
        metric
        amount
        message
      }
    }
  }
`);

export const rankAssessmentQuery = graphql(`
  query RankAssessment($planId: ID!) {
    rankAssessment(planId: $planId) {
      rankCode
      level
      reps
      promotions
      retentions
      demotions
      meanAttainment
    }
  }
`);

export const generationProgressSubscription = graphql(`
  subscription GenerationProgress($planId: ID!) {
    generationProgress(planId: $planId) {
      planId
      stage
      fraction
    }
  }
`);

export const planChangedSubscription = graphql(`
  subscription PlanChanged($planId: ID!) {
    planChanged(planId: $planId) {
      planId
      action
      actor
      at
      metricCode
    }
  }
`);

export const targetFlagsQuery = graphql(`
  query TargetFlags($planId: ID!, $metricCode: String!, $offset: Int!, $limit: Int!) {
    planTargets(planId: $planId, metricCode: $metricCode, offset: $offset, limit: $limit) {
      totalCount
      items {
        repId
        targets {
          flags
        }
      }
    }
  }
`);

export const relaxationFieldsFragment = graphql(`
  fragment RelaxationFields on PlanRelaxation {
    family
    side
    scope
    metricCode
    repId
    repName
    rankCode
    orgUnitId
    nodeName
    amount
    share
    reps
    situation(locale: $locale)
    action(locale: $locale)
  }
`);

export const planRelaxationsQuery = graphql(`
  query PlanRelaxations($id: ID!, $locale: Locale!) {
    plan(id: $id) {
      id
      relaxations {
        ...RelaxationFields
      }
    }
  }
`);

export const previewOverrideQuery = graphql(`
  query PreviewOverride($input: OverrideTargetInput!) {
    previewOverride(input: $input) {
      result {
        repId
        periodTotal
        periodProbability
        nodeId
        nodeTotal
        nodeGoal
        rebalanced {
          repId
          total
          probability
          months
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
