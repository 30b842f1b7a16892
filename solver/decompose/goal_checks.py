"""Necessary conditions on the goals alone, checked before any model is built."""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.decompose.tree import membership
from solver.types import Conflict, DecompositionProblem, FloatArray, IntArray


def period_like_goals(
    period: pd.DataFrame, monthly: pd.DataFrame, months: int
) -> tuple[IntArray, FloatArray]:
    """Period goals plus the totals implied by a goal in every month at nodes without one."""
    sums = monthly.groupby("org_id")["goal"].agg(["sum", "count"])
    implied = sums[(sums["count"] >= months) & ~sums.index.isin(period["org_id"])]
    nodes = np.concatenate([period["org_id"].to_numpy(np.int64), implied.index.to_numpy(np.int64)])
    values = np.concatenate([period["goal"].to_numpy(np.float64), implied["sum"].to_numpy()])
    return nodes, values


def monthly_vs_period(
    period: pd.DataFrame, monthly: pd.DataFrame, metric: str, months: int
) -> list[Conflict]:
    """A node with a goal in every month and a period goal: the months must add up to it."""
    sums = monthly.groupby("org_id")["goal"].agg(["sum", "count"])
    both = sums[sums["count"] >= months].join(period.set_index("org_id")["goal"], how="inner")
    gap = both["goal"] - both["sum"]
    bad = gap[gap.abs() > 1e-9 * np.maximum(1.0, both["goal"].abs())]
    return [
        Conflict(
            "goal",
            f"node {node}",
            metric,
            abs(float(g)),
            f"node {node} {metric}: monthly goals add up to {g:+.6g} off the period goal",
        )
        for node, g in bad.items()
    ]


def monthly_sum_conflicts(
    problem: DecompositionProblem, goals: pd.DataFrame, bounds: pd.DataFrame, metric: str
) -> list[Conflict]:
    """A node with a goal in every month implies a period total, which its reps' bounds must
    bracket (checked here so the report names the node and the amount)."""
    monthly = goals[goals["month"].notna()]
    sums = monthly.groupby("org_id")["goal"].agg(["sum", "count"])
    full = sums[sums["count"] >= len(problem.months)]
    if full.empty:
        return []
    member = membership(problem.reps, problem.org, full.index.to_numpy(dtype=np.int64))
    low = member.matrix @ bounds["lo"].to_numpy(np.float64)
    high = member.matrix @ bounds["hi"].to_numpy(np.float64)
    out = []
    for node, total, lo, hi in zip(full.index, full["sum"], low, high, strict=True):
        scale = 1e-9 * max(1.0, abs(total))
        if total < lo - scale:
            msg = (
                f"node {node} {metric}: its monthly goals add up to {total:.6g}, below the sum"
                f" of its reps' lower bounds {lo:.6g} by {lo - total:.6g}"
            )
            out.append(Conflict("floor", f"node {node}", metric, float(lo - total), msg))
        elif total > hi + scale:
            msg = (
                f"node {node} {metric}: its monthly goals add up to {total:.6g}, above the sum"
                f" of its reps' upper bounds {hi:.6g} by {total - hi:.6g}"
            )
            out.append(Conflict("ceiling", f"node {node}", metric, float(total - hi), msg))
    return out


def fractional_goals(goals: pd.DataFrame, metric: str) -> list[Conflict]:
    frac = goals[np.abs(goals["goal"] - np.round(goals["goal"])) > 1e-9]
    out = []
    for r in frac.itertuples():
        when = "" if pd.isna(r.month) else f" {pd.Timestamp(r.month):%Y-%m}"
        msg = (
            f"node {r.org_id}{when} {metric}: an integer metric needs an integer goal, not {r.goal}"
        )
        out.append(Conflict("goal", f"node {r.org_id}", metric, abs(r.goal - round(r.goal)), msg))
    return out
