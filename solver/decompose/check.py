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


# bound column -> (family, side) as named by a relaxation
COLUMNS = {
    "floor": ("rank", "lower", 1),
    "ceiling": ("rank", "upper", -1),
    "band_lo": ("band", "lower", 1),
    "band_hi": ("band", "upper", -1),
    "cap": ("cap", "upper", -1),
}


def check_bounds(problem: DecompositionProblem, result: DecompositionResult) -> list[str]:
    """Locked totals equal their lock; unlocked totals within every bound family, except
    where a relaxation names the rep (or a goal node above it) for that family and side, and
    then the family's violations add up to no more than the relaxations' amounts."""
    cells = problem.cells.merge(
        result.totals[["rep_id", "metric_code", "value"]], on=["rep_id", "metric_code"]
    )
    lock = cells["lock"] if "lock" in cells else pd.Series(np.nan, cells.index)
    covered = _covered_reps(problem, result)
    out = []
    for col, (family, side, sign) in COLUMNS.items():
        if col not in cells:
            continue
        free = cells[cells[col].notna() & lock.isna()]
        short = (-sign * (free["value"] - free[col])).clip(lower=0.0)
        over = short > np.maximum(1e-6, 1e-9 * free[col].abs())
        mine = covered[(covered["family"] == family) & (covered["side"] == side)]
        keys = pd.MultiIndex.from_frame(free[["rep_id", "metric_code"]])
        ok = keys.isin(pd.MultiIndex.from_frame(mine[["rep_id", "metric_code"]]))
        for r in free[over.to_numpy() & ~ok].itertuples():
            out.append(f"rep {r.rep_id} {r.metric_code}: {col} {getattr(r, col)} vs {r.value}")
        out += _within_amounts(problem, result, free, short, family, side)
    locked = cells[lock.notna()]
    for r in locked[(locked["value"] - locked["lock"]).abs() > 1e-6].itertuples():
        out.append(f"rep {r.rep_id} {r.metric_code}: lock {r.lock} vs {r.value}")
    return out


def _covered_reps(problem: DecompositionProblem, result: DecompositionResult) -> pd.DataFrame:
    """rep_id, metric_code, family, side that some relaxation allows off its bound."""
    columns = ["rep_id", "metric_code", "family", "side"]
    named = pd.DataFrame(
        [
            (x.rep_id, x.org_id, x.metric, x.family, x.side, x.scope)
            for x in result.relaxations
            if x.side is not None
        ],
        columns=["rep_id", "org_id", "metric_code", "family", "side", "scope"],
    )
    reps = named[named["scope"] == "rep"][columns]
    nodes = named[named["scope"] == "node"].drop(columns="rep_id")
    teams = nodes.merge(_team_ancestors(problem), on="org_id")
    under = teams.merge(
        problem.reps[["rep_id", "org_id"]].rename(columns={"org_id": "team"}), on="team"
    )
    return pd.concat([reps, under[columns]], ignore_index=True)


def _within_amounts(
    problem: DecompositionProblem,
    result: DecompositionResult,
    free: pd.DataFrame,
    short: pd.Series,
    family: str,
    side: str,
) -> list[str]:
    """A family gives no more than its relaxations say (integer rounding: a unit per rep)."""
    out = []
    for metric, total in short.groupby(free["metric_code"]).sum().items():
        named = [
            x for x in result.relaxations if (x.metric, x.family, x.side) == (metric, family, side)
        ]
        allowed = sum(x.amount for x in named)
        slack = float(sum(x.reps for x in named)) if metric in problem.integer_metrics else 0.0
        if total > allowed * (1 + 1e-6) + 1e-6 + slack:
            out.append(
                f"{metric} {family} {side}: violated by {total:.6g}, relaxed by {allowed:.6g}"
            )
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
    """Mean target per rank never decreases with the rank level (per team or overall), or
    by no more than a monotonicity relaxation of the metric says."""
    if problem.monotonicity == "none":
        return []
    given = {x.metric: x.amount for x in result.relaxations if x.family == "monotonicity"}
    frame = result.totals.merge(problem.reps, on="rep_id")
    frame["group"] = frame["org_id"] if problem.monotonicity == "team" else 0
    means = frame.groupby(["metric_code", "group", "rank_level"])["value"].mean()
    slack = 1.0 if problem.integer_metrics else 1e-6
    out = []
    for key, series in means.groupby(level=[0, 1]):
        metric = str(series.index.get_level_values(0)[0])
        drops = np.diff(series.to_numpy()) + given.get(metric, 0.0) * (1 + 1e-9)
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
