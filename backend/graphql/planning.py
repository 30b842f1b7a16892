"""Planning operations: plans, generation, targets, overrides, lifecycle and scenarios."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import math
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.scalars import JSON

from backend.graphql.context import Info
from backend.graphql.errors import (
    as_graphql_error,
    atomic,
    or_graphql_error,
    query_id,
)
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.planning import (
    GenerationProgress,
    GoalInput,
    MetricComparison,
    OverrideResult,
    Peer,
    PeriodKind,
    Plan,
    PlanChange,
    PlanComment,
    PlanConflict,
    PlanConstraintsInput,
    PlanPayload,
    PlanStatus,
    RankDelta,
    RankOutlook,
    RebalancedTarget,
    RepDelta,
    RepTargets,
    RepTargetsPage,
    Strategy,
    Target,
    TargetsGrid,
)
from backend.services.access import Scope
from backend.services.errors import DomainError, ErrorCode
from backend.services.events import broker
from backend.services.planning import generation as generation_service
from backend.services.planning import overrides as override_service
from backend.services.planning import plans as plan_service
from backend.services.planning import progress
from backend.services.planning import scenarios as scenario_service
from backend.services.planning import targets as target_service
from backend.services.planning.generation import GenerationOutcome, Infeasible

MAX_PAGE = 500


def _goals(goals: list[GoalInput] | None) -> list[plan_service.GoalInput] | None:
    if goals is None:
        return None
    return [
        plan_service.GoalInput(
            metric_code=g.metric_code,
            value=g.value,
            org_unit_id=parse_id(g.org_unit_id, f"goals[{i}].orgUnitId") if g.org_unit_id else None,
        )
        for i, g in enumerate(goals)
    ]


@strawberry.input(description="A new draft plan.")
class CreatePlanInput:
    name: str = strawberry.field(description="Name.")
    scope_org_unit_id: strawberry.ID = strawberry.field(description="Org unit it covers.")
    period_kind: PeriodKind = strawberry.field(description="Fiscal year or quarter.")
    year: int = strawberry.field(description="Fiscal year (the calendar year it starts in).")
    quarter: int | None = strawberry.field(default=None, description="1-4 for a quarter.")
    start_month: int = strawberry.field(default=1, description="First month of the fiscal year.")
    growth_rate: float = strawberry.field(
        default=0.1, description="Growth over last year's actual for the suggested goals."
    )
    strategy: Strategy = strawberry.field(
        default=Strategy.EQUAL_DIFFICULTY, description="Decomposition strategy."
    )
    constraints: PlanConstraintsInput | None = strawberry.field(
        default=None, description="Constraint settings (defaults when null)."
    )
    goals: list[GoalInput] | None = strawberry.field(
        default=None, description="Goals; additive metrics without one get the suggestion."
    )


@strawberry.input(description="Change an editable plan's name, goals, strategy or constraints.")
class UpdatePlanInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan.")
    expected_version: int = strawberry.field(description="The plan version you edited.")
    name: str | None = strawberry.field(default=None, description="New name.")
    strategy: Strategy | None = strawberry.field(default=None, description="New strategy.")
    constraints: PlanConstraintsInput | None = strawberry.field(
        default=None, description="New constraints (with strategy; defaults when null)."
    )
    goals: list[GoalInput] | None = strawberry.field(
        default=None, description="Replaces every set goal when given."
    )
    reason: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.type(description="Result of a generation: the plan, or the conflicts that block it.")
class GeneratePlanPayload:
    plan: Plan | None = strawberry.field(description="The plan; null when refused.")
    seconds: float | None = strawberry.field(description="How long generation took.")
    targets: int | None = strawberry.field(description="Target rows stored.")
    forecast_method: str | None = strawberry.field(
        description="Forecast model used per metric (LightGBM or the seasonal-naive fallback)."
    )
    conflicts: list[PlanConflict] = strawberry.field(
        description="Constraints in conflict when the problem is infeasible (nothing stored)."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="Plans and their targets.")
class PlanQuery:
    @strawberry.field(description="Plans overlapping your part of the company, newest first.")
    async def plans(self, info: Info, status: PlanStatus | None = None) -> list[Plan]:
        async with info.context.db() as session:
            rows = await plan_service.list_plans(
                session, scope=info.context.scope, status=status.value if status else None
            )
        return [Plan(model=p) for p in rows]

    @strawberry.field(description="One plan by id, or null.")
    async def plan(self, info: Info, id: strawberry.ID) -> Plan | None:
        async with info.context.db() as session:
            try:
                plan = await plan_service.get_plan(
                    session, scope=info.context.scope, plan_id=query_id(id)
                )
            except DomainError:
                return None
        return Plan(model=plan)

    @strawberry.field(
        description="One metric's targets as parallel arrays (compact and fast for big grids)."
    )
    async def targets_grid(
        self,
        info: Info,
        plan_id: strawberry.ID,
        metric_code: str,
        org_unit_id: strawberry.ID | None = None,
    ) -> TargetsGrid:
        async with info.context.db() as session:
            grid = await or_graphql_error(
                target_service.targets_grid(
                    session,
                    scope=info.context.scope,
                    plan_id=query_id(plan_id, "planId"),
                    metric_code=metric_code,
                    org_unit_id=query_id(org_unit_id, "orgUnitId") if org_unit_id else None,
                )
            )
        return TargetsGrid(
            metric_code=grid.metric.code,
            months=grid.months,
            rep_ids=[strawberry.ID(str(r.rep_id)) for r in grid.reps],
            rep_names=[r.name for r in grid.reps],
            rank_codes=grid.rank_codes,
            team_ids=[strawberry.ID(str(r.team_id)) for r in grid.reps],
            values=grid.values,
            suggested=grid.suggested,
            probabilities=grid.probabilities,
            locked=grid.locked,
            versions=grid.versions,
        )

    @strawberry.field(description="Targets per rep as nested objects (a page of reps).")
    async def plan_targets(
        self,
        info: Info,
        plan_id: strawberry.ID,
        metric_code: str | None = None,
        rep_id: strawberry.ID | None = None,
        org_unit_id: strawberry.ID | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> RepTargetsPage:
        if not 0 < limit <= 2000 or offset < 0:
            raise invalid("limit must be 1 to 2000 and offset 0 or more", "limit")
        async with info.context.db() as session:
            rows, total = await or_graphql_error(
                target_service.rep_targets(
                    session,
                    scope=info.context.scope,
                    plan_id=query_id(plan_id, "planId"),
                    metric_code=metric_code,
                    rep_id=query_id(rep_id, "repId") if rep_id else None,
                    org_unit_id=query_id(org_unit_id, "orgUnitId") if org_unit_id else None,
                    offset=offset,
                    limit=limit,
                )
            )
        return RepTargetsPage(total_count=total, items=[_rep_targets(r) for r in rows])

    @strawberry.field(
        description="A rep's period target beside peers of the same rank and region"
        " (anonymised for reps)."
    )
    async def plan_peers(
        self, info: Info, plan_id: strawberry.ID, rep_id: strawberry.ID, metric_code: str
    ) -> list[Peer]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                target_service.peers(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(plan_id, "planId"),
                    rep_id=query_id(rep_id, "repId"),
                    metric_code=metric_code,
                )
            )
        return [
            Peer(
                label=p.label,
                rep_id=strawberry.ID(str(p.rep_id)) if p.rep_id else None,
                total=p.total,
                probability=p.probability,
                is_self=p.is_self,
            )
            for p in rows
        ]

    @strawberry.field(
        description="P(actual >= value) for a rep's target (a month, or the period when null);"
        " cheap enough to call while typing."
    )
    async def achievement_probability(
        self,
        info: Info,
        plan_id: strawberry.ID,
        rep_id: strawberry.ID,
        metric_code: str,
        value: float,
        month: dt.date | None = None,
    ) -> float:
        if not math.isfinite(value):
            raise invalid("value must be a finite number", "value")
        async with info.context.db() as session:
            return await or_graphql_error(
                target_service.achievement_probability(
                    session,
                    scope=info.context.scope,
                    plan_id=query_id(plan_id, "planId"),
                    rep_id=query_id(rep_id, "repId"),
                    metric_code=metric_code,
                    value=value,
                    month=month,
                )
            )


def invalid(message: str, field: str) -> Exception:
    return as_graphql_error(DomainError.single(ErrorCode.INVALID, message, field))


def _rep_targets(r: target_service.RepTargets) -> RepTargets:
    return RepTargets(
        rep_id=strawberry.ID(str(r.rep.rep_id)),
        rep_name=r.rep.name,
        rank_code=r.rank_code,
        team_id=strawberry.ID(str(r.rep.team_id)),
        targets=[
            Target(
                metric_code=r.metric_codes.get(t.metric_id, ""),
                month=t.month,
                value=t.value,
                suggested=t.suggested,
                probability=t.probability,
                locked=t.locked,
                flags=list(t.flags or []),
                explanation=JSON(t.explanation),
                version=t.version,
            )
            for t in r.targets
        ],
    )


def _generation_payload(
    outcome: GenerationOutcome | None, errors: list[UserError]
) -> GeneratePlanPayload:
    return GeneratePlanPayload(
        plan=Plan(model=outcome.plan) if outcome else None,
        seconds=outcome.seconds if outcome else None,
        targets=outcome.targets if outcome else None,
        forecast_method=outcome.forecast_method if outcome else None,
        conflicts=[],
        errors=errors,
    )


@strawberry.type(description="Plan creation, settings and generation.")
class PlanMutation:
    @strawberry.mutation(description="Create a draft plan with goals (suggested when omitted).")
    async def create_plan(self, info: Info, input: CreatePlanInput) -> PlanPayload:
        constraints = input.constraints or PlanConstraintsInput()
        plan, errors = await atomic(
            info,
            lambda s: plan_service.create_plan(
                s,
                principal=info.context.principal,
                new=plan_service.NewPlan(
                    name=input.name,
                    scope_org_id=parse_id(input.scope_org_unit_id, "scopeOrgUnitId"),
                    period_kind=input.period_kind.value,
                    year=input.year,
                    quarter=input.quarter,
                    start_month=input.start_month,
                    growth_rate=input.growth_rate,
                    settings=constraints.to_settings(input.strategy),
                    goals=_goals(input.goals) or (),
                ),
            ),
        )
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)

    @strawberry.mutation(description="Change a draft or submitted plan's goals or settings.")
    async def update_plan(self, info: Info, input: UpdatePlanInput) -> PlanPayload:
        settings = None
        if input.strategy is not None or input.constraints is not None:
            strategy = input.strategy or Strategy.EQUAL_DIFFICULTY
            settings = (input.constraints or PlanConstraintsInput()).to_settings(strategy)
        plan, errors = await atomic(
            info,
            lambda s: plan_service.update_plan(
                s,
                principal=info.context.principal,
                plan_id=parse_id(input.plan_id, "planId"),
                expected_version=input.expected_version,
                name=input.name,
                settings=settings,
                goals=_goals(input.goals),
                reason=input.reason,
            ),
        )
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)

    @strawberry.mutation(
        description="Generate targets: forecast, strategy, decomposition. Progress streams on"
        " `generationProgress`; infeasible constraints come back as conflicts."
    )
    async def generate_plan(
        self, info: Info, plan_id: strawberry.ID, expected_version: int | None = None
    ) -> GeneratePlanPayload:
        conflicts: list[PlanConflict] = []

        async def run(session: AsyncSession) -> GenerationOutcome:
            try:
                return await generation_service.generate_plan(
                    session,
                    principal=info.context.principal,
                    plan_id=parse_id(plan_id, "planId"),
                    expected_version=expected_version,
                )
            except Infeasible as refusal:
                conflicts.extend(
                    PlanConflict(
                        family=c.family,
                        node=c.node,
                        metric=c.metric,
                        amount=c.amount if math.isfinite(c.amount) else None,
                        message=c.message,
                    )
                    for c in refusal.conflicts
                )
                raise

        outcome, errors = await atomic(info, run)
        payload = _generation_payload(outcome, errors)
        payload.conflicts = conflicts
        return payload


@strawberry.input(description="Set one target (a month, or the rep's period total).")
class OverrideTargetInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan.")
    rep_id: strawberry.ID = strawberry.field(description="The rep (never yourself).")
    metric_code: str = strawberry.field(description="The metric.")
    month: dt.date | None = strawberry.field(
        default=None, description="The month; null sets the period total (phased by season)."
    )
    value: float = strawberry.field(description="The new target.")
    expected_version: int = strawberry.field(description="The target version you edited.")
    reason: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.type(description="Result of an override.")
class OverrideTargetPayload:
    result: OverrideResult | None = strawberry.field(description="Null when refused.")
    conflicts: list[PlanConflict] = strawberry.field(
        description="Why the team cannot absorb the change (e.g. locks exceed the goal)."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


def _conflicts(refusal: Infeasible) -> list[PlanConflict]:
    return [
        PlanConflict(
            family=c.family,
            node=c.node,
            metric=c.metric,
            amount=c.amount if math.isfinite(c.amount) else None,
            message=c.message,
        )
        for c in refusal.conflicts
    ]


def _rebalanced(c: override_service.RepChange) -> RebalancedTarget:
    return RebalancedTarget(
        rep_id=strawberry.ID(str(c.rep_id)),
        total=c.total,
        probability=c.probability,
        months=c.months,
        version=c.version,
    )


def _override_result(o: override_service.OverrideOutcome) -> OverrideResult:
    mine = next(c for c in o.changes if c.rep_id == o.rep_id)
    return OverrideResult(
        rep_id=strawberry.ID(str(o.rep_id)),
        metric_code=o.metric_code,
        month=o.month,
        value=o.value,
        probability=o.probability,
        period_total=o.period_total,
        period_probability=o.period_probability,
        version=mine.version,
        node_id=strawberry.ID(str(o.node_id)) if o.node_id else None,
        node_total=o.node_total,
        node_goal=o.node_goal,
        rebalanced=[_rebalanced(c) for c in o.changes],
    )


@strawberry.type(description="Target overrides.")
class OverrideMutation:
    @strawberry.mutation(
        description="Set and lock a target; the rest of the team is rebalanced so that the"
        " goal still holds. A stale version is refused with the current value."
    )
    async def override_target(
        self, info: Info, input: OverrideTargetInput
    ) -> OverrideTargetPayload:
        conflicts: list[PlanConflict] = []

        async def run(session: AsyncSession) -> override_service.OverrideOutcome:
            try:
                return await override_service.override_target(
                    session,
                    principal=info.context.principal,
                    plan_id=parse_id(input.plan_id, "planId"),
                    rep_id=parse_id(input.rep_id, "repId"),
                    metric_code=input.metric_code,
                    month=input.month,
                    value=input.value,
                    expected_version=input.expected_version,
                    reason=input.reason,
                )
            except Infeasible as refusal:
                conflicts.extend(_conflicts(refusal))
                raise

        outcome, errors = await atomic(info, run)
        return OverrideTargetPayload(
            result=_override_result(outcome) if outcome else None,
            conflicts=conflicts,
            errors=errors,
        )


def _change(entry: _Entry, plan_id: int, scope: Scope) -> PlanChange:
    after = entry.after
    changes = [
        c
        for c in after.get("changes", [])
        if scope.rep_id is None or c.get("rep_id") == scope.rep_id
    ]
    return PlanChange(
        plan_id=strawberry.ID(str(plan_id)),
        action=entry.action,
        actor=entry.actor,
        at=entry.at,
        metric_code=after.get("metric"),
        targets=[
            RebalancedTarget(
                rep_id=strawberry.ID(str(c["rep_id"])),
                total=c["total"],
                probability=c["probability"],
                months=c.get("months", []),
                version=c["version"],
            )
            for c in changes
        ],
    )


@dataclass(frozen=True)
class _Entry:
    id: int
    action: str
    actor: str
    at: dt.datetime
    after: dict[str, Any]


async def _entries_since(info: Info, plan_id: int, after_id: int) -> list[_Entry]:
    async with info.context.db() as session:
        rows = await or_graphql_error(
            plan_service.audit_since(
                session, scope=info.context.scope, plan_id=plan_id, after_id=after_id
            )
        )
        entries = [_Entry(e.id or 0, e.action, e.actor, e.at, e.after or {}) for e in rows]
        await session.rollback()  # end the read so the next one sees later commits
    return entries


async def plan_changes(info: Info, plan_id: strawberry.ID) -> AsyncGenerator[PlanChange, None]:
    """Committed changes to one plan: overrides with the rebalanced targets, lifecycle, ..."""
    pid = query_id(plan_id, "planId")
    events = broker.subscribe()
    pending = asyncio.ensure_future(anext(events))  # listen before reading: miss nothing
    try:
        await asyncio.sleep(0)
        seen = await _entries_since(info, pid, 0)
        last = seen[-1].id if seen else 0
        while True:
            event = await pending
            pending = asyncio.ensure_future(anext(events))
            if event.entity != "plan" or event.entity_id != str(pid):
                continue
            for entry in await _entries_since(info, pid, last):
                last = entry.id
                yield _change(entry, pid, info.context.scope)
    finally:  # cancelling the pending read ends the broker subscription (its queue goes)
        pending.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await pending


async def generation_progress(
    info: Info, plan_id: strawberry.ID
) -> AsyncGenerator[GenerationProgress, None]:
    """Stages and fractions of a running generation of a plan the caller may see."""
    pid = query_id(plan_id, "planId")
    await _entries_since(info, pid, 2**62)  # visibility check only
    async for event in progress.subscribe(pid):
        yield GenerationProgress(
            plan_id=strawberry.ID(str(pid)), stage=event.stage, fraction=event.fraction
        )


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
        settings = None
        if input.strategy is not None or input.constraints is not None:
            settings = (input.constraints or PlanConstraintsInput()).to_settings(
                input.strategy or Strategy.EQUAL_DIFFICULTY
            )
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
                    settings=settings,
                    goals=_goals(input.goals),
                    overrides=overrides,
                )
            except Infeasible as refusal:
                return WhatIfResult(metrics=[], seconds=None, conflicts=_conflicts(refusal))
            except DomainError as refusal:
                raise as_graphql_error(refusal) from None
            finally:
                await session.rollback()  # a what-if writes nothing; end the read
        return WhatIfResult(
            metrics=[_comparison(m) for m in outcome.metrics],
            seconds=outcome.seconds,
            conflicts=[],
        )

    @strawberry.field(description="Two plans side by side: per-rep deltas (b - a), per rank.")
    async def compare_plans(
        self, info: Info, plan_a: strawberry.ID, plan_b: strawberry.ID
    ) -> list[MetricComparison]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                scenario_service.compare_plans(
                    session,
                    scope=info.context.scope,
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
                scenario_service.rank_assessment(
                    session, scope=info.context.scope, plan_id=query_id(plan_id, "planId")
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


@strawberry.input(description="Move a plan along its lifecycle.")
class PlanTransitionInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan.")
    expected_version: int = strawberry.field(description="The plan version you saw.")
    reason: str = strawberry.field(default="", description="Why (kept in the audit trail).")


@strawberry.input(description="Save a plan (or a scenario of it) as a new draft.")
class ClonePlanInput:
    plan_id: strawberry.ID = strawberry.field(description="The plan to copy.")
    name: str = strawberry.field(description="Name of the new draft.")
    strategy: Strategy | None = strawberry.field(default=None, description="Another strategy.")
    constraints: PlanConstraintsInput | None = strawberry.field(
        default=None, description="Other constraints."
    )
    goals: list[GoalInput] | None = strawberry.field(default=None, description="Other goals.")


@strawberry.type(description="Result of adding a comment.")
class PlanCommentPayload:
    comment: PlanComment | None = strawberry.field(description="The comment; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


async def _transition(info: Info, input: PlanTransitionInput, action: str) -> PlanPayload:
    plan, errors = await atomic(
        info,
        lambda s: plan_service.transition(
            s,
            principal=info.context.principal,
            plan_id=parse_id(input.plan_id, "planId"),
            action=action,
            expected_version=input.expected_version,
            reason=input.reason,
        ),
    )
    return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)


@strawberry.type(description="Plan lifecycle, comments and clones.")
class LifecycleMutation:
    @strawberry.mutation(description="draft > submitted (asks for approval).")
    async def submit_plan(self, info: Info, input: PlanTransitionInput) -> PlanPayload:
        return await _transition(info, input, "submit")

    @strawberry.mutation(description="submitted > approved; never by the submitter.")
    async def approve_plan(self, info: Info, input: PlanTransitionInput) -> PlanPayload:
        return await _transition(info, input, "approve")

    @strawberry.mutation(description="submitted > draft, sent back with a reason.")
    async def return_plan(self, info: Info, input: PlanTransitionInput) -> PlanPayload:
        return await _transition(info, input, "reject")

    @strawberry.mutation(description="approved > active (in force; no longer editable).")
    async def activate_plan(self, info: Info, input: PlanTransitionInput) -> PlanPayload:
        return await _transition(info, input, "activate")

    @strawberry.mutation(description="active > closed (after the period).")
    async def close_plan(self, info: Info, input: PlanTransitionInput) -> PlanPayload:
        return await _transition(info, input, "close")

    @strawberry.mutation(description="Comment on a plan you can see.")
    async def comment_on_plan(
        self, info: Info, plan_id: strawberry.ID, body: str
    ) -> PlanCommentPayload:
        comment, errors = await atomic(
            info,
            lambda s: plan_service.add_comment(
                s, principal=info.context.principal, plan_id=parse_id(plan_id, "planId"), body=body
            ),
        )
        return PlanCommentPayload(
            comment=PlanComment(model=comment) if comment else None, errors=errors
        )

    @strawberry.mutation(description="Copy a plan (optionally with other settings) as a draft.")
    async def clone_plan(self, info: Info, input: ClonePlanInput) -> PlanPayload:
        settings = None
        if input.strategy is not None or input.constraints is not None:
            settings = (input.constraints or PlanConstraintsInput()).to_settings(
                input.strategy or Strategy.EQUAL_DIFFICULTY
            )
        plan, errors = await atomic(
            info,
            lambda s: plan_service.clone_plan(
                s,
                principal=info.context.principal,
                plan_id=parse_id(input.plan_id, "planId"),
                name=input.name,
                settings=settings,
                goals=_goals(input.goals),
            ),
        )
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)


@strawberry.type(description="Read operations on plans, targets and scenarios.")
class PlanningQuery(PlanQuery, ScenarioQuery):
    pass


@strawberry.type(description="Write operations on plans and targets.")
class PlanningMutation(PlanMutation, OverrideMutation, LifecycleMutation):
    pass
