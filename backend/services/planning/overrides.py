"""A manager sets a target: it is locked and the rest of its team absorbs the difference.

The team is the lowest org node with a goal that contains the rep (generation derives a goal for
every node, so normally the rep's team). The free reps are rescaled proportionally to their
current targets within their bounds (water-filling), then the node is decomposed again with the
locks, so integer counts, bounds and phasing hold exactly as at generation.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.planning.common import period_months, require_editable, visible_plan
from backend.services.planning.generation import Infeasible
from backend.services.planning.outcome import record_relaxations
from backend.services.planning.stored import stored_inputs
from backend.services.planning.targets import metric_by_code, month_index
from solver.planning import ForecastDistribution, PlanSettings, PlanSolution, RepBasis, rebalance
from solver.types import InfeasibilityReport


@dataclass(frozen=True)
class RepChange:
    rep_id: int
    total: float
    probability: float
    months: list[float]
    version: int


@dataclass(frozen=True)
class OverrideOutcome:
    plan: Plan
    rep_id: int
    metric_code: str
    month: date | None
    value: float
    probability: float
    period_total: float
    period_probability: float
    node_id: int | None
    node_total: float
    node_goal: float | None
    changes: list[RepChange]


@dataclass
class _Node:
    unit: OrgUnit | None
    goal: float | None
    rows: dict[int, list[Target]]
    dists: dict[int, TargetDistribution]


def _stale(rows: list[Target], month: date | None) -> DomainError:
    current = (
        sum(t.value for t in rows)
        if month is None
        else next(t.value for t in rows if t.month == month)
    )
    return DomainError.single(
        ErrorCode.STALE_VERSION,
        f"the target was changed by someone else: it is now {current:.6g}"
        f" (version {rows[0].version})",
        "expectedVersion",
    )


def _check_value(metric: Metric, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise DomainError.single(ErrorCode.INVALID, "a target is a number, 0 or more", "value")
    if metric.is_integer and abs(value - round(value)) > 1e-9:
        raise DomainError.single(
            ErrorCode.INVALID, f"{metric.code} counts: a whole number", "value"
        )


async def _rep_rows(
    session: AsyncSession, principal: Principal, plan: Plan, rep_id: int, metric: Metric
) -> tuple[list[Target], str]:
    team_path = await repo.team_path_of(session, rep_id)
    if team_path is None or not principal.scope.covers_rep(rep_id, team_path):
        raise not_found("Rep", rep_id, "repId")
    if principal.rep_id == rep_id:
        raise DomainError.single(ErrorCode.FORBIDDEN, "nobody changes their own targets", "repId")
    rows = list(
        await repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=[rep_id])
    )
    if not rows:
        raise not_found("Target", f"of rep {rep_id}", "repId")
    return rows, team_path


async def _node(session: AsyncSession, plan: Plan, metric: Metric, team_path: str) -> _Node:
    """The lowest node with a goal for the metric containing the rep, its reps' rows."""
    goals = {
        g.org_unit_id: g.value
        for g in await repo.goals(session, plan.id or 0)
        if g.metric_id == metric.id
    }
    units = (await org_repo.units_by_ids(session, list(goals))).values()
    holding = [u for u in units if team_path.startswith(u.path)]
    if not holding:
        return _Node(None, None, {}, {})
    unit = max(holding, key=lambda u: len(u.path))
    reps = [rep.id or 0 for rep, _ in await repo.reps_under(session, unit.path)]
    rows: dict[int, list[Target]] = {}
    for t in await repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=reps):
        rows.setdefault(t.rep_id, []).append(t)
    dists = {
        d.rep_id: d
        for d in await repo.distributions(
            session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=list(rows)
        )
    }
    return _Node(unit, goals[unit.id or 0], rows, dists)


def _distribution(row: TargetDistribution) -> ForecastDistribution:
    return ForecastDistribution.from_stored(row.levels, row.period, row.monthly)


def _phase(total: float, share: Sequence[float], integer: bool) -> list[float]:
    s = np.asarray(share, dtype=np.float64)
    s = s / s.sum() if s.sum() > 0 else np.full(len(s), 1.0 / len(s))
    if not integer:
        return [float(x) for x in s * total]
    raw = s * total
    base = np.floor(raw)
    rest = round(float(total - base.sum()))
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return [float(x) for x in base]


async def _rebalanced(
    session: AsyncSession,
    plan: Plan,
    node: _Node,
    metric: Metric,
    locks: dict[int, float],
) -> PlanSolution:
    """The node's reps after the locks: the free reps absorb the difference to its goal."""
    unit = node.unit
    assert unit is not None and node.goal is not None
    settings = PlanSettings.from_plan(plan.strategy, plan.constraints)
    inputs = await stored_inputs(
        session,
        plan,
        unit,
        settings,
        goals={metric.code: {unit.id or 0: node.goal}},
        locks={metric.code: locks},
        rep_ids=sorted(i for i in node.rows if i in node.dists),
        metric_codes=[metric.code],
    )
    current = {r: sum(t.value for t in ts) for r, ts in node.rows.items()}
    solved = await asyncio.to_thread(rebalance, inputs, node_id=unit.id or 0, current=current)
    if isinstance(solved, InfeasibilityReport):
        raise Infeasible(solved.conflicts)
    await record_relaxations(
        session, plan_id=plan.id or 0, relaxations=solved.relaxations, context=solved.context
    )
    return solved


async def override_target(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    rep_id: int,
    metric_code: str,
    month: date | None,
    value: float,
    expected_version: int,
    reason: str = "",
) -> OverrideOutcome:
    """Lock a rep's target (a month, or the period total) and rebalance the rest of the team."""
    plan, _ = await visible_plan(session, plan_id, principal.scope)
    require_editable(plan)
    metric = await metric_by_code(session, metric_code)
    _check_value(metric, value)
    months = period_months(plan)
    m_index = month_index(plan, month)
    rows, team_path = await _rep_rows(session, principal, plan, rep_id, metric)
    if rows[0].version != expected_version:
        raise _stale(rows, month.replace(day=1) if month else None)
    node = await _node(session, plan, metric, team_path)
    old = [t.value for t in rows]
    old_version = rows[0].version
    dist = (
        node.dists.get(rep_id)
        or (
            await repo.distributions(
                session, plan_id, metric_ids=[metric.id or 0], rep_ids=[rep_id]
            )
        )[0]
    )
    share = RepBasis.from_json(dist.bounds or {}).share or (1.0,) * len(months)
    if m_index is None:
        new_months = (
            _phase(value, share, metric.is_integer)
            if metric.kind == "additive"
            else [value] * len(months)
        )
    else:
        new_months = list(old)
        new_months[m_index] = value
    new_values: dict[int, list[float]] = {rep_id: new_months}
    if metric.kind == "additive" and node.unit is not None and node.goal is not None:
        locks = {
            r: sum(t.value for t in ts)
            for r, ts in node.rows.items()
            if r != rep_id and ts[0].locked
        }
        locks[rep_id] = float(sum(new_months))
        solved = await _rebalanced(session, plan, node, metric, locks)
        monthly = solved.metrics[metric.code].monthly
        for i, r in enumerate(solved.rep_ids):
            if r != rep_id and r not in locks:
                new_values[r] = [float(v) for v in monthly[i]]
    changes = await _apply(session, plan, metric, node, rows, new_values, dist, months)
    mine = next(c for c in changes if c.rep_id == rep_id)
    node_total = (
        float(sum(sum(ts_values) for ts_values in _totals(node, new_values).values()))
        if node.unit
        else mine.total
    )
    outcome = OverrideOutcome(
        plan=plan,
        rep_id=rep_id,
        metric_code=metric.code,
        month=month,
        value=value,
        probability=_distribution(dist).p_period(value)
        if m_index is None
        else _distribution(dist).p_month(m_index, value),
        period_total=mine.total,
        period_probability=mine.probability,
        node_id=node.unit.id if node.unit else None,
        node_total=node_total,
        node_goal=node.goal,
        changes=changes,
    )
    await audit.record(
        session,
        actor=principal.username,
        action="override_target",
        entity="plan",
        entity_id=plan_id,
        before={
            "rep_id": rep_id,
            "metric": metric.code,
            "month": str(month) if month else None,
            "months": old,
            "total": float(sum(old)),
            "version": old_version,
        },
        after={
            "rep_id": rep_id,
            "metric": metric.code,
            "month": str(month) if month else None,
            "value": value,
            "total": mine.total,
            "probability": mine.probability,
            "node": outcome.node_id,
            "node_total": node_total,
            "changes": [
                {
                    "rep_id": c.rep_id,
                    "total": c.total,
                    "probability": c.probability,
                    "months": c.months,
                    "version": c.version,
                }
                for c in changes
            ],
        },
        reason=reason,
        org_path=node.unit.path if node.unit else team_path,
    )
    return outcome


def _totals(node: _Node, new_values: dict[int, list[float]]) -> dict[int, list[float]]:
    return {r: new_values.get(r, [t.value for t in ts]) for r, ts in node.rows.items()}


async def _apply(
    session: AsyncSession,
    plan: Plan,
    metric: Metric,
    node: _Node,
    rows: list[Target],
    new_values: dict[int, list[float]],
    own_dist: TargetDistribution,
    months: list[date],
) -> list[RepChange]:
    """Write the changed rows (bulk, by primary key) with fresh P(achieve) and versions."""
    own = rows[0].rep_id
    all_rows = dict(node.rows)
    all_rows[own] = rows
    updates: list[dict[str, Any]] = []
    changes = []
    for rep_id, values in new_values.items():
        current = all_rows[rep_id]
        if rep_id != own and all(
            abs(a - t.value) <= 1e-9 for a, t in zip(values, current, strict=True)
        ):
            continue
        dist = _distribution(own_dist if rep_id == own else node.dists[rep_id])
        total = float(sum(values))
        p_total = dist.p_period(values[0] if dist.is_ratio else total)
        p_months = dist.p_months(values)
        version = current[0].version + 1
        for m, t in enumerate(current):
            updates.append(
                {
                    "id": t.id,
                    "value": float(values[m]),
                    "probability": p_months[m],
                    "locked": True if rep_id == own else t.locked,
                    "version": version,
                    "explanation": {
                        **(t.explanation or {}),
                        "period_total": total,
                        "period_probability": p_total,
                    },
                }
            )
        changes.append(RepChange(rep_id, total, p_total, [float(v) for v in values], version))
    await repo.update_targets(session, updates)
    return changes
