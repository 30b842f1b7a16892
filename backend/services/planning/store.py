"""Storing a solution of the planning core: targets, distributions with their basis, and
the goals it derives for nodes without a set goal."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan, PlanGoal, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import planning as repo
from backend.services.planning.loading import Loaded
from solver.planning import MetricSolution, PlanSolution
from solver.planning.explanation import period_explanation
from solver.planning.ratios import ratio_metric_targets


async def store_solution(
    session: AsyncSession, plan: Plan, loaded: Loaded, solution: PlanSolution, method: str
) -> int:
    """Replace the plan's targets, distributions and derived goals with a solution."""
    plan_id = plan.id or 0
    await repo.delete_generated(session, plan_id)
    targets: list[dict[str, Any]] = []
    dists: list[dict[str, Any]] = []
    for sol in solution.metrics.values():
        metric_id = loaded.metrics[sol.code].id or 0
        rows = _metric_rows(plan_id, metric_id, loaded, solution.rep_ids, sol, method)
        targets += rows[0]
        dists += rows[1]
    ratio_targets, ratio_dists = _ratio_rows(plan_id, loaded)
    await repo.insert_rows(session, Target, targets + ratio_targets)
    await repo.insert_rows(session, TargetDistribution, dists + ratio_dists)
    await _derived_goals(session, plan, loaded, solution)
    return len(targets) + len(ratio_targets)


def _target(
    plan_id: int, rep_id: int, metric_id: int, month: Any, value: float, p: float
) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "rep_id": rep_id,
        "metric_id": metric_id,
        "month": month,
        "value": value,
        "suggested": value,
        "probability": p,
        "locked": False,
        "version": 1,
        "flags": [],
    }


def _metric_rows(
    plan_id: int,
    metric_id: int,
    loaded: Loaded,
    rep_ids: tuple[int, ...],
    sol: MetricSolution,
    method: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    targets, dists = [], []
    for i, rep_id in enumerate(rep_ids):
        explanation = period_explanation(sol, i, method)
        for m, month in enumerate(loaded.months):
            row = _target(
                plan_id, rep_id, metric_id, month, float(sol.monthly[i, m]), sol.monthly_p[i, m]
            )
            row.update(locked=rep_id in sol.locked, explanation=explanation, flags=sol.flags[i])
            row["probability"] = float(row["probability"])
            targets.append(row)
        stored = sol.distributions[i].to_stored()
        dists.append(
            {"plan_id": plan_id, "rep_id": rep_id, "metric_id": metric_id, **stored}
            | {"bounds": sol.basis[i].to_json()}
        )
    return targets, dists


def _ratio_rows(plan_id: int, loaded: Loaded) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Ratio metrics: rank baseline x coefficients, P from the rep's own months."""
    targets, dists = [], []
    reps = loaded.rep_inputs()
    for metric in loaded.metrics.values():
        if metric.kind != "ratio":
            continue
        part = loaded.history[loaded.history["metric_code"] == metric.code]
        history: dict[int, list[float]] = {}
        for rep_id, value in zip(part["rep_id"], part["value"], strict=True):
            history.setdefault(int(rep_id), []).append(float(value))
        for t in ratio_metric_targets(reps, loaded.ranks, metric.code, history):
            expl = {
                "components": {"rank_baseline": t.value},
                "binding": "",
                "period_total": t.value,
                "period_probability": t.probability,
                "ideal": t.value,
                "forecast_method": "rank baseline x coefficients",
            }
            for month in loaded.months:
                row = _target(plan_id, t.rep_id, metric.id or 0, month, t.value, t.probability)
                targets.append(row | {"explanation": expl})
            dists.append(
                {"plan_id": plan_id, "rep_id": t.rep_id, "metric_id": metric.id or 0}
                | t.distribution.to_stored()
                | {"bounds": {"kind": "ratio"}}
            )
    return targets, dists


async def _derived_goals(
    session: AsyncSession, plan: Plan, loaded: Loaded, solution: PlanSolution
) -> None:
    """Every node of the scope without a set goal gets the sum of its targets as its goal."""
    existing = {(g.metric_id, g.org_unit_id) for g in await repo.goals(session, plan.id or 0)}
    paths = loaded.reps["team_path"].to_numpy().astype(str)
    for sol in solution.metrics.values():
        metric_id = loaded.metrics[sol.code].id or 0
        for unit in loaded.units:
            under = np.char.startswith(paths, unit.path)
            if (metric_id, unit.id) in existing or not under.any():
                continue
            value = float(sol.total[under].sum())
            session.add(
                PlanGoal(
                    plan_id=plan.id or 0,
                    metric_id=metric_id,
                    org_unit_id=unit.id or 0,
                    value=value,
                    source="derived",
                )
            )
    await session.flush()
