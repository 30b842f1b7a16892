"""Shared pieces of the planning use cases: periods, access to a plan, editability."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan
from backend.db.repositories import planning as repo
from backend.services.access import Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found, stale
from solver.planning.months import month_range

STATUSES = ("draft", "submitted", "approved", "active", "closed")
#: Only a draft is changed; a submitted plan is read-only until it is sent back (returned).
EDITABLE = frozenset({"draft"})
#: States everyone whose scope overlaps the plan's may read; the others (draft, submitted)
#: only those who may plan or approve (``may_see``).
PUBLISHED = frozenset({"approved", "active", "closed"})


def period_months(plan: Plan) -> list[date]:
    """The plan's months, as first days."""
    return month_range(plan.period_start, plan.period_end)


def overlaps(scope: Scope, unit: OrgUnit) -> bool:
    """A plan's scope lies inside the caller's, or contains it (a rep's: their team's)."""
    if scope.nothing:
        return False
    if scope.org_path is None:
        return True
    return unit.path.startswith(scope.org_path) or scope.org_path.startswith(unit.path)


def plans_workflow(principal: Principal) -> bool:
    """Whether the caller takes part in planning: may edit (PLAN) or approve plans."""
    return principal.can(Action.PLAN) or principal.can(Action.APPROVE_PLAN)


def may_see(principal: Principal, plan: Plan, unit: OrgUnit) -> bool:
    """Roles by plan state: an approved, active or closed plan is read by everyone whose scope
    overlaps it; a draft or a submitted plan only by those who may plan or approve (and whose
    scope overlaps it). What inside it they see is narrowed further by their scope."""
    if not principal.can(Action.READ) or not overlaps(principal.scope, unit):
        return False
    return plan.status in PUBLISHED or plans_workflow(principal)


def sees_whole(principal: Principal, unit: OrgUnit) -> bool:
    """Whether the caller's scope covers the plan's whole scope (not only a part of it)."""
    scope = principal.scope
    return scope.rep_id is None and scope.covers_path(unit.path)


async def visible_plan(
    session: AsyncSession, plan_id: int, principal: Principal
) -> tuple[Plan, OrgUnit]:
    """The plan and its scope unit, or NOT_FOUND when it does not exist for this caller."""
    plan = await repo.plan_by_id(session, plan_id)
    unit = await session.get(OrgUnit, plan.scope_org_id) if plan else None
    if plan is None or unit is None or not may_see(principal, plan, unit):
        raise not_found("Plan", plan_id, "planId")
    return plan, unit


async def plan_for_change(
    session: AsyncSession, plan_id: int, principal: Principal, *, editable: bool = True
) -> tuple[Plan, OrgUnit]:
    """A plan the caller may change as a whole: its scope must lie inside the caller's."""
    plan, unit = await visible_plan(session, plan_id, principal)
    if not principal.scope.covers_path(unit.path) or principal.scope.rep_id is not None:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "this plan covers more than your part of the company", "planId"
        )
    if editable:
        require_editable(plan)
    return plan, unit


async def claim_version(session: AsyncSession, plan: Plan, *, expected: int | None = None) -> None:
    """Raise the plan's version in this transaction, or refuse as stale (compare-and-set).

    Every change to a plan or its targets calls this before its first write, so of concurrent
    writers that read one version exactly one goes through and approval refers to exactly
    what was reviewed. ``expected`` is the caller's version; without one, the version read.
    """
    version = plan.version if expected is None else expected
    if not await repo.bump_plan_version(session, plan, expected=version):
        raise stale("Plan", await repo.plan_version(session, plan.id or 0))


def require_editable(plan: Plan) -> None:
    """Only a draft changes: a submitted plan waits for its approver (who may return it to
    draft), and an approved, active or closed one is cloned to be changed."""
    if plan.status == "submitted":
        raise DomainError.single(
            ErrorCode.CONFLICT,
            "the plan is submitted and read-only until its approver returns it to draft",
            "planId",
        )
    if plan.status not in EDITABLE:
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"the plan is {plan.status}: only a draft plan can be edited (clone it to change it)",
            "planId",
        )


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "status": plan.status,
        "strategy": plan.strategy,
        "constraints": {k: v for k, v in plan.constraints.items() if not k.startswith("_")},
        "version": plan.version,
    }
