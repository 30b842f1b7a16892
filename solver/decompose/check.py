"""Independent checker: recomputes every constraint of a result from the problem alone.

It shares no code with the model so that a bug in one is caught by the other. It returns the
list of violations as readable strings; an empty list means the result is valid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.types import DecompositionProblem, DecompositionResult


def _team_ancestors(problem: DecompositionProblem) -> pd.DataFrame:
    """(node, team) for every team holding reps and each node at or above it, walking parents
    by hand rather than through the model's tree code."""
    parent = {
        int(o): (None if pd.isna(p) else int(p))
        for o, p in zip(problem.org["org_id"], problem.org["parent_id"], strict=True)
    }
    pairs: list[tuple[int, int]] = []
    for team in problem.reps["org_id"].drop_duplicates().tolist():
        node: int | None = int(team)
        while node is not None:
            pairs.append((node, int(team)))
            node = parent.get(node)
    return pd.DataFrame(pairs, columns=["org_id", "team"])


def goal_gaps(problem: DecompositionProblem, result: DecompositionResult) -> pd.DataFrame:
    """Every goal beside the sum of its subtree's targets: org_id, metric_code, month, goal,
    got, gap (``got - goal``). Period goals add totals, monthly goals add that month."""
    ancestors = _team_ancestors(problem)
    team = problem.reps[["rep_id", "org_id"]].rename(columns={"org_id": "team"})
    period = _rolled_up(result.totals, team, ancestors, ["metric_code"])
    period["month"] = pd.NaT
    monthly = _rolled_up(result.monthly, team, ancestors, ["metric_code", "month"])
    got = pd.concat([period, monthly], ignore_index=True)
    goals = problem.goals[["org_id", "metric_code", "month", "goal"]].copy()
    goals["month"] = pd.to_datetime(goals["month"])
    got["month"] = pd.to_datetime(got["month"])
    out = goals.merge(got, on=["org_id", "metric_code", "month"], how="left")
    out["got"] = out["got"].fillna(0.0)
    out["gap"] = out["got"] - out["goal"]
    return out


def _rolled_up(
    values: pd.DataFrame, team: pd.DataFrame, ancestors: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    by_team = values.merge(team, on="rep_id").groupby([*keys, "team"], as_index=False)["value"]
    sums = by_team.sum().merge(ancestors, on="team")
    rolled: pd.DataFrame = sums.groupby([*keys, "org_id"], as_index=False)["value"].sum()
    return rolled.rename(columns={"value": "got"})


def check_goals(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Each goal (period or monthly) equals the sum of its subtree's targets."""
    gaps = goal_gaps(problem, result)
    tol = max(problem.tolerance, 1e-6) * np.maximum(1.0, gaps["goal"].abs())
    bad = gaps[gaps["gap"].abs() > tol]
    return [
        f"goal node {r.org_id} {r.metric_code} {r.month}: {r.got} != {r.goal}"
        for r in bad.itertuples()
    ]


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
