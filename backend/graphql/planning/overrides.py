"""A manager sets one target and the rest of the team absorbs it."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.planning.common import plan_conflicts
from backend.graphql.types.common import UserError, parse_id, user_errors
from backend.graphql.types.planning import (
    OverrideResult,
    PlanConflict,
    RebalancedTarget,
)
from backend.graphql.types.relaxations import PlanRelaxation
from backend.services.audit import discard_pending
from backend.services.errors import DomainError
from backend.services.planning import outcome as outcome_service
from backend.services.planning import overrides as override_service
from backend.services.planning.generation import Infeasible
from backend.services.planning.override_rows import RepChange


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
    plan_id: strawberry.Private[int | None] = None

    @strawberry.field(
        description="What had to give: the plan's relaxations after the rebalance (those you"
        " may see); empty when refused."
    )
    async def relaxations(self, info: Info) -> list[PlanRelaxation]:
        if self.plan_id is None:
            return []
        async with info.context.db() as session:
            rows = await outcome_service.plan_relaxations(
                session, principal=info.context.principal, plan_id=self.plan_id
            )
        return [PlanRelaxation(model=r) for r in rows]


def _rebalanced(c: RepChange) -> RebalancedTarget:
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
                conflicts.extend(plan_conflicts(refusal))
                raise

        outcome, errors = await atomic(info, run)
        return OverrideTargetPayload(
            result=_override_result(outcome) if outcome else None,
            conflicts=conflicts,
            errors=errors,
            plan_id=parse_id(input.plan_id, "planId") if outcome else None,
        )


@strawberry.type(description="What an override would do, computed and not saved.")
class OverridePreview:
    result: OverrideResult | None = strawberry.field(
        description="The target and every teammate it would move (null when refused)."
    )
    conflicts: list[PlanConflict] = strawberry.field(
        description="Why the team could not absorb it."
    )
    errors: list[UserError] = strawberry.field(description="Why it would be refused.")


@strawberry.type(description="Previews of target overrides.")
class OverridePreviewQuery:
    @strawberry.field(
        description="Which reps an override would move and by how much, with their new"
        " P(achieve), before anything is saved: the override runs exactly as it would and is"
        " then rolled back."
    )
    async def preview_override(self, info: Info, input: OverrideTargetInput) -> OverridePreview:
        conflicts: list[PlanConflict] = []
        async with info.context.db() as session:
            try:
                outcome = await override_service.override_target(
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
                result = _override_result(outcome)
                errors: list[UserError] = []
            except Infeasible as refusal:
                conflicts.extend(plan_conflicts(refusal))
                result, errors = None, user_errors(refusal)
            except DomainError as refusal:
                result, errors = None, user_errors(refusal)
            finally:
                await session.rollback()
                discard_pending(session)
        return OverridePreview(result=result, conflicts=conflicts, errors=errors)
