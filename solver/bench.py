"""Benchmarks: ``python -m solver.bench [--quick] [--case NAME]``.

Prints one JSON object per line: case, seconds, peak_mb (the case's own process), n, and a
reference figure computed in the same run (an analytic optimum, an error, a check time).
Each case runs in a fresh process so that peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from solver.decompose import check_result, decompose
from solver.decompose.check import goal_gaps
from solver.strategies import equal_difficulty
from solver.types import Allocation, DecompositionProblem, DecompositionResult, QuantileTable

Case = Callable[[int], dict[str, Any]]
LEVELS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
Z = np.array(
    [-1.645, -1.2816, -0.8416, -0.5244, -0.2533, 0.0, 0.2533, 0.5244, 0.8416, 1.2816, 1.645]
)


def quantile_table(n: int, seed: int = 0) -> QuantileTable:
    """Lognormal predictive quantiles around a median of ~100 per rep."""
    rng = np.random.default_rng(seed)
    median = rng.lognormal(np.log(100.0), 0.5, n)
    sigma = rng.uniform(0.1, 0.6, n)
    values = median[:, None] * np.exp(sigma[:, None] * Z[None, :])
    return QuantileTable(np.arange(n, dtype=np.int64), LEVELS.copy(), values)


def bench_equal_difficulty(n: int) -> dict[str, Any]:
    table = quantile_table(n)
    goal = 1.1 * float(table.values[:, 5].sum())
    start = time.perf_counter()
    result = equal_difficulty(table, goal)
    seconds = time.perf_counter() - start
    assert isinstance(result, Allocation) and result.rep_probability is not None
    spread = float(np.ptp(result.rep_probability))
    rel = abs(float(result.values.sum()) - goal) / goal
    return {
        "seconds": seconds,
        "goal_rel_error": rel,
        "probability_spread": spread,
        "probability": result.probability,
    }


def org_frames(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """company 1 > 8 regions > 4 branches each > teams of 10 reps."""
    rng = np.random.default_rng(seed)
    teams = max(1, n // 10)
    regions, branches = np.arange(2, 10), np.arange(10, 42)
    team_ids = np.arange(100, 100 + teams)
    org = pd.DataFrame(
        {
            "org_id": np.concatenate([[1], regions, branches, team_ids]),
            "parent_id": pd.array(
                np.concatenate(
                    [[-1], np.ones(8, int), np.repeat(regions, 4), rng.choice(branches, teams)]
                ),
                "Int64",
            ),
        }
    )
    org.loc[0, "parent_id"] = pd.NA
    reps = pd.DataFrame(
        {
            "rep_id": np.arange(n, dtype=np.int64),
            "org_id": rng.choice(team_ids, n).astype(np.int64),
            "rank_level": rng.integers(1, 7, n),
        }
    )
    return reps, org


def hierarchy_problem(
    n: int, *, months: int, metrics: tuple[str, ...], integer: frozenset[str], seed: int = 0
) -> DecompositionProblem:
    """Goals at every node (period) and company monthly goals, from a feasible point."""
    rng = np.random.default_rng(seed)
    reps, org = org_frames(n, seed)
    index = tuple(pd.date_range("2026-01-01", periods=months, freq="MS"))
    share = rng.uniform(0.6, 1.4, (n, months))
    share /= share.sum(axis=1, keepdims=True)
    phasing = pd.DataFrame(
        {
            "rep_id": np.repeat(reps["rep_id"], months),
            "month": np.tile(np.asarray(index, dtype="datetime64[ns]"), n),
            "share": share.ravel(),
        }
    )
    from solver.decompose.tree import ancestor_pairs

    pairs = ancestor_pairs(reps, org)
    cells, goals = [], []
    for metric in metrics:
        base = rng.lognormal(np.log(120.0 if metric == "revenue" else 12.0), 0.4, n)
        point = base * rng.uniform(0.7, 1.5, n)
        point = np.round(point) if metric in integer else point
        cells.append(
            pd.DataFrame(
                {
                    "rep_id": reps["rep_id"],
                    "metric_code": metric,
                    "ideal": base,
                    "weight": 1.0,
                    "floor": 0.6 * base,
                    "ceiling": 1.8 * base,
                    "lock": np.nan,
                }
            )
        )
        sums = pd.Series(point[pairs["pos"]]).groupby(pairs["org_id"].to_numpy()).sum()
        goals.append(
            pd.DataFrame(
                {
                    "org_id": sums.index,
                    "metric_code": metric,
                    "month": pd.NaT,
                    "goal": sums.to_numpy(),
                }
            )
        )
        if metric not in integer and months > 1:
            monthly = (point[:, None] * share).sum(axis=0)
            goals.append(
                pd.DataFrame(
                    {"org_id": 1, "metric_code": metric, "month": list(index), "goal": monthly}
                )
            )
    return DecompositionProblem(
        reps=reps,
        org=org,
        cells=pd.concat(cells, ignore_index=True),
        goals=pd.concat(goals, ignore_index=True),
        months=index,
        phasing=phasing,
        phasing_tolerance=0.0,
        integer_metrics=integer,
        time_limit_s=600.0,
    )


def bench_single_level_lp(n: int) -> dict[str, Any]:
    """One company goal, one month: the L1 optimum is known in closed form."""
    problem = hierarchy_problem(n, months=1, metrics=("revenue",), integer=frozenset())
    problem = _root_goal_only(problem, ratio=1.05)
    start = time.perf_counter()
    result = decompose(problem)
    seconds = time.perf_counter() - start
    assert isinstance(result, DecompositionResult)
    cells, goal = problem.cells, float(problem.goals["goal"].iloc[0])
    t0 = time.perf_counter()
    clamped = cells["ideal"].clip(cells["floor"], cells["ceiling"])
    analytic = float((clamped - cells["ideal"]).abs().sum() + abs(goal - clamped.sum()))
    analytic_s = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "objective": result.objective,
        "analytic_objective": analytic,
        "rel_gap": abs(result.objective - analytic) / analytic,
        "analytic_seconds": analytic_s,
    }


def _root_goal_only(problem: DecompositionProblem, ratio: float) -> DecompositionProblem:
    from dataclasses import replace

    goal = ratio * float(problem.cells["ideal"].sum())
    goals = pd.DataFrame(
        {"org_id": [1], "metric_code": ["revenue"], "month": [pd.NaT], "goal": [goal]}
    )
    return replace(problem, goals=goals)


def _bench_hierarchy(
    n: int, metrics: tuple[str, ...], integer: frozenset[str], phasing_tolerance: float = 0.0
) -> dict[str, Any]:
    from dataclasses import replace

    problem = hierarchy_problem(n, months=12, metrics=metrics, integer=integer)
    problem = replace(problem, phasing_tolerance=phasing_tolerance)
    start = time.perf_counter()
    result = decompose(problem)
    seconds = time.perf_counter() - start
    assert isinstance(result, DecompositionResult), result
    out: dict[str, Any] = {
        "seconds": seconds,
        "goals": len(problem.goals),
        "cells": len(result.monthly),
    }
    t0 = time.perf_counter()
    out["violations"] = len(check_result(problem, result))
    gaps = goal_gaps(problem, result)
    out["max_goal_gap"] = float((gaps["gap"].abs() / np.maximum(1.0, gaps["goal"].abs())).max())
    out["check_seconds"] = time.perf_counter() - t0
    return out


def bench_hierarchy(n: int) -> dict[str, Any]:
    return _bench_hierarchy(n, ("revenue", "new_customers"), frozenset({"new_customers"}))


def bench_phasing(n: int) -> dict[str, Any]:
    """The hierarchy with months free to move 20% off each rep's seasonal share."""
    return _bench_hierarchy(n, ("revenue",), frozenset(), phasing_tolerance=0.2)


def conflicting_problem(n: int, seed: int = 0) -> DecompositionProblem:
    """The hierarchy with goals no bounds allow: the goal point wanders outside the rank
    bounds, each rep's probability band sits around a forecast that may lie beyond its
    ceiling, and a cap on the rise over last year bites the fast growers."""
    from dataclasses import replace

    problem = hierarchy_problem(n, months=12, metrics=_METRICS, integer=_INTEGER, seed=seed)
    rng = np.random.default_rng(seed + 1)
    cells = problem.cells.copy()
    forecast = cells["ideal"] * rng.lognormal(0.0, 0.35, len(cells))
    last_year = cells["ideal"] * rng.lognormal(-0.1, 0.3, len(cells))
    cells["band_lo"] = 0.75 * forecast
    cells["band_hi"] = 1.3 * forecast
    cells["cap"] = 1.5 * last_year
    goals = problem.goals.copy()
    period = goals["month"].isna()
    stretch = rng.uniform(0.8, 1.5, int(period.sum()))  # some teams far above their bounds
    goals.loc[period, "goal"] = goals.loc[period, "goal"] * stretch
    goals = _consistent_tree(problem, goals)
    return replace(problem, cells=cells, goals=goals)


def _consistent_tree(problem: DecompositionProblem, goals: pd.DataFrame) -> pd.DataFrame:
    """Each node's period goal re-added from its teams' (rounded for integer metrics) and
    the company's monthly goals rescaled to its total: only soft constraints conflict."""
    from solver.decompose.tree import ancestor_pairs

    out = goals.copy()
    teams = problem.reps["org_id"].drop_duplicates().to_numpy()
    is_team = out["org_id"].isin(teams) & out["month"].isna()
    for metric in out["metric_code"].drop_duplicates():
        rows = is_team & (out["metric_code"] == metric)
        if metric in problem.integer_metrics:
            out.loc[rows, "goal"] = np.round(out.loc[rows, "goal"])
        team_goal = out[rows].set_index("org_id")["goal"]
        pairs = ancestor_pairs(problem.reps.drop_duplicates("org_id"), problem.org)
        pairs["team"] = problem.reps.drop_duplicates("org_id")["org_id"].to_numpy()[pairs["pos"]]
        node_goal = pairs.assign(goal=team_goal.reindex(pairs["team"]).to_numpy())
        sums = node_goal.groupby("org_id")["goal"].sum()
        period = out["month"].isna() & (out["metric_code"] == metric)
        out.loc[period, "goal"] = sums.reindex(out.loc[period, "org_id"]).to_numpy()
        monthly = out["month"].notna() & (out["metric_code"] == metric)
        if monthly.any():
            scale = sums.get(1, 0.0) / out.loc[monthly, "goal"].sum()
            out.loc[monthly, "goal"] *= scale
    return out


_METRICS = ("revenue", "new_customers")
_INTEGER = frozenset({"new_customers"})


def bench_elastic(n: int) -> dict[str, Any]:
    """The conflicting hierarchy, default (elastic) settings; the strict mode refuses it."""
    problem = conflicting_problem(n)
    start = time.perf_counter()
    result = decompose(problem)
    seconds = time.perf_counter() - start
    assert isinstance(result, DecompositionResult), result
    t0 = time.perf_counter()
    gaps = goal_gaps(problem, result)
    out: dict[str, Any] = {
        "seconds": seconds,
        "goals": len(problem.goals),
        "cells": len(result.monthly),
        "relaxed_constraints": len(result.relaxations),
        "violations": len(check_result(problem, result)),
        "max_goal_gap": float((gaps["gap"].abs() / np.maximum(1.0, gaps["goal"].abs())).max()),
    }
    out["check_seconds"] = time.perf_counter() - t0
    by_family: dict[str, int] = {}
    for x in result.relaxations:
        by_family[x.family] = by_family.get(x.family, 0) + 1
    out["relaxed_by_family"] = by_family
    return out


def bench_integer(n: int) -> dict[str, Any]:
    return _bench_hierarchy(n, ("new_customers",), frozenset({"new_customers"}))


def forecast_frames(n: int, months: int = 24) -> tuple[dict[str, pd.DataFrame], float]:
    """The frames the forecaster reads, written chunk by chunk and read back (as the service
    loads them from its database), so the case's peak memory is the forecaster's, not the
    in-memory generator's; and the seconds that took."""
    import tempfile
    from pathlib import Path

    from solver.synth import CompanyConfig, write_company

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_company(CompanyConfig(n_reps=n, months=months, seed=7), Path(tmp))
        frames = {
            name: pd.read_parquet(Path(tmp) / name)
            for name in ("monthly_actuals", "reps", "ranks", "deals")
        }
    return frames, time.perf_counter() - start


def bench_forecast(n: int) -> dict[str, Any]:
    """Panel, training (calibration fit + final fit) and a 12-month prediction.

    Reference: the independent check that no rep's predicted quantiles cross.
    """
    from solver.forecast import build_panel, fit_forecaster, level_column

    frames, generate_s = forecast_frames(n)
    actuals = frames["monthly_actuals"]
    actuals = actuals[actuals["metric_code"].isin(["revenue", "conversion_rate"])]
    start = time.perf_counter()
    panel = build_panel(actuals, frames["reps"], ranks=frames["ranks"], deals=frames["deals"])
    panel_s = time.perf_counter() - start
    t0 = time.perf_counter()
    forecaster = fit_forecaster(panel)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = forecaster.predict(12)
    predict_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    values = frame[[level_column(q) for q in forecaster.levels]].to_numpy()
    crossing = int((np.diff(values, axis=1) < 0).any(axis=1).sum())
    return {
        "seconds": panel_s + train_s + predict_s,
        "panel_seconds": panel_s,
        "train_seconds": train_s,
        "predict_seconds": predict_s,
        "rows": len(frame),
        "crossing_quantiles": crossing,
        "check_seconds": time.perf_counter() - t0,
        "generate_seconds": generate_s,
    }


def bench_backtest(n: int) -> dict[str, Any]:
    """The rolling-origin backtest of a 36-month company (3 origins x 3 months).

    Reference: the design point, which the realised share of reps at target should match.
    """
    from solver.evaluate import History, run_backtest
    from solver.synth import CompanyConfig, generate_company

    t0 = time.perf_counter()
    company = generate_company(CompanyConfig(n_reps=n, months=36, seed=7))
    generate_s = time.perf_counter() - t0
    summary = run_backtest(History.from_company(company)).summary
    keys = ("wape", "wape_seasonal_naive", "ece", "coverage_80", "design_point")
    return {
        "seconds": summary["seconds"],
        **{k: summary[k] for k in (*keys, "share_at_target")},
        "share_gap": abs(summary["share_at_target"] - summary["design_point"]),
        "generate_seconds": generate_s,
    }


CASES: dict[str, tuple[Case, tuple[int, ...], tuple[int, ...]]] = {
    # name: (function, full sizes, quick sizes)
    "equal_difficulty": (bench_equal_difficulty, (1_000_000,), (100_000,)),
    "lp_single_level": (bench_single_level_lp, (100_000, 1_000_000), (10_000,)),
    "lp_hierarchy_12m_2metrics": (bench_hierarchy, (10_000, 100_000), (2_000,)),
    "lp_hierarchy_12m_phasing": (bench_phasing, (10_000, 100_000), (2_000,)),
    "elastic_hierarchy_12m_2metrics": (bench_elastic, (10_000, 100_000), (2_000,)),
    "integer_metric": (bench_integer, (100_000,), (5_000,)),
    "forecast_train_predict_24m": (bench_forecast, (100_000,), (2_000,)),
    "backtest_36m": (bench_backtest, (2_000,), (300,)),
}


def _silence_stdout() -> None:
    """In each case's process, before anything runs: native libraries (HiGHS' banner,
    LightGBM's warnings, OpenMP) write to file descriptor 1 with their own buffers, which
    would interleave with the JSON lines when stdout is a file. Only the parent prints."""
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process


def _run(name: str, n: int) -> dict[str, Any]:
    result = CASES[name][0](n)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {
        "case": name,
        "n": n,
        "seconds": round(result.pop("seconds"), 3),
        "peak_mb": round(peak_mb, 1),
        **result,
    }


def resolve_case(name: str, parser: argparse.ArgumentParser) -> str:
    """The case named, or the only one starting with ``name`` (``forecast``)."""
    if name in CASES:
        return name
    matches = [case for case in CASES if case.startswith(name)]
    if len(matches) != 1:
        parser.error(f"--case {name!r} matches {matches or 'no case'}; cases: {', '.join(CASES)}")
    return matches[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--case", action="append", help=f"a case or a unique prefix of one: {', '.join(CASES)}"
    )
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    for name in [resolve_case(c, parser) for c in args.case] if args.case else list(CASES):
        _, full, quick = CASES[name]
        for n in quick if args.quick else full:
            with ProcessPoolExecutor(1, mp_context=context, initializer=_silence_stdout) as pool:
                line = json.dumps(pool.submit(_run, name, n).result())
            print(line, flush=True)


if __name__ == "__main__":
    main()
