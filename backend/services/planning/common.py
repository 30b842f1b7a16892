"""Shared pieces of the planning use cases: periods, access to a plan, editability."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan
from backend.db.repositories import planning as repo
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found, stale
from solver.planning.months import month_range

STATUSES = ("draft", "submitted", "approved", "active", "closed")
EDITABLE = frozenset({"draft", "submitted"})


def period_months(plan: Plan) -> list[date]:
    """The plan's months, as first days."""
    return month_range(plan.period_start, plan.period_end)


def overlaps(scope: Scope, unit: OrgUnit) -> bool:
    """A plan is visible when its scope lies inside the caller's, or contains it."""
    if scope.nothing:
        return False
    if scope.rep_id is not None or scope.org_path is None:
        return True
    return unit.path.startswith(scope.org_path) or scope.org_path.startswith(unit.path)


async def visible_plan(session: AsyncSession, plan_id: int, scope: Scope) -> tuple[Plan, OrgUnit]:
    """The plan and its scope unit, or NOT_FOUND when it does not exist for this caller."""
    plan = await repo.plan_by_id(session, plan_id)
    unit = await session.get(OrgUnit, plan.scope_org_id) if plan else None
    if plan is None or unit is None or not overlaps(scope, unit):
        raise not_found("Plan", plan_id, "planId")
    return plan, unit


async def plan_for_change(
    session: AsyncSession, plan_id: int, principal: Principal, *, editable: bool = True
) -> tuple[Plan, OrgUnit]:
    """A plan the caller may change as a whole: its scope must lie inside the caller's."""
    plan, unit = await visible_plan(session, plan_id, principal.scope)
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
    if plan.status not in EDITABLE:
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"the plan is {plan.status}: only draft or submitted plans can be edited"
            " (clone it to change it)",
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
