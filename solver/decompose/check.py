"""Independent checker: recomputes every constraint of a result from the problem alone.

It shares no code with the model so that a bug in one is caught by the other. It returns the
list of violations as readable strings; an empty list means the result is valid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.types import DecompositionProblem, DecompositionResult


def _subtree_reps(problem: DecompositionProblem) -> dict[int, set[int]]:
    """Every org node mapped to the set of rep ids beneath it (walking parents by hand)."""
    parent = {
        int(o): (None if pd.isna(p) else int(p))
        for o, p in zip(problem.org["org_id"], problem.org["parent_id"], strict=True)
    }
    under: dict[int, set[int]] = {int(o): set() for o in parent}
    for rep, team in zip(problem.reps["rep_id"], problem.reps["org_id"], strict=True):
        node: int | None = int(team)
        while node is not None:
            under.setdefault(node, set()).add(int(rep))
            node = parent.get(node)
    return under


def _tol(x: float, problem: DecompositionProblem) -> float:
    return max(problem.tolerance, 1e-6) * max(1.0, abs(x))


def check_goals(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Each goal (period or monthly) equals the sum of its subtree's targets."""
    under, out = _subtree_reps(problem), []
    totals = result.totals.set_index(["metric_code", "rep_id"])["value"]
    monthly = result.monthly.set_index(["metric_code", "month", "rep_id"])["value"]
    goals = problem.goals
    rows = zip(
        goals["org_id"].tolist(),
        goals["metric_code"].tolist(),
        goals["month"].tolist(),
        goals["goal"].tolist(),
        strict=True,
    )
    for node, metric, month, goal in rows:
        reps = sorted(under.get(int(node), set()))
        if pd.isna(month):
            got = float(totals.loc[[(metric, r) for r in reps]].sum()) if reps else 0.0
        else:
            keys = [(metric, pd.Timestamp(month), r) for r in reps]
            got = float(monthly.loc[keys].sum()) if reps else 0.0
        if abs(got - goal) > _tol(goal, problem):
            out.append(f"goal node {node} {metric} {month}: {got} != {goal}")
    return out


def check_bounds(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Unlocked totals within every bound family; locked totals equal their lock."""
    cells = problem.cells.merge(
        result.totals[["rep_id", "metric_code", "value"]], on=["rep_id", "metric_code"]
    )
    out = []
    for col, sign in (("floor", 1), ("band_lo", 1), ("ceiling", -1), ("band_hi", -1), ("cap", -1)):
        if col not in cells:
            continue
        free = cells[cells[col].notna() & cells.get("lock", pd.Series(np.nan, cells.index)).isna()]
        gap = sign * (free["value"] - free[col])
        for r in free[gap < -np.maximum(1e-6, 1e-9 * free[col].abs())].itertuples():
            out.append(f"rep {r.rep_id} {r.metric_code}: {col} {getattr(r, col)} vs {r.value}")
    if "lock" in cells:
        locked = cells[cells["lock"].notna()]
        for r in locked[(locked["value"] - locked["lock"]).abs() > 1e-6].itertuples():
            out.append(f"rep {r.rep_id} {r.metric_code}: lock {r.lock} vs {r.value}")
    return out


def check_months(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Months sum to the total, are non-negative, integral for integer metrics."""
    out = []
    sums = result.monthly.groupby(["metric_code", "rep_id"])["value"].sum()
    totals = result.totals.set_index(["metric_code", "rep_id"])["value"]
    diff = (sums.reindex(totals.index) - totals).abs()
    out += [f"months of {k} sum to {sums[k]} not {totals[k]}" for k in diff[diff > 1e-6].index]
    out += [f"negative month {r}" for r in result.monthly[result.monthly["value"] < -1e-9].values]
    for frame in (result.totals, result.monthly):
        ints = frame[frame["metric_code"].isin(problem.integer_metrics)]["value"]
        out += [f"non-integer value {v}" for v in ints[(ints - ints.round()).abs() > 1e-9]]
    return out


def check_monotonicity(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Mean target per rank never decreases with the rank level (per team or overall)."""
    if problem.monotonicity == "none":
        return []
    frame = result.totals.merge(problem.reps, on="rep_id")
    frame["group"] = frame["org_id"] if problem.monotonicity == "team" else 0
    means = frame.groupby(["metric_code", "group", "rank_level"])["value"].mean()
    slack = 1.0 if problem.integer_metrics else 1e-6
    out = []
    for key, series in means.groupby(level=[0, 1]):
        drops = np.diff(series.to_numpy())
        if np.any(drops < -slack * np.maximum(1.0, np.abs(series.to_numpy()[1:]) * 1e-6)):
            out.append(f"{key}: mean target falls with rank {series.tolist()}")
    return out


def check_result(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """All violations of ``result`` against ``problem`` (empty when valid)."""
    return (
        check_goals(problem, result)
        + check_bounds(problem, result)
        + check_months(problem, result)
        + check_monotonicity(problem, result)
    )
