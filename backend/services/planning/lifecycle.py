"""A plan's lifecycle (draft > submitted > approved > active > closed), comments and audit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AuditEntry, Plan
from backend.db.models.planning import PlanComment
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode, Problems, stale
from backend.services.planning.common import (
    claim_version,
    plan_for_change,
    plan_snapshot,
    visible_plan,
)

TRANSITIONS = {
    "submit": ("draft", "submitted", Action.PLAN),
    "approve": ("submitted", "approved", Action.APPROVE_PLAN),
    "reject": ("submitted", "draft", Action.APPROVE_PLAN),
    "activate": ("approved", "active", Action.APPROVE_PLAN),
    "close": ("active", "closed", Action.APPROVE_PLAN),
}


async def transition(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    action: str,
    expected_version: int,
    reason: str = "",
) -> Plan:
    """Move a plan along draft > submitted > approved > active > closed."""
    plan, unit = await plan_for_change(session, plan_id, principal, editable=False)
    source, target, needed = TRANSITIONS[action]
    if not principal.can(needed):
        raise DomainError.single(ErrorCode.FORBIDDEN, f"you may not {action} plans", "planId")
    if plan.version != expected_version:
        raise stale("Plan", plan.version)
    if plan.status != source:
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"only a {source} plan can be {target} (it is {plan.status})",
            "planId",
        )
    if action == "submit" and plan.generated_at is None:
        raise DomainError.single(ErrorCode.CONFLICT, "generate targets before submitting", "planId")
    if action in ("approve", "reject") and plan.submitted_by == principal.username:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "whoever submits a plan never approves it", "planId"
        )
    before = plan_snapshot(plan)
    await claim_version(session, plan, expected=expected_version)
    plan.status = target
    if action == "submit":
        plan.submitted_by = principal.username
    if action == "approve":
        plan.approved_by = principal.username
    session.add(plan)
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action=action,
        entity="plan",
        entity_id=plan.id,
        before=before,
        after=plan_snapshot(plan),
        reason=reason,
        org_path=unit.path,
    )
    return plan


async def add_comment(
    session: AsyncSession, *, principal: Principal, plan_id: int, body: str
) -> PlanComment:
    _, unit = await visible_plan(session, plan_id, principal.scope)
    if not body.strip() or len(body) > 4000:
        problems = Problems()
        problems.invalid("body", "a comment has 1 to 4000 characters")
        problems.raise_if_any()
    comment = PlanComment(plan_id=plan_id, author=principal.username, body=body.strip())
    session.add(comment)
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action="comment",
        entity="plan",
        entity_id=plan_id,
        before=None,
        after={"comment": comment.id, "body": comment.body},
        org_path=unit.path,
    )
    return comment


async def plan_comments(
    session: AsyncSession, *, scope: Scope, plan_id: int
) -> Sequence[PlanComment]:
    await visible_plan(session, plan_id, scope)
    return await repo.comments(session, plan_id)


async def plan_audit(session: AsyncSession, *, scope: Scope, plan_id: int) -> Sequence[AuditEntry]:
    await visible_plan(session, plan_id, scope)
    return await repo.audit_trail(session, plan_id)


async def audit_since(
    session: AsyncSession, *, scope: Scope, plan_id: int, after_id: int
) -> Sequence[AuditEntry]:
    """Changes to a plan after an audit id (the live feed reads them after each commit)."""
    await visible_plan(session, plan_id, scope)
    return await repo.audit_trail(session, plan_id, after_id=after_id)
