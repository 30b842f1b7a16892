"""What-if scenarios and plan comparison, computed and never stored."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import (
    as_graphql_error,
    or_graphql_error,
    query_id,
)
from backend.graphql.planning.common import goal_inputs, plan_conflicts
from backend.graphql.types.planning import (
    GoalInput,
    MetricComparison,
    PlanConflict,
    PlanConstraintsInput,
    RankDelta,
    RankOutlook,
    RepDelta,
    Strategy,
)
from backend.graphql.types.relaxations import PlanRelaxation
from backend.services.errors import DomainError
from backend.services.planning import assessment as assessment_service
from backend.services.planning import outcome as outcome_service
from backend.services.planning import scenarios as scenario_service
from backend.services.planning.generation import Infeasible


@strawberry.input(description="A rep's period total to lock in a what-if.")
class TargetOverrideInput:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    metric_code: str = strawberry.field(description="The metric.")
    value: float = strawberry.field(description="The period total.")


@strawberry.input(description="A scenario: other goals, strategy, constraints or locked totals.")
class WhatIfInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan to start from.")
    goals: list[GoalInput] | None = strawberry.field(
        default=None, description="Goals replacing the plan's for the same metric and unit."
    )
    strategy: Strategy | None = strawberry.field(default=None, description="Another strategy.")
    constraints: PlanConstraintsInput | None = strawberry.field(
        default=None, description="Other constraints (defaults for omitted fields)."
    )
    overrides: list[TargetOverrideInput] | None = strawberry.field(
        default=None, description="Period totals to lock."
    )


@strawberry.type(description="A scenario computed and not stored.")
class WhatIfResult:
    metrics: list[MetricComparison] = strawberry.field(
        description="Per metric: the plan (a) against the scenario (b)."
    )
    seconds: float | None = strawberry.field(description="Computation time.")
    conflicts: list[PlanConflict] = strawberry.field(
        description="Why the scenario is infeasible (then `metrics` is empty)."
    )
    relaxations: list[PlanRelaxation] = strawberry.field(
        default_factory=list,
        description="What had to give in the scenario (named with today's names; nothing"
        " is stored).",
    )


def _comparison(m: scenario_service.MetricComparison) -> MetricComparison:
    return MetricComparison(
        metric_code=m.metric_code,
        goal_a=m.goal_current,
        goal_b=m.goal_scenario,
        common_probability=m.common_probability,
        reps=[
            RepDelta(
                rep_id=strawberry.ID(str(r.rep_id)),
                rep_name=r.name,
                rank_code=r.rank_code,
                a=r.current,
                b=r.scenario,
                delta=r.delta,
                probability_a=r.probability_current,
                probability_b=r.probability_scenario,
            )
            for r in m.reps
        ],
        ranks=[
            RankDelta(
                rank_code=r.rank_code,
                reps=r.reps,
                a=r.current,
                b=r.scenario,
                mean_probability_a=r.mean_p_current,
                mean_probability_b=r.mean_p_scenario,
            )
            for r in m.ranks
        ],
    )


@strawberry.type(description="Scenarios, comparisons and rank assessment.")
class ScenarioQuery:
    @strawberry.field(
        description="Compute a scenario from a plan without storing anything (reuses the stored"
        " forecasts: fast enough for interactive use)."
    )
    async def what_if(self, info: Info, input: WhatIfInput) -> WhatIfResult:
        strategy = input.strategy.value if input.strategy is not None else None
        constraints = None
        if input.constraints is not None:  # the strategy set here is replaced just below
            constraints = input.constraints.to_settings(input.strategy or Strategy.EQUAL_DIFFICULTY)
        overrides = [
            (query_id(o.rep_id, f"overrides[{i}].repId"), o.metric_code, o.value)
            for i, o in enumerate(input.overrides or [])
        ]
        async with info.context.db() as session:
            try:
                outcome = await scenario_service.what_if(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(input.plan_id, "planId"),
                    strategy=strategy,
                    constraints=constraints,
                    goals=goal_inputs(input.goals),
                    overrides=overrides,
                )
                relaxed = await outcome_service.what_if_relaxations(
                    session, relaxations=outcome.relaxations
                )
            except Infeasible as refusal:
                return WhatIfResult(metrics=[], seconds=None, conflicts=plan_conflicts(refusal))
            except DomainError as refusal:
                raise as_graphql_error(refusal) from None
            finally:
                await session.rollback()  # a what-if writes nothing; end the read
        return WhatIfResult(
            metrics=[_comparison(m) for m in outcome.metrics],
            seconds=outcome.seconds,
            conflicts=[],
            relaxations=[PlanRelaxation(model=r) for r in relaxed],
        )

    @strawberry.field(description="Two plans side by side: per-rep deltas (b - a), per rank.")
    async def compare_plans(
        self, info: Info, plan_a: strawberry.ID, plan_b: strawberry.ID
    ) -> list[MetricComparison]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                scenario_service.compare_plans(
                    session,
                    principal=info.context.principal,
                    plan_a=query_id(plan_a, "planA"),
                    plan_b=query_id(plan_b, "planB"),
                )
            )
        return [_comparison(m) for m in rows]

    @strawberry.field(
        description="Expected promotions, retentions and demotions per rank (Monte Carlo,"
        " fixed seed) from the achievement distributions and the ladder's thresholds."
    )
    async def rank_assessment(self, info: Info, plan_id: strawberry.ID) -> list[RankOutlook]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                assessment_service.rank_assessment(
                    session, principal=info.context.principal, plan_id=query_id(plan_id, "planId")
                )
            )
        return [
            RankOutlook(
                rank_code=r.rank_code,
                level=r.level,
                reps=r.reps,
                promotions=r.promotions,
                retentions=r.retentions,
                demotions=r.demotions,
                mean_attainment=r.mean_attainment,
            )
            for r in rows
        ]
