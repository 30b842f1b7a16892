"""A plan's goals: suggested from last year, replaced as given, shown beside the bottom-up.

The suggestion is kept in the plan's ``_basis`` (last year's actual, the suggested goal); a
generation adds the design point the suggested goal implies (``suggested_probability``): the
common P(achieve) at which the reps' period forecasts add up to it, read off the same
``ForecastDistribution`` objects the plan's targets and P come from (``goal_probability``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan, PlanGoal
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services.access import Principal
from backend.services.errors import Problems
from backend.services.planning.loading import history_frame
from solver.planning.distribution import goal_probability
from solver.planning.months import year_earlier
from solver.planning.solution import PlanSolution

MAX_GOALS = 500


@dataclass(frozen=True)
class GoalInput:
    metric_code: str
    value: float
    org_unit_id: int | None = None  # None = the plan's scope


async def suggested_goals(
    session: AsyncSession, unit: OrgUnit, start: date, end: date, growth: float
) -> dict[str, tuple[float, float]]:
    """Per additive metric: (last year's actual over the same months, x (1 + growth))."""
    metrics = await repo.metrics_by_code(session)
    reps = [rep.id or 0 for rep, _ in await repo.reps_under(session, unit.path)]
    history = await history_frame(session, reps, start=year_earlier(start), end=year_earlier(end))
    out = {}
    for code, metric in metrics.items():
        if metric.kind != "additive":
            continue
        last = float(history.loc[history["metric_code"] == code, "value"].sum())
        value = last * (1.0 + growth)
        out[code] = (last, float(np.round(value)) if metric.is_integer else round(value, 2))
    return out


def suggested_probabilities(
    basis: Mapping[str, Mapping[str, float | None]], solution: PlanSolution
) -> dict[str, float | None]:
    """Per metric with a suggested goal: the P(achieve) of a rep at the design point the
    suggestion implies, over the generated plan's distributions (None for no reps or a ratio)."""
    out: dict[str, float | None] = {}
    for code, b in basis.items():
        suggested, metric = b.get("suggested"), solution.metrics.get(code)
        if suggested is None or metric is None:
            continue
        p = goal_probability(metric.distributions, float(suggested))
        out[code] = None if math.isnan(p) else round(p, 6)
    return out


def with_suggested_probabilities(
    constraints: Mapping[str, object], solution: PlanSolution
) -> dict[str, object]:
    """The plan's constraints with each suggestion's design point in ``_basis`` (a new dict,
    so the JSON column is written)."""
    basis = constraints.get("_basis")
    if not isinstance(basis, dict) or not basis:
        return dict(constraints)
    found = suggested_probabilities(basis, solution)
    merged = {c: {**b, "suggested_probability": found.get(c)} for c, b in basis.items()}
    return {**constraints, "_basis": merged}


async def replace_goals(
    session: AsyncSession, plan: Plan, unit: OrgUnit, goals: Sequence[GoalInput]
) -> list[PlanGoal]:
    metrics = await repo.metrics_by_code(session)
    problems = Problems()
    rows, seen = [], set()
    for i, g in enumerate(goals):
        at = f"goals[{i}]"
        metric = metrics.get(g.metric_code)
        org_id = g.org_unit_id or unit.id or 0
        node = await session.get(OrgUnit, org_id)
        if metric is None or metric.kind != "additive":
            problems.invalid(f"{at}.metricCode", f"{g.metric_code!r} is not an additive metric")
            continue
        if node is None or not node.path.startswith(unit.path):
            problems.invalid(f"{at}.orgUnitId", "the goal's unit must lie inside the plan's scope")
            continue
        if not math.isfinite(g.value) or g.value < 0:
            problems.invalid(f"{at}.value", "a goal must be a finite number, 0 or more")
        elif metric.is_integer and abs(g.value - round(g.value)) > 1e-9:
            problems.invalid(f"{at}.value", f"{metric.code} counts: the goal must be whole")
        if (metric.id, org_id) in seen:
            problems.invalid(at, "the same metric and unit is listed twice")
        seen.add((metric.id, org_id))
        rows.append(
            PlanGoal(
                plan_id=plan.id or 0,
                metric_id=metric.id or 0,
                org_unit_id=org_id,
                value=float(g.value),
                source="set",
            )
        )
    problems.raise_if_any()
    await repo.delete_goals(session, plan.id or 0)
    session.add_all(rows)
    await session.flush()
    return rows


@dataclass(frozen=True)
class GoalView:
    metric_code: str
    org_unit_id: int
    value: float
    source: str
    is_scope: bool
    last_year_actual: float | None
    suggested: float | None
    bottom_up: float | None
    suggested_probability: float | None = None  # the design point of the suggestion, once generated


async def goal_views(
    session: AsyncSession, *, plan: Plan, principal: Principal, set_only: bool = False
) -> list[GoalView]:
    """Goals with the top-down suggestion and the bottom-up forecast beside the scope's goal.

    Only the goals of org units inside the caller's scope: a branch manager sees their branch's
    and its teams', never the company's or another branch's; a rep sees none.
    """
    scope = principal.scope
    if scope.rep_id is not None or scope.nothing:
        return []
    codes = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    scope_unit = await session.get(OrgUnit, plan.scope_org_id)
    paths = {
        u.id: u.path for u in await org_repo.subtree(session, scope_unit.path if scope_unit else "")
    }
    basis = plan.constraints.get("_basis", {})
    out = []
    for g in await repo.goals(session, plan.id or 0):
        if set_only and g.source != "set":
            continue
        path = paths.get(g.org_unit_id)
        if path is None or not scope.covers_path(path):
            continue
        code = codes[g.metric_id]
        top = g.org_unit_id == plan.scope_org_id
        b = basis.get(code, {}) if top else {}
        out.append(
            GoalView(
                code,
                g.org_unit_id,
                g.value,
                g.source,
                top,
                b.get("last_year"),
                b.get("suggested"),
                b.get("bottom_up"),
                b.get("suggested_probability"),
            )
        )
    return out
