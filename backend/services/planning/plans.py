"""Creating plans, their goals and settings; lifecycle, comments and clones."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Action, Principal
from backend.services.errors import DomainError, ErrorCode, Problems, not_found, stale
from backend.services.planning.common import (
    PUBLISHED,
    claim_version,
    plan_for_change,
    plan_snapshot,
    plans_workflow,
    visible_plan,
)
from backend.services.planning.goals import MAX_GOALS, GoalInput, replace_goals, suggested_goals
from solver.planning import MONOTONICITY, STRATEGIES, PlanSettings
from solver.planning.months import add_months


@dataclass(frozen=True)
class NewPlan:
    name: str
    scope_org_id: int
    period_kind: str  # year | quarter
    year: int
    quarter: int | None = None
    start_month: int = 1  # first month of the fiscal year
    growth_rate: float = 0.1
    settings: PlanSettings = field(default_factory=PlanSettings)
    goals: Sequence[GoalInput] = ()


def period_of(kind: str, year: int, quarter: int | None, start_month: int) -> tuple[date, date]:
    start = date(year, start_month, 1)
    if kind == "quarter":
        start = add_months(start, 3 * ((quarter or 1) - 1))
        return start, add_months(start, 3) - _day
    return start, add_months(start, 12) - _day


class _Day:
    def __rsub__(self, other: date) -> date:
        return date.fromordinal(other.toordinal() - 1)


_day = _Day()


def check_settings(s: PlanSettings, problems: Problems) -> None:
    if s.strategy not in STRATEGIES:
        problems.invalid("strategy", f"unknown strategy {s.strategy!r}")
    if not 0.0 <= s.p_min <= s.p_max <= 1.0:
        problems.invalid("constraints.pMin", "need 0 <= pMin <= pMax <= 1")
    if s.max_rise is not None and not (math.isfinite(s.max_rise) and s.max_rise >= 0):
        problems.invalid("constraints.maxRise", "the maximum rise must be 0 or more")
    if not 0.0 <= s.phasing_tolerance <= 1.0:
        problems.invalid("constraints.phasingTolerance", "phasing tolerance must be in [0, 1]")
    if s.monotonicity not in MONOTONICITY:
        problems.invalid("constraints.monotonicity", f"one of {', '.join(MONOTONICITY)}")
    if not 0.0 <= s.rank_step <= 0.2:
        problems.invalid("constraints.rankStep", "rank step must be in [0, 0.2]")


def _check_new(new: NewPlan, problems: Problems) -> None:
    if not new.name.strip():
        problems.invalid("name", "name must not be empty")
    if new.period_kind not in ("year", "quarter"):
        problems.invalid("periodKind", "a plan covers a fiscal year or a quarter")
    if new.period_kind == "quarter" and new.quarter not in (1, 2, 3, 4):
        problems.invalid("quarter", "quarter must be 1 to 4")
    if not 2000 <= new.year <= 2100:
        problems.invalid("year", "year must be between 2000 and 2100")
    if not 1 <= new.start_month <= 12:
        problems.invalid("startMonth", "the fiscal year starts in month 1 to 12")
    if not (math.isfinite(new.growth_rate) and -0.9 <= new.growth_rate <= 5):
        problems.invalid("growthRate", "growth rate must be between -0.9 and 5")
    if len(new.goals) > MAX_GOALS:
        problems.invalid("goals", f"at most {MAX_GOALS} goals")
    check_settings(new.settings, problems)


async def _scope_unit(session: AsyncSession, org_id: int, principal: Principal) -> OrgUnit:
    unit = await session.get(OrgUnit, org_id)
    if unit is None or not principal.scope.covers_path(unit.path):
        if unit is not None and principal.scope.rep_id is None and not principal.scope.nothing:
            raise DomainError.single(
                ErrorCode.FORBIDDEN,
                "you may plan only inside your part of the company",
                "scopeOrgUnitId",
            )
        raise not_found("Org unit", org_id, "scopeOrgUnitId")
    if principal.scope.rep_id is not None:
        raise DomainError.single(ErrorCode.FORBIDDEN, "reps do not plan", "scopeOrgUnitId")
    return unit


async def create_plan(session: AsyncSession, *, principal: Principal, new: NewPlan) -> Plan:
    """A draft plan; goals not given are suggested from last year's actual x (1 + growth)."""
    problems = Problems()
    _check_new(new, problems)
    problems.raise_if_any()
    unit = await _scope_unit(session, new.scope_org_id, principal)
    start, end = period_of(new.period_kind, new.year, new.quarter, new.start_month)
    suggestions = await suggested_goals(session, unit, start, end, new.growth_rate)
    basis = {c: {"last_year": last, "suggested": s} for c, (last, s) in suggestions.items()}
    plan = Plan(
        name=new.name.strip(),
        scope_org_id=unit.id or 0,
        period_start=start,
        period_end=end,
        period_kind=new.period_kind,
        growth_rate=new.growth_rate,
        strategy=new.settings.strategy,
        constraints={**new.settings.to_json(), "_basis": basis},
        created_by=principal.username,
    )
    session.add(plan)
    await session.flush()
    goals = [g for g in new.goals] + [
        GoalInput(code, value)
        for code, (_, value) in suggestions.items()
        if not any(g.metric_code == code and g.org_unit_id in (None, unit.id) for g in new.goals)
    ]
    await replace_goals(session, plan, unit, goals)
    await audit.record(
        session,
        actor=principal.username,
        action="create",
        entity="plan",
        entity_id=plan.id,
        before=None,
        after={**plan_snapshot(plan), "scope": unit.id, "period": [str(start), str(end)]},
        org_path=unit.path,
    )
    return plan


async def update_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    expected_version: int,
    name: str | None = None,
    settings: PlanSettings | None = None,
    goals: Sequence[GoalInput] | None = None,
    reason: str = "",
) -> Plan:
    """Change the goals, the strategy or the constraints of an editable plan."""
    plan, unit = await plan_for_change(session, plan_id, principal)
    if plan.version != expected_version:
        raise stale("Plan", plan.version)
    problems = Problems()
    if name is not None and not name.strip():
        problems.invalid("name", "name must not be empty")
    if settings is not None:
        check_settings(settings, problems)
    problems.raise_if_any()
    before = plan_snapshot(plan)
    await claim_version(session, plan, expected=expected_version)
    if goals is not None:
        before["goals"] = [
            (g.metric_id, g.org_unit_id, g.value)
            for g in await repo.goals(session, plan_id)
            if g.source == "set"
        ]
        await replace_goals(session, plan, unit, goals)
    if settings is not None:
        plan.strategy = settings.strategy
        plan.constraints = {**settings.to_json(), "_basis": plan.constraints.get("_basis", {})}
    plan.name = name.strip() if name is not None else plan.name
    session.add(plan)
    await session.flush()
    after = plan_snapshot(plan)
    if goals is not None:
        after["goals"] = [(g.metric_code, g.org_unit_id, g.value) for g in goals]
    await audit.record(
        session,
        actor=principal.username,
        action="update",
        entity="plan",
        entity_id=plan.id,
        before=before,
        after=after,
        reason=reason,
        org_path=unit.path,
    )
    return plan


async def list_plans(
    session: AsyncSession, *, principal: Principal, status: str | None = None
) -> Sequence[Plan]:
    """Plans the caller may see (``common.may_see``): overlapping their scope, and drafts and
    submitted plans only for those who may plan or approve."""
    scope = principal.scope
    if scope.nothing or not principal.can(Action.READ):
        return []
    rows = await repo.list_plans(session, scope_path=scope.org_path, status=status)
    if plans_workflow(principal):
        return rows
    return [p for p in rows if p.status in PUBLISHED]


async def get_plan(session: AsyncSession, *, principal: Principal, plan_id: int) -> Plan:
    plan, _ = await visible_plan(session, plan_id, principal)
    return plan
