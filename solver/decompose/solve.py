"""Decompose goals into targets per rep x metric x month (see ``model`` for the LP)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from solver.decompose import model as m
from solver.decompose.assemble import MetricInput, build_lp
from solver.decompose.bounds import effective_bounds, goal_conflicts, rep_conflicts
from solver.decompose.elastic import elastic_bounds
from solver.decompose.goal_checks import (
    fractional_goals,
    monthly_sum_conflicts,
    monthly_vs_period,
    period_like_goals,
)
from solver.decompose.integer_months import round_cells
from solver.decompose.months import fit_months
from solver.decompose.rounding import polish, round_to_goals, spread_integer
from solver.decompose.tree import membership
from solver.types import (
    Conflict,
    DecompositionProblem,
    DecompositionResult,
    FloatArray,
    InfeasibilityReport,
    Relaxation,
)


def share_matrix(problem: DecompositionProblem) -> FloatArray:
    """Each rep's monthly phasing shares as an (n_reps, n_months) matrix; uniform by default."""
    n, months = len(problem.reps), len(problem.months)
    if problem.phasing is None:
        return np.full((n, months), 1.0 / months)
    wide = problem.phasing.pivot_table(index="rep_id", columns="month", values="share")
    wide = wide.reindex(index=problem.reps["rep_id"], columns=list(problem.months))
    share = wide.to_numpy(dtype=np.float64)
    share = np.where(np.isnan(share), 0.0, share)
    total = share.sum(axis=1, keepdims=True)
    out: FloatArray = np.where(total > 0, share / np.where(total > 0, total, 1.0), 1.0 / months)
    return out


def _metric_cells(problem: DecompositionProblem, metric: str) -> pd.DataFrame:
    cells = problem.cells[problem.cells["metric_code"] == metric].set_index("rep_id")
    cells = cells.reindex(problem.reps["rep_id"]).reset_index()
    cells["ideal"] = cells["ideal"].fillna(0.0)
    cells["weight"] = cells["weight"].fillna(1.0) if "weight" in cells else 1.0
    return cells


def _prepare(problem: DecompositionProblem, metric: str) -> MetricInput | list[Conflict]:
    """Align one metric's cells and goals, and check the necessary conditions.

    Strict problems refuse any conflict; otherwise the soft bound families give (``elastic``)
    and only the hard constraints (goals, locks, integrality) can refuse.
    """
    integer = metric in problem.integer_metrics
    cells = _metric_cells(problem, metric)
    goals = problem.goals[problem.goals["metric_code"] == metric]
    period = goals[goals["month"].isna()]
    monthly = goals[goals["month"].notna()]
    member = membership(problem.reps, problem.org, period["org_id"].to_numpy(dtype=np.int64))
    goal_values = period["goal"].to_numpy(dtype=np.float64)
    relaxations: tuple[Relaxation, ...] = ()
    if problem.strict:
        bounds = effective_bounds(cells, integer=integer)
        conflicts = rep_conflicts(cells, bounds, metric)
        conflicts += goal_conflicts(member, goal_values, bounds, metric)
        conflicts += monthly_sum_conflicts(problem, goals, bounds, metric)
    else:
        nodes, values = period_like_goals(period, monthly, len(problem.months))
        implied = len(nodes) > len(period)
        groups = membership(problem.reps, problem.org, nodes) if implied else member
        elastic = elastic_bounds(cells, groups, values, integer=integer, metric=metric)
        bounds, relaxations = elastic.bounds, elastic.relaxations
        conflicts = list(elastic.conflicts)
    conflicts += monthly_vs_period(period, monthly, metric, len(problem.months))
    if integer:
        conflicts += fractional_goals(goals, metric)
    if conflicts:
        return conflicts
    nodes = monthly["org_id"].drop_duplicates().to_numpy(dtype=np.int64)
    if len(nodes):
        rows = membership(problem.reps, problem.org, nodes).matrix
        rows = rows[pd.Index(nodes).get_indexer(pd.Index(monthly["org_id"]))]
    else:
        rows = sp.csr_matrix((0, len(problem.reps)))
    month_pos = pd.Index(list(problem.months)).get_indexer(pd.DatetimeIndex(monthly["month"]))
    return MetricInput(
        metric,
        integer,
        cells["ideal"].to_numpy(np.float64),
        cells["weight"].to_numpy(np.float64),
        bounds,
        member,
        goal_values,
        rows,
        month_pos.astype(np.int64),
        monthly["goal"].to_numpy(dtype=np.float64),
        monthly["org_id"].to_numpy(dtype=np.int64),
        relaxations,
    )


def _diagnose(
    problem: DecompositionProblem, inp: MetricInput, share: FloatArray, status: str
) -> list[Conflict]:
    """Name the row family whose removal makes the LP feasible."""
    for family, kwargs in (("monotonicity", {"monotone": False}), ("goal", {"monthly": False})):
        lp, _ = build_lp(problem, inp, share, **kwargs)
        if m.solve_lp(lp, time_limit_s=problem.time_limit_s).status == "OPTIMAL":
            what = "rank monotonicity" if family == "monotonicity" else "monthly goals"
            msg = f"{inp.metric}: {what} conflict with the other constraints (HiGHS: {status})"
            return [Conflict(family, "model", inp.metric, float("nan"), msg)]  # type: ignore[arg-type]
    msg = f"{inp.metric}: the constraints have no common solution (HiGHS: {status})"
    return [Conflict("goal", "model", inp.metric, float("nan"), msg)]


def _solve_metric(
    problem: DecompositionProblem, inp: MetricInput, share: FloatArray
) -> Solved | list[Conflict]:
    """Solve, polish to exact goals, round integer metrics, and phase the totals by month."""
    sol, with_d, gave = _solve_lp(problem, inp, share)
    if sol.status != "OPTIMAL":
        return _diagnose(problem, inp, share, sol.status)
    n, months = share.shape
    total = inp.ideal + sol.x[:n] - sol.x[n : 2 * n]
    total = polish(total, inp.lo, inp.hi, inp.member, inp.goals)
    if "phasing" in gave:
        moved = _months_past_tolerance(problem, inp, share, total)
        if moved is None:
            msg = f"{inp.metric}: the monthly goals cannot be met with non-negative months"
            return [Conflict("goal", "months", inp.metric, float("nan"), msg)]
        d, slack = moved
    else:
        d = sol.x[2 * n :].reshape(n, months) if with_d else np.zeros((n, months))
        slack = np.zeros((n, months))
    relaxations = (*inp.relaxations, *_lp_relaxations(problem, inp, total, slack, gave))
    if inp.integer and len(inp.monthly_goals):
        cells = round_cells(
            share * total[:, None] + d,
            inp.lo,
            inp.hi,
            inp.member.matrix,
            inp.goals,
            inp.monthly_rows,
            inp.monthly_month,
            inp.monthly_goals,
            time_limit_s=problem.time_limit_s,
        )
        if cells is None:
            msg = f"{inp.metric}: no integer monthly targets meet the monthly goals in time"
            return [Conflict("goal", "rounding", inp.metric, float("nan"), msg)]
        total, monthly = cells.sum(axis=1), cells
    elif inp.integer:
        total, failed = round_to_goals(total, inp.lo, inp.hi, inp.member, inp.goals)
        if failed:
            msg = f"{inp.metric}: integer rounding could not meet {len(failed)} goal(s)"
            return [Conflict("goal", "rounding", inp.metric, float(len(failed)), msg)]
        monthly = spread_integer(total, share)
    else:
        monthly = share * total[:, None] + d
    objective = float(np.sum(inp.weight * np.abs(total - inp.ideal)))
    return Solved(
        _totals_frame(problem, inp, total),
        _monthly_frame(problem, inp.metric, monthly),
        objective,
        relaxations,
    )


@dataclass(frozen=True, eq=False)
class Solved:
    totals: pd.DataFrame
    monthly: pd.DataFrame
    objective: float
    relaxations: tuple[Relaxation, ...]


def _solve_lp(
    problem: DecompositionProblem, inp: MetricInput, share: FloatArray
) -> tuple[m.LpSolution, bool, frozenset[str]]:
    """The LP as posed; if it has no solution and the problem is elastic, again with the
    LP-level soft families given up in priority order: phasing (the totals are solved
    without the monthly goals, whose months are then fitted), then rank monotonicity.
    Returns the solution, whether it has phasing columns, and the families that gave."""
    lp, with_d = build_lp(problem, inp, share)
    sol = m.solve_lp(lp, time_limit_s=problem.time_limit_s, vertex=not with_d)
    if sol.status == "OPTIMAL" or problem.strict:
        return sol, with_d, frozenset()
    tries: list[frozenset[str]] = []
    if len(inp.monthly_goals):
        tries.append(frozenset({"phasing"}))
    if problem.monotonicity != "none":
        tries += [frozenset({"monotonicity"}), frozenset({"phasing", "monotonicity"})]
    for gave in dict.fromkeys(tries):
        monthly, monotone = "phasing" not in gave, "monotonicity" not in gave
        lp, retry_d = build_lp(problem, inp, share, monthly=monthly, monotone=monotone)
        retry = m.solve_lp(lp, time_limit_s=problem.time_limit_s, vertex=not retry_d)
        if retry.status == "OPTIMAL":
            return retry, retry_d, gave
    return sol, with_d, frozenset()


def _months_past_tolerance(
    problem: DecompositionProblem, inp: MetricInput, share: FloatArray, total: FloatArray
) -> tuple[FloatArray, FloatArray] | None:
    """Months fitted to the monthly goals from the seasonal split: the deviations ``d`` and
    the part of each beyond the phasing tolerance."""
    seasonal = share * total[:, None]
    fitted = fit_months(
        seasonal,
        total,
        inp.monthly_rows,
        inp.monthly_month,
        inp.monthly_goals,
        inp.monthly_nodes,
    )
    if fitted is None:
        return None
    d = fitted - seasonal
    room = problem.phasing_tolerance * share * inp.lo[:, None]
    return d, np.maximum(np.abs(d) - room, 0.0)


def _lp_relaxations(
    problem: DecompositionProblem,
    inp: MetricInput,
    total: FloatArray,
    slack: FloatArray,
    gave: frozenset[str],
) -> list[Relaxation]:
    out = []
    moved = slack.sum(axis=1)
    if "phasing" in gave and moved.sum() > 1e-9 * max(1.0, float(np.abs(total).sum())):
        out.append(
            Relaxation(
                family="phasing",
                side=None,
                scope="metric",
                metric=inp.metric,
                rep_id=None,
                org_id=None,
                limit=float(problem.phasing_tolerance),
                required=float(moved.sum() / max(float(np.abs(total).sum()), 1e-12)),
                amount=float(moved.sum()),
                because="goal",
                reps=int(np.count_nonzero(moved > 1e-9)),
            )
        )
    if "monotonicity" in gave:
        drop = _largest_rank_drop(problem, total)
        if drop > 0:
            out.append(
                Relaxation(
                    "monotonicity", None, "metric", inp.metric, None, None, 0.0, drop, drop, "goal"
                )
            )
    return out


def _largest_rank_drop(problem: DecompositionProblem, total: FloatArray) -> float:
    """How far the mean target of some rank falls below the rank beneath it (0 if never)."""
    group = problem.reps["org_id"] if problem.monotonicity == "team" else 0
    frame = pd.DataFrame({"group": group, "rank_level": problem.reps["rank_level"], "value": total})
    means = frame.groupby(["group", "rank_level"])["value"].mean()
    drops = -means.groupby(level=0).diff()
    return float(max(drops.max(), 0.0)) if len(drops.dropna()) else 0.0


def binding_family(values: FloatArray, bounds: pd.DataFrame, *, tol: float = 1e-7) -> FloatArray:
    """The family of the bound each value sits on ("" when strictly inside)."""
    lo, hi = bounds["lo"].to_numpy(), bounds["hi"].to_numpy()
    scale = tol * np.maximum(1.0, np.abs(values))
    at_lo = (values <= lo + scale) & (bounds["lo_family"] != "").to_numpy()
    at_hi = (values >= hi - scale) & (bounds["hi_family"] != "").to_numpy()
    out = np.where(at_hi, bounds["hi_family"].to_numpy(), "")
    family: FloatArray = np.where(at_lo, bounds["lo_family"].to_numpy(), out)
    return family


def _totals_frame(
    problem: DecompositionProblem, inp: MetricInput, total: FloatArray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_id": problem.reps["rep_id"].to_numpy(),
            "metric_code": inp.metric,
            "value": total,
            "ideal": inp.ideal,
            "lo": inp.lo,
            "hi": inp.hi,
            "binding": binding_family(total, inp.bounds),
        }
    )


def _monthly_frame(problem: DecompositionProblem, metric: str, monthly: FloatArray) -> pd.DataFrame:
    n, months = monthly.shape
    return pd.DataFrame(
        {
            "rep_id": np.repeat(problem.reps["rep_id"].to_numpy(), months),
            "metric_code": metric,
            "month": np.tile(np.asarray(problem.months, dtype="datetime64[ns]"), n),
            "value": monthly.ravel(),
        }
    )


def decompose(problem: DecompositionProblem) -> DecompositionResult | InfeasibilityReport:
    """Targets meeting every goal exactly, as close as possible to the ideal (weighted L1).

    Returns an ``InfeasibilityReport`` naming the conflicting constraints and amounts when the
    necessary conditions fail or the LP has no solution; never a silent fallback.
    """
    start = time.perf_counter()
    share = share_matrix(problem)
    totals, monthly, conflicts, objective = [], [], [], 0.0
    relaxations: list[Relaxation] = []
    for metric in problem.cells["metric_code"].drop_duplicates().tolist():
        inp = _prepare(problem, metric)
        solved = inp if isinstance(inp, list) else _solve_metric(problem, inp, share)
        if isinstance(solved, list):
            conflicts += solved
            continue
        totals.append(solved.totals)
        monthly.append(solved.monthly)
        objective += solved.objective
        relaxations += solved.relaxations
    if conflicts:
        return InfeasibilityReport(tuple(conflicts))
    return DecompositionResult(
        pd.concat(totals, ignore_index=True),
        pd.concat(monthly, ignore_index=True),
        objective,
        "OPTIMAL",
        time.perf_counter() - start,
        tuple(relaxations),
    )
