"""A plan's lifecycle (draft > submitted > approved > active > closed), comments and audit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AuditEntry, OrgUnit, Plan
from backend.db.models.planning import PlanComment
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Action, Principal
from backend.services.errors import DomainError, ErrorCode, Problems, stale
from backend.services.planning.common import (
    claim_version,
    plan_for_change,
    plan_snapshot,
    plans_workflow,
    sees_whole,
    visible_plan,
)
from backend.services.planning.targets import visible_reps

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
    """Comments belong to the planning workflow: whoever sees the plan and may plan or approve
    (``Action.PLAN`` or ``Action.APPROVE_PLAN``) comments; a rep or a read-only token never."""
    _, unit = await visible_plan(session, plan_id, principal)
    if not plans_workflow(principal):
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "commenting needs the plan or approve_plan permission", "planId"
        )
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
    session: AsyncSession, *, principal: Principal, plan_id: int
) -> Sequence[PlanComment]:
    """The review discussion, for those who may take part in it (see ``add_comment``)."""
    await visible_plan(session, plan_id, principal)
    if not plans_workflow(principal):
        return []
    return await repo.comments(session, plan_id)


async def plan_audit(
    session: AsyncSession, *, principal: Principal, plan_id: int
) -> list[AuditEntry]:
    """The plan's audit trail as far as the caller's scope reaches (see ``_scoped``)."""
    _, unit = await visible_plan(session, plan_id, principal)
    return await _scoped(session, principal, unit, await repo.audit_trail(session, plan_id))


async def audit_since(
    session: AsyncSession, *, principal: Principal, plan_id: int, after_id: int
) -> tuple[list[AuditEntry], int]:
    """Changes to a plan after an audit id (the live feed reads them after each commit),
    narrowed to the caller's scope like ``plan_audit``, and the last id read (entries the
    caller may not see are skipped, never read again)."""
    _, unit = await visible_plan(session, plan_id, principal)
    rows = await repo.audit_trail(session, plan_id, after_id=after_id)
    last = max((e.id or 0 for e in rows), default=after_id)
    return await _scoped(session, principal, unit, rows), last


#: What a plan-wide entry shows to a caller who sees only part of the plan: its settings and
#: lifecycle, never figures of the whole (goals are narrowed to the caller's units).
_PLAN_WIDE_KEYS = frozenset(
    {
        "name",
        "status",
        "strategy",
        "constraints",
        "version",
        "scope",
        "period",
        "generated_at",
        "forecast",
        "seconds",
        "cloned_from",
        "goals",
    }
)


async def _scoped(
    session: AsyncSession, principal: Principal, unit: OrgUnit, rows: Sequence[AuditEntry]
) -> list[AuditEntry]:
    """Audit entries of a plan narrowed to the caller: comments only for the workflow; for a
    caller who sees only part of the plan, an override only when its rep is theirs (with only
    their reps' rebalanced targets), and plan-wide entries without figures of other units.

    Narrowed entries are detached copies: the stored rows are never touched.
    """
    workflow = plans_workflow(principal)
    rows = [e for e in rows if workflow or e.action != "comment"]
    if sees_whole(principal, unit) or not rows:
        return list(rows)
    scope = principal.scope
    reps = await visible_reps(session, unit, scope)
    paths = {u.id: u.path for u in await org_repo.subtree(session, unit.path)}

    def covered(org_id: Any) -> bool:
        path = paths.get(unit.id if org_id is None else org_id)
        return path is not None and scope.rep_id is None and scope.covers_path(path)

    out = []
    for e in rows:
        if e.action == "override_target":
            after = dict(e.after or {})
            if after.get("rep_id") not in reps:
                continue
            after["changes"] = [c for c in after.get("changes", []) if c.get("rep_id") in reps]
            if not covered(after.get("node")):
                after.pop("node_total", None)
            out.append(_copy(e, e.before, after))
        else:
            out.append(_copy(e, _plan_wide(e.before, covered), _plan_wide(e.after, covered)))
    return out


def _plan_wide(values: dict[str, Any] | None, covered: Any) -> dict[str, Any] | None:
    if values is None:
        return None
    kept = {k: v for k, v in values.items() if k in _PLAN_WIDE_KEYS}
    if "goals" in kept:  # (metric, org unit or None for the scope, value)
        kept["goals"] = [g for g in kept["goals"] if covered(g[1])]
    return kept


def _copy(e: AuditEntry, before: Any, after: Any) -> AuditEntry:
    return AuditEntry(
        id=e.id,
        at=e.at,
        actor=e.actor,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before=before,
        after=after,
        reason=e.reason,
    )
