"""Plans: create, read, update, generate; targets, grids, peers and summaries."""

from __future__ import annotations

import datetime as dt
import math

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
from backend.graphql.planning.common import goal_inputs
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.planning import (
    GoalInput,
    Peer,
    PeriodKind,
    Plan,
    PlanConflict,
    PlanConstraintsInput,
    PlanPayload,
    PlanStatus,
    RepTargets,
    RepTargetsPage,
    Strategy,
    Target,
    TargetsGrid,
)
from backend.services.errors import DomainError, ErrorCode
from backend.services.planning import generation as generation_service
from backend.services.planning import plans as plan_service
from backend.services.planning import summaries as summary_service
from backend.services.planning import targets as target_service
from backend.services.planning.generation import GenerationOutcome, Infeasible


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
    @strawberry.field(
        description="Plans overlapping your part of the company, newest first: approved,"
        " active and closed ones, and drafts and submitted ones if you may plan or approve."
    )
    async def plans(self, info: Info, status: PlanStatus | None = None) -> list[Plan]:
        async with info.context.db() as session:
            rows = await plan_service.list_plans(
                session, principal=info.context.principal, status=status.value if status else None
            )
        return [Plan(model=p) for p in rows]

    @strawberry.field(description="One plan by id, or null.")
    async def plan(self, info: Info, id: strawberry.ID) -> Plan | None:
        async with info.context.db() as session:
            try:
                plan = await plan_service.get_plan(
                    session, principal=info.context.principal, plan_id=query_id(id)
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
                    principal=info.context.principal,
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
            period_probabilities=grid.period_probabilities,
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
        async with info.context.db() as session:
            rows, total = await or_graphql_error(
                target_service.rep_targets(
                    session,
                    principal=info.context.principal,
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
        " (anonymised outside your scope: a rep sees only their own name)."
    )
    async def plan_peers(
        self, info: Info, plan_id: strawberry.ID, rep_id: strawberry.ID, metric_code: str
    ) -> list[Peer]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                summary_service.peers(
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
                    principal=info.context.principal,
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
                    goals=goal_inputs(input.goals) or (),
                ),
            ),
        )
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)

    @strawberry.mutation(
        description="Change a draft plan's goals or settings (a submitted plan is read-only"
        " until returned)."
    )
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
                goals=goal_inputs(input.goals),
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
