"""A manager sets a target: it is locked and the rest of its team absorbs the difference.

The team is the lowest org node with a goal that contains the rep (generation derives a goal for
every node, so normally the rep's team). The free reps are rescaled proportionally to their
current targets within their bounds (water-filling), then the node is decomposed again with the
locks, so integer counts, bounds and phasing hold exactly as at generation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Plan
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.planning.common import (
    claim_version,
    period_months,
    require_editable,
    visible_plan,
)
from backend.services.planning.generation import Infeasible
from backend.services.planning.outcome import record_node_relaxations
from backend.services.planning.override_rows import (
    RepChange,
    TeamRows,
    apply_changes,
    check_value,
    distribution,
    rep_rows,
    stale_error,
    team_rows,
    totals,
)
from backend.services.planning.stored import stored_inputs
from backend.services.planning.targets import metric_by_code, month_index
from solver.planning import PlanSettings, PlanSolution, RepBasis, rebalance
from solver.types import InfeasibilityReport, Relaxation


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
    relaxations: tuple[Relaxation, ...] = ()  # soft constraints the team's rebalance relaxed


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
    node: TeamRows,
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
    await record_node_relaxations(
        session,
        plan_id=plan.id or 0,
        metric_code=metric.code,
        node_id=unit.id or 0,
        rep_ids=list(node.rows),
        relaxations=solved.relaxations,
        context=solved.context,
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
    plan, _ = await visible_plan(session, plan_id, principal)
    require_editable(plan)
    metric = await metric_by_code(session, metric_code)
    check_value(metric, value)
    months = period_months(plan)
    m_index = month_index(plan, month)
    rows, team_path = await rep_rows(session, principal, plan, rep_id, metric)
    if rows[0].version != expected_version:
        raise stale_error(rows, month.replace(day=1) if month else None)
    await claim_version(session, plan)  # before the first write: one writer per plan version
    node = await team_rows(session, plan, metric, team_path)
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
    relaxations: tuple[Relaxation, ...] = ()
    if metric.kind == "additive" and node.unit is not None and node.goal is not None:
        locks = {
            r: sum(t.value for t in ts)
            for r, ts in node.rows.items()
            if r != rep_id and ts[0].locked
        }
        locks[rep_id] = float(sum(new_months))
        solved = await _rebalanced(session, plan, node, metric, locks)
        monthly, relaxations = solved.metrics[metric.code].monthly, solved.relaxations
        for i, r in enumerate(solved.rep_ids):
            if r != rep_id and r not in locks:
                new_values[r] = [float(v) for v in monthly[i]]
    changes = await apply_changes(session, plan, metric, node, rows, new_values, dist, months)
    mine = next(c for c in changes if c.rep_id == rep_id)
    node_total = (
        float(sum(sum(ts_values) for ts_values in totals(node, new_values).values()))
        if node.unit
        else mine.total
    )
    outcome = OverrideOutcome(
        plan=plan,
        rep_id=rep_id,
        metric_code=metric.code,
        month=month,
        value=value,
        probability=distribution(dist).p_period(value)
        if m_index is None
        else distribution(dist).p_month(m_index, value),
        period_total=mine.total,
        period_probability=mine.probability,
        node_id=node.unit.id if node.unit else None,
        node_total=node_total,
        node_goal=node.goal,
        changes=changes,
        relaxations=relaxations,
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
