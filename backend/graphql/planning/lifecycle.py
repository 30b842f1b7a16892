"""The plan lifecycle: submit, approve, reject, publish, clone, comment."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import (
    atomic,
)
from backend.graphql.planning.common import goal_inputs
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.planning import (
    GoalInput,
    Plan,
    PlanComment,
    PlanConstraintsInput,
    PlanPayload,
    Strategy,
)
from backend.services.planning import clones as clone_service
from backend.services.planning import lifecycle as lifecycle_service


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
        lambda s: lifecycle_service.transition(
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

    @strawberry.mutation(
        description="Comment on a plan you can see; needs the plan or approve_plan permission"
        " (never a rep or a read-only token)."
    )
    async def comment_on_plan(
        self, info: Info, plan_id: strawberry.ID, body: str
    ) -> PlanCommentPayload:
        comment, errors = await atomic(
            info,
            lambda s: lifecycle_service.add_comment(
                s, principal=info.context.principal, plan_id=parse_id(plan_id, "planId"), body=body
            ),
        )
        return PlanCommentPayload(
            comment=PlanComment(model=comment) if comment else None, errors=errors
        )

    @strawberry.mutation(description="Copy a plan (optionally with other settings) as a draft.")
    async def clone_plan(self, info: Info, input: ClonePlanInput) -> PlanPayload:
        strategy = input.strategy.value if input.strategy is not None else None
        constraints = None
        if input.constraints is not None:  # the strategy set here is replaced just below
            constraints = input.constraints.to_settings(input.strategy or Strategy.EQUAL_DIFFICULTY)
        plan, errors = await atomic(
            info,
            lambda s: clone_service.clone_plan(
                s,
                principal=info.context.principal,
                plan_id=parse_id(input.plan_id, "planId"),
                name=input.name,
                strategy=strategy,
                constraints=constraints,
                goals=goal_inputs(input.goals),
            ),
        )
        return PlanPayload(plan=Plan(model=plan) if plan else None, errors=errors)
