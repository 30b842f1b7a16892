"""Decompose goals into targets per rep x metric x month (see ``model`` for the LP)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from solver.decompose import model as m
from solver.decompose.bounds import effective_bounds, goal_conflicts, rep_conflicts
from solver.decompose.integer_months import round_cells
from solver.decompose.rounding import polish, round_to_goals, spread_integer
from solver.decompose.tree import Membership, membership
from solver.types import (
    Conflict,
    DecompositionProblem,
    DecompositionResult,
    FloatArray,
    InfeasibilityReport,
    IntArray,
)


@dataclass(frozen=True, eq=False)
class MetricInput:
    """One metric's data aligned to the order of ``problem.reps``."""

    metric: str
    integer: bool
    ideal: FloatArray
    weight: FloatArray
    bounds: pd.DataFrame
    member: Membership
    goals: FloatArray
    monthly_rows: sp.csr_matrix
    monthly_month: IntArray
    monthly_goals: FloatArray
    monthly_nodes: IntArray

    @property
    def lo(self) -> FloatArray:
        return self.bounds["lo"].to_numpy(dtype=np.float64)

    @property
    def hi(self) -> FloatArray:
        return self.bounds["hi"].to_numpy(dtype=np.float64)


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
    """Align one metric's cells and goals, and check the necessary conditions."""
    integer = metric in problem.integer_metrics
    cells = _metric_cells(problem, metric)
    bounds = effective_bounds(cells, integer=integer)
    goals = problem.goals[problem.goals["metric_code"] == metric]
    period = goals[goals["month"].isna()]
    member = membership(problem.reps, problem.org, period["org_id"].to_numpy(dtype=np.int64))
    goal_values = period["goal"].to_numpy(dtype=np.float64)
    conflicts = rep_conflicts(cells, bounds, metric)
    conflicts += goal_conflicts(member, goal_values, bounds, metric)
    conflicts += _monthly_sum_conflicts(problem, goals, bounds, metric)
    monthly_goals = goals[goals["month"].notna()]
    conflicts += _monthly_vs_period(period, monthly_goals, metric, len(problem.months))
    if integer:
        conflicts += _fractional_goals(goals, metric)
    if conflicts:
        return conflicts
    monthly = goals[goals["month"].notna()]
    nodes = monthly["org_id"].drop_duplicates().to_numpy(dtype=np.int64)
    rows = membership(problem.reps, problem.org, nodes).matrix
    rows = rows[pd.Index(nodes).get_indexer(monthly["org_id"])]
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
    )


def _monthly_vs_period(
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


def _monthly_sum_conflicts(
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


def _fractional_goals(goals: pd.DataFrame, metric: str) -> list[Conflict]:
    frac = goals[np.abs(goals["goal"] - np.round(goals["goal"])) > 1e-9]
    out = []
    for r in frac.itertuples():
        when = "" if pd.isna(r.month) else f" {pd.Timestamp(r.month):%Y-%m}"
        msg = (
            f"node {r.org_id}{when} {metric}: an integer metric needs an integer goal, not {r.goal}"
        )
        out.append(Conflict("goal", f"node {r.org_id}", metric, abs(r.goal - round(r.goal)), msg))
    return out


def build_lp(
    problem: DecompositionProblem,
    inp: MetricInput,
    share: FloatArray,
    *,
    monthly: bool = True,
    monotone: bool = True,
) -> tuple[m.LinearProgram, bool]:
    """Assemble the LP; returns it and whether it carries phasing deviations ``d``."""
    n, months = share.shape
    # Integer months cannot follow the shares exactly: they may move by a unit either way.
    moves = problem.phasing_tolerance > 0 or inp.integer
    with_d = monthly and len(inp.monthly_goals) > 0 and moves and months > 1
    n_d = n * months if with_d else 0
    lp = m.add_deviation_vars(inp.ideal, inp.lo, inp.hi, inp.weight, n_d)
    if with_d:
        # |d_rm| <= tol s_rm lo_r keeps every month at or above (1 - tol) s_rm lo_r >= 0.
        room = (problem.phasing_tolerance * share * inp.lo[:, None]).ravel()
        if inp.integer:
            room = np.maximum(room, 1.0)
        lp.var_lo[2 * n :], lp.var_hi[2 * n :] = -room, room
        lp.add("phasing", m.add_phasing_rows(n, months))
        if inp.integer:  # a unit down could take a small month below zero
            lp.add("non-negative month", m.add_nonnegative_month_rows(share, inp.ideal, inp.lo))
    n_var = len(lp.cost)
    keep = _independent_goal_rows(inp)
    lp.add("goal", m.add_goal_rows(inp.member.matrix[keep], inp.goals[keep], inp.ideal, n_var))
    if monthly and len(inp.monthly_goals):
        rows = _independent_monthly_rows(inp, months)
        block = m.add_monthly_goal_rows(
            inp.monthly_rows[rows],
            inp.monthly_month[rows],
            inp.monthly_goals[rows],
            share,
            inp.ideal,
            with_d,
        )
        lp.add("monthly goal", block)
    if monotone and problem.monotonicity != "none":
        group = problem.reps["org_id"] if problem.monotonicity == "team" else 0
        groups = pd.DataFrame({"group": group, "rank_level": problem.reps["rank_level"]})
        lp.add(
            "monotonicity", m.add_monotonicity_rows(groups.reset_index(drop=True), inp.ideal, n_var)
        )
    return lp, with_d


def _independent_goal_rows(inp: MetricInput) -> IntArray:
    """Period goal rows that are not sums of others: HiGHS' dependent-row search is very slow.

    A node without free reps is the sum of its child goal nodes (checked upfront).
    """
    has_free = np.array([len(f) > 0 for f in inp.member.free], dtype=bool)
    return np.flatnonzero(has_free)


def _independent_monthly_rows(inp: MetricInput, months: int) -> IntArray:
    """Monthly goal rows without the last month of nodes that also have a period goal.

    With a goal in every month, the months add up to the period goal (checked upfront), so
    the last month's row is the period row minus the others.
    """
    nodes = pd.Series(inp.monthly_nodes)
    full = nodes.map(nodes.value_counts()) >= months
    period = nodes.isin(inp.member.nodes.tolist())
    last = pd.Series(inp.monthly_month).eq(months - 1)
    return np.flatnonzero(~(full & period & last).to_numpy())


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
) -> tuple[pd.DataFrame, pd.DataFrame, float] | list[Conflict]:
    """Solve, polish to exact goals, round integer metrics, and phase the totals by month."""
    lp, with_d = build_lp(problem, inp, share)
    sol = m.solve_lp(lp, time_limit_s=problem.time_limit_s, vertex=not with_d)
    if sol.status != "OPTIMAL":
        return _diagnose(problem, inp, share, sol.status)
    n, months = share.shape
    total = inp.ideal + sol.x[:n] - sol.x[n : 2 * n]
    total = polish(total, inp.lo, inp.hi, inp.member, inp.goals)
    d = sol.x[2 * n :].reshape(n, months) if with_d else np.zeros((n, months))
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
    return (
        _totals_frame(problem, inp, total),
        _monthly_frame(problem, inp.metric, monthly),
        objective,
    )


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
    for metric in problem.cells["metric_code"].drop_duplicates().tolist():
        inp = _prepare(problem, metric)
        solved = inp if isinstance(inp, list) else _solve_metric(problem, inp, share)
        if isinstance(solved, list):
            conflicts += solved
            continue
        totals.append(solved[0])
        monthly.append(solved[1])
        objective += solved[2]
    if conflicts:
        return InfeasibilityReport(tuple(conflicts))
    return DecompositionResult(
        pd.concat(totals, ignore_index=True),
        pd.concat(monthly, ignore_index=True),
        objective,
        "OPTIMAL",
        time.perf_counter() - start,
    )
