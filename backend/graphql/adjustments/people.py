"""People changes inside an active period: leavers, absences, joiners, reorganisations, and
a plan's people-change policy. Thin resolvers over ``backend.services.adjustments.people*``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from backend.db.models import AdjustmentRequest as AdjustmentRequestModel
from backend.db.models import Plan as PlanModel
from backend.graphql.adjustments.types import AdjustmentPolicy, AdjustmentRequest
from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.planning import Plan, PlanPayload
from backend.services.access import Action
from backend.services.adjustments import people, people_bulk, people_joiner

PEOPLE_POLICY: dict[str, Action] = {
    "recordRepLeaving": Action.MANAGE_REPS,
    "recordAbsence": Action.MANAGE_REPS,
    "addJoinerToPlan": Action.MANAGE_REPS,
    "reorganiseReps": Action.MANAGE_REPS,
    "setAdjustmentPolicy": Action.PLAN,
}


@strawberry.input(description="A rep leaves: their last day worked.")
class RecordRepLeavingInput:
    rep_id: strawberry.ID = strawberry.field(description="Who leaves.")
    expected_version: int = strawberry.field(description="The rep version you saw.")
    leave_date: dt.date = strawberry.field(
        description="The last day worked (within an active plan's period holding the rep)."
    )
    reason: str = strawberry.field(description="What happened (required).")


@strawberry.input(description="A rep's leave of absence, both days included.")
class RecordAbsenceInput:
    rep_id: strawberry.ID = strawberry.field(description="Who is absent.")
    start: dt.date = strawberry.field(description="The first day absent.")
    end: dt.date = strawberry.field(description="The last day absent.")
    reason: str = strawberry.field(description="What happened (required).")


@strawberry.input(description="A rep hired inside an active plan's period gets ramped targets.")
class AddJoinerInput:
    plan_id: strawberry.ID = strawberry.field(description="The active plan.")
    rep_id: strawberry.ID = strawberry.field(description="The joiner (no targets in the plan).")
    start_date: dt.date = strawberry.field(description="The first day worked.")
    reason: str = strawberry.field(description="Why (required).")


@strawberry.input(description="One rep to a new team.")
class RepMoveInput:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    team_id: strawberry.ID = strawberry.field(description="The new team.")


@strawberry.input(description="Many transfers in one transaction (at most 5,000).")
class ReorganiseRepsInput:
    moves: list[RepMoveInput] = strawberry.field(description="Each rep once.")
    effective_date: dt.date = strawberry.field(description="From when (the history's date).")
    reason: str = strawberry.field(description="Why (required).")


@strawberry.type(
    description="A people change: one adjustment per plan and metric it touched (approved"
    " when applied, pending when the plan's policy is ASK)."
)
class PeopleChangePayload:
    requests: list[AdjustmentRequest] = strawberry.field(description="Empty when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="What a reorganisation did to the active plans.")
class ReorganiseResult:
    moved_reps: int = strawberry.field(description="Reps moved.")
    plans: int = strawberry.field(description="Active plans that held their targets.")
    goals_moved: int = strawberry.field(description="Goals that changed.")
    revisions: int = strawberry.field(description="Target revisions written for the history.")


@strawberry.type(description="Result of a reorganisation.")
class ReorganisePayload:
    result: ReorganiseResult | None = strawberry.field(description="Null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


def _changes(rows: list[AdjustmentRequestModel] | None, errors: Any) -> PeopleChangePayload:
    return PeopleChangePayload(
        requests=[AdjustmentRequest(model=r) for r in rows or []], errors=errors
    )


@strawberry.type
class PeopleChangeMutation:
    @strawberry.mutation(
        description="Record a rep's leaving: in each active plan holding their targets the"
        " months after it become 0, its month keeps the days worked; the difference follows"
        " the plan's policy."
    )
    async def record_rep_leaving(
        self, info: Info, input: RecordRepLeavingInput
    ) -> PeopleChangePayload:
        async def run(session: Any) -> list[AdjustmentRequestModel]:
            return await people.record_leaving(
                session,
                principal=info.context.principal,
                rep_id=parse_id(input.rep_id, "repId"),
                expected_version=input.expected_version,
                leave_date=input.leave_date,
                reason=input.reason,
                as_of=dt.date.today(),
            )

        return _changes(*await atomic(info, run))

    @strawberry.mutation(
        description="Record a leave of absence: each month keeps the share of its days"
        " outside it; the difference follows the plan's policy."
    )
    async def record_absence(self, info: Info, input: RecordAbsenceInput) -> PeopleChangePayload:
        async def run(session: Any) -> list[AdjustmentRequestModel]:
            return await people.record_absence(
                session,
                principal=info.context.principal,
                rep_id=parse_id(input.rep_id, "repId"),
                start=input.start,
                end=input.end,
                reason=input.reason,
                as_of=dt.date.today(),
            )

        return _changes(*await atomic(info, run))

    @strawberry.mutation(
        description="Give a joiner targets in an active plan: 0 before the start, then 25%,"
        " 50%, 75%, 100% of the peers' median month; the difference follows the policy."
    )
    async def add_joiner_to_plan(self, info: Info, input: AddJoinerInput) -> PeopleChangePayload:
        async def run(session: Any) -> list[AdjustmentRequestModel]:
            return await people_joiner.add_joiner(
                session,
                principal=info.context.principal,
                plan_id=parse_id(input.plan_id, "planId"),
                rep_id=parse_id(input.rep_id, "repId"),
                start_date=input.start_date,
                reason=input.reason,
                as_of=dt.date.today(),
            )

        return _changes(*await atomic(info, run))

    @strawberry.mutation(
        description="Move many reps between teams at once; their targets move with them and"
        " every goal of the active plans stays the sum beneath it."
    )
    async def reorganise_reps(self, info: Info, input: ReorganiseRepsInput) -> ReorganisePayload:
        async def run(session: Any) -> people_bulk.MovedInPlans:
            moves = [  # parsed here: a malformed id is a typed error in the payload
                (parse_id(m.rep_id, f"moves.{k}.repId"), parse_id(m.team_id, f"moves.{k}.teamId"))
                for k, m in enumerate(input.moves)
            ]
            return await people_bulk.reorganise(
                session,
                principal=info.context.principal,
                moves=moves,
                effective_date=input.effective_date,
                reason=input.reason,
            )

        done, errors = await atomic(info, run)
        result = (
            ReorganiseResult(
                moved_reps=done.reps,
                plans=done.plans,
                goals_moved=done.goals_moved,
                revisions=done.revisions,
            )
            if done
            else None
        )
        return ReorganisePayload(result=result, errors=errors)

    @strawberry.mutation(
        description="How the plan's people changes are handled (draft, approved or active"
        " plans whose scope lies within yours)."
    )
    async def set_adjustment_policy(
        self, info: Info, plan_id: strawberry.ID, expected_version: int, policy: AdjustmentPolicy
    ) -> PlanPayload:
        async def run(session: Any) -> PlanModel:
            return await people.set_adjustment_policy(
                session,
                principal=info.context.principal,
                plan_id=parse_id(plan_id, "planId"),
                expected_version=expected_version,
                policy=policy.value,
            )

        plan, errors = await atomic(info, run)
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)
