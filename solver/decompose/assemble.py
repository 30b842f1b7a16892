"""One metric's aligned data and the LP assembled from it (see ``model`` for the blocks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from solver.decompose import model as m
from solver.decompose.tree import Membership
from solver.types import DecompositionProblem, FloatArray, IntArray, Relaxation


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
    relaxations: tuple[Relaxation, ...] = ()

    @property
    def lo(self) -> FloatArray:
        return self.bounds["lo"].to_numpy(dtype=np.float64)

    @property
    def hi(self) -> FloatArray:
        return self.bounds["hi"].to_numpy(dtype=np.float64)


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
    keep = independent_goal_rows(inp)
    lp.add("goal", m.add_goal_rows(inp.member.matrix[keep], inp.goals[keep], inp.ideal, n_var))
    if monthly and len(inp.monthly_goals):
        rows = independent_monthly_rows(inp, months)
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


def independent_goal_rows(inp: MetricInput) -> IntArray:
    """Period goal rows that are not sums of others: HiGHS' dependent-row search is very slow.

    A node without free reps is the sum of its child goal nodes (checked upfront).
    """
    has_free = np.array([len(f) > 0 for f in inp.member.free], dtype=bool)
    return np.flatnonzero(has_free)


def independent_monthly_rows(inp: MetricInput, months: int) -> IntArray:
    """Monthly goal rows without the last month of nodes that also have a period goal.

    With a goal in every month, the months add up to the period goal (checked upfront), so
    the last month's row is the period row minus the others.
    """
    nodes = pd.Series(inp.monthly_nodes)
    full = nodes.map(nodes.value_counts()) >= months
    period = nodes.isin(inp.member.nodes.tolist())
    last = pd.Series(inp.monthly_month).eq(months - 1)
    return np.flatnonzero(~(full & period & last).to_numpy())
