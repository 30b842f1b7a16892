"""Keyword-only factories for small solver test inputs."""

from __future__ import annotations

import numpy as np

from solver.types import QuantileTable, RepBounds

LEVELS = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95])


def make_table(*, n: int = 5, seed: int = 0, scale: float = 100.0) -> QuantileTable:
    """Lognormal-ish quantiles: median ~ scale x U(0.5, 1.5), spread ~ 30%."""
    rng = np.random.default_rng(seed)
    median = scale * rng.uniform(0.5, 1.5, n)
    sigma = rng.uniform(0.1, 0.5, n)
    z = np.array([-1.645, -1.2816, -0.6745, 0.0, 0.6745, 1.2816, 1.645])
    values = median[:, None] * np.exp(sigma[:, None] * z[None, :])
    return QuantileTable(np.arange(1, n + 1, dtype=np.int64), LEVELS.copy(), values)


def make_bounds(*, table: QuantileTable, lo_q: float = 0.5, hi_q: float = 1.6) -> RepBounds:
    """Bounds as multiples of each rep's median."""
    median = table.values[:, 3]
    return RepBounds(table.rep_ids, lo_q * median, hi_q * median)


def make_org():
    """company 1 > regions 2, 3 > teams 4, 5 (region 2) and 6 (region 3)."""
    import pandas as pd

    return pd.DataFrame(
        {"org_id": [1, 2, 3, 4, 5, 6], "parent_id": pd.array([None, 1, 1, 2, 2, 3], "Int64")}
    )


def make_problem(
    *,
    n: int = 12,
    seed: int = 0,
    months: int = 3,
    metrics: tuple[str, ...] = ("revenue",),
    goal_ratio: float = 1.0,
    goal_nodes: tuple[int, ...] = (1,),
    monthly_nodes: tuple[int, ...] = (),
    integer: frozenset[str] = frozenset(),
    lock_first: bool = False,
    monotonicity: str = "none",
    tolerance: float = 0.0,
    floor_q: float = 0.5,
    ceiling_q: float = 1.6,
    strict: bool = False,
):
    """A small decomposition problem whose goals are ``goal_ratio`` x a feasible point."""
    import pandas as pd

    from solver.types import DecompositionProblem

    rng = np.random.default_rng(seed)
    reps = pd.DataFrame(
        {
            "rep_id": np.arange(100, 100 + n, dtype=np.int64),
            "org_id": rng.choice([4, 5, 6], n).astype(np.int64),
            "rank_level": rng.integers(1, 4, n),
        }
    )
    month_index = tuple(pd.date_range("2026-01-01", periods=months, freq="MS"))
    raw_share = rng.uniform(0.5, 1.5, (n, months))
    share = raw_share / raw_share.sum(axis=1, keepdims=True)
    phasing = pd.DataFrame(
        {
            "rep_id": np.repeat(reps["rep_id"], months),
            "month": np.tile(month_index, n),
            "share": share.ravel(),
        }
    )
    frames, goals = [], []
    for metric in metrics:
        base = rng.uniform(20, 200, n) * (10 if metric == "revenue" else 1)
        point = base * rng.uniform(floor_q, ceiling_q, n)
        if metric in integer:  # rounded inside the integer bounds, as the solver rounds them
            point = np.clip(np.round(point), np.ceil(floor_q * base), np.floor(ceiling_q * base))
        cells = pd.DataFrame(
            {
                "rep_id": reps["rep_id"],
                "metric_code": metric,
                "ideal": base * rng.uniform(0.7, 1.3, n),
                "weight": rng.uniform(0.5, 2.0, n),
                "floor": floor_q * base,
                "ceiling": ceiling_q * base,
                "lock": np.nan,
            }
        )
        if lock_first:
            cells.loc[0, "lock"] = point[0]
        frames.append(cells)
        by_team = pd.Series(point).groupby(reps["org_id"].to_numpy()).sum()
        node_sum = {
            1: point.sum(),
            2: by_team.get(4, 0) + by_team.get(5, 0),
            3: by_team.get(6, 0),
            4: by_team.get(4, 0),
            5: by_team.get(5, 0),
            6: by_team.get(6, 0),
        }
        for node in goal_nodes:
            goal = node_sum[node] * goal_ratio
            goals.append((node, metric, pd.NaT, round(goal) if metric in integer else goal))
        monthly = point[:, None] * share
        if metric in integer:  # an integer point: each rep's total spread by largest remainder
            from solver.decompose.rounding import spread_integer

            monthly = spread_integer(point, share)
        for node in monthly_nodes:
            for j, month in enumerate(month_index):
                member = reps["org_id"].isin({1: [4, 5, 6], 2: [4, 5], 3: [6]}.get(node, [node]))
                goals.append((node, metric, month, float(monthly[:, j][member].sum())))
    return DecompositionProblem(
        reps=reps,
        org=make_org(),
        cells=pd.concat(frames, ignore_index=True),
        goals=pd.DataFrame(goals, columns=["org_id", "metric_code", "month", "goal"]),
        months=month_index,
        phasing=phasing,
        phasing_tolerance=tolerance,
        integer_metrics=integer,
        monotonicity=monotonicity,  # type: ignore[arg-type]
        time_limit_s=10.0,
        strict=strict,
    )
