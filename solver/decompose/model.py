"""The LP for one additive metric, built from sparse blocks and solved with GLOP or HiGHS.

Variables (one block each): ``u, v >= 0`` per rep with the total ``T = a + u - v`` (``a`` the
strategy's ideal), so ``|T - a| = u + v`` at the optimum without any linking rows; and, only
when some goal is monthly and phasing has a tolerance, ``d`` per rep x month with the monthly
target ``x_rm = s_rm T_r + d_rm``. Bounds on ``T`` live in the bounds of ``u`` and ``v``.
Objective: ``min sum_r w_r (u_r + v_r)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from ortools.linear_solver.python import model_builder_helper as mbh

from solver.types import FloatArray

Block = tuple[sp.csr_matrix, FloatArray, FloatArray]


@dataclass
class LinearProgram:
    """Sparse LP ``min c x  s.t.  row_lo <= A x <= row_hi, var_lo <= x <= var_hi``."""

    var_lo: FloatArray
    var_hi: FloatArray
    cost: FloatArray
    rows: list[Block] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def add(self, name: str, block: Block) -> None:
        if block[0].shape[0]:
            self.rows.append(block)
            self.names.append(name)


def add_deviation_vars(
    ideal: FloatArray, lo: FloatArray, hi: FloatArray, weight: FloatArray, n_extra: int = 0
) -> LinearProgram:
    """``T = a + u - v`` within ``[lo, hi]`` through the bounds of ``u`` and ``v`` alone.

    ``u in [max(lo-a, 0), max(hi-a, 0)]`` and ``v in [max(a-hi, 0), max(a-lo, 0)]`` give
    ``lo <= a + u - v <= hi`` in every case (a below, inside or above the interval).
    Extra free-signed variables (the phasing deviations) are appended with zero cost.
    """
    u_lo, u_hi = np.maximum(lo - ideal, 0.0), np.maximum(hi - ideal, 0.0)
    v_lo, v_hi = np.maximum(ideal - hi, 0.0), np.maximum(ideal - lo, 0.0)
    extra = np.zeros(n_extra)
    return LinearProgram(
        var_lo=np.concatenate([u_lo, v_lo, extra]),
        var_hi=np.concatenate([u_hi, v_hi, extra]),
        cost=np.concatenate([weight, weight, extra]),
    )


def add_goal_rows(member: sp.csr_matrix, goals: FloatArray, ideal: FloatArray, n_var: int) -> Block:
    """``sum_{r in g} T_r = G_g`` for every goal node: ``S (u - v) = G - S a``."""
    n = member.shape[1]
    pad = sp.csr_matrix((member.shape[0], n_var - 2 * n))
    matrix = sp.hstack([member, -member, pad], format="csr")
    rhs = goals - member @ ideal
    return matrix, rhs, rhs


def add_monthly_goal_rows(
    member: sp.csr_matrix,
    month_of_row: np.ndarray,
    goals: FloatArray,
    share: FloatArray,
    ideal: FloatArray,
    with_d: bool,
) -> Block:
    """``sum_{r in g} (s_rm T_r + d_rm) = G_gm`` for every node x month with a monthly goal.

    ``member`` has one row per (node, month) goal, ``month_of_row`` its month position and
    ``share`` the (rep, month) phasing matrix: the row for month ``m`` weights rep ``r`` by
    ``s_rm`` (and ``d_rm`` by one when phasing deviations exist).
    """
    rows, months = member.shape[0], share.shape[1]
    weights = member.multiply(share[:, month_of_row].T).tocsr()
    blocks = [weights, -weights]
    if with_d:
        coo = member.tocoo()
        cols = coo.col * months + month_of_row[coo.row]
        n = member.shape[1]
        blocks.append(sp.csr_matrix((coo.data, (coo.row, cols)), shape=(rows, n * months)))
    rhs = goals - weights @ ideal
    return sp.hstack(blocks, format="csr"), rhs, rhs


def add_phasing_rows(n: int, months: int) -> Block:
    """Phasing deviations sum to zero per rep (``sum_m d_rm = 0``), so ``sum_m x_rm = T_r``."""
    rows = np.repeat(np.arange(n), months)
    d_block = sp.csr_matrix((np.ones(n * months), (rows, np.arange(n * months))))
    matrix = sp.hstack([sp.csr_matrix((n, 2 * n)), d_block], format="csr")
    zero = np.zeros(n)
    return matrix, zero, zero


def add_nonnegative_month_rows(share: FloatArray, ideal: FloatArray, lo: FloatArray) -> Block:
    """``s_rm T_r + d_rm >= 0`` for the months that their bounds alone do not keep
    non-negative (``s_rm lo_r < 1`` while ``d_rm`` may reach -1)."""
    n, months = share.shape
    rep, month = np.nonzero(share * lo[:, None] < 1.0)
    rows = np.arange(len(rep))
    s = share[rep, month]
    d_col = 2 * n + rep * months + month
    cols = np.concatenate([rep, n + rep, d_col])
    data = np.concatenate([s, -s, np.ones(len(rep))])
    matrix = sp.csr_matrix((data, (np.tile(rows, 3), cols)), shape=(len(rep), 2 * n + n * months))
    return matrix, -s * ideal[rep], np.full(len(rep), np.inf)


def add_monotonicity_rows(groups: pd.DataFrame, ideal: FloatArray, n_var: int) -> Block:
    """Mean target of rank k <= mean target of the next rank up, within each group.

    ``groups`` has per rep (position order): group, rank_level. For adjacent present ranks
    ``k < k'`` in a group: ``mean_k(a + u - v) - mean_k'(a + u - v) <= 0``.
    """
    n = len(groups)
    frame = groups.assign(pos=np.arange(n))
    sizes = frame.groupby(["group", "rank_level"])["pos"].transform("size").to_numpy()
    keys = frame[["group", "rank_level"]].drop_duplicates().sort_values(["group", "rank_level"])
    keys["next_level"] = keys.groupby("group")["rank_level"].shift(-1)
    pairs = keys.dropna(subset=["next_level"]).reset_index(drop=True)
    pairs["row"] = np.arange(len(pairs))
    low = frame.merge(pairs[["group", "rank_level", "row"]], on=["group", "rank_level"])
    high = frame.merge(
        pairs[["group", "next_level", "row"]].rename(columns={"next_level": "rank_level"}),
        on=["group", "rank_level"],
    )
    row = np.concatenate([low["row"], high["row"]])
    pos = np.concatenate([low["pos"], high["pos"]])
    coef = np.concatenate([1.0 / sizes[low["pos"]], -1.0 / sizes[high["pos"]]])
    coeff = sp.csr_matrix((coef, (row, pos)), shape=(len(pairs), n))
    pad = sp.csr_matrix((len(pairs), n_var - 2 * n))
    matrix = sp.hstack([coeff, -coeff, pad], format="csr")
    return matrix, np.full(len(pairs), -np.inf), -(coeff @ ideal)


@dataclass(frozen=True, eq=False)
class LpSolution:
    status: str
    x: FloatArray
    objective: float


# Up to this many rows (a company goal, a few monthly goals) GLOP's dual simplex is the
# fastest exact method: 0.13 s for 100k reps where HiGHS needs 0.4 s. With thousands of rows
# (a goal per team) HiGHS' interior point with crossover wins: 7 s at 100k reps x 12 months
# where its dual simplex takes 42 s and GLOP over 90 s. Both end on an exact vertex.
FEW_ROWS = 64

# Our rows are independent by construction (``solve._independent_*_rows``); HiGHS' own search
# for dependent equations gets 1% of the time limit and, with a generous limit, spends seconds
# finding nothing (1.8 s of 2.4 s at 10k reps). Rule 10 is that search.
HIGHS_OPTIONS = "presolve_rule_off=1024\nsolver=ipm"


def solve_lp(lp: LinearProgram, *, time_limit_s: float, vertex: bool = True) -> LpSolution:
    """Solve deterministically through OR-Tools' model_builder, to an optimal vertex unless
    ``vertex`` is False: then HiGHS stops at its interior optimum, without the crossover that
    costs 5 of 6 s at 10k reps once the reps x months phasing deviations are columns (goal
    rows still hold to ~1e-12 relative, measured by the checker)."""
    n_var = len(lp.cost)
    if lp.rows:
        matrix = sp.vstack([b[0] for b in lp.rows], format="csr")
        row_lo = np.concatenate([b[1] for b in lp.rows])
        row_hi = np.concatenate([b[2] for b in lp.rows])
    else:
        matrix, row_lo, row_hi = sp.csr_matrix((0, n_var)), np.zeros(0), np.zeros(0)
    model = mbh.ModelBuilderHelper()
    model.fill_model_from_sparse_data(  # the stubs mistype numpy arrays
        lp.var_lo,  # type: ignore[arg-type]
        lp.var_hi,  # type: ignore[arg-type]
        lp.cost,  # type: ignore[arg-type]
        row_lo,  # type: ignore[arg-type]
        row_hi,  # type: ignore[arg-type]
        matrix.astype(np.float64),
    )
    few = matrix.shape[0] <= FEW_ROWS
    sol = _solve_with("glop" if few else "highs", model, time_limit_s, vertex)
    if few and sol.status != "OPTIMAL":
        # GLOP gives up (ABNORMAL) on a goal met only with every rep at its bound, as a goal
        # beyond all soft bounds leaves it once they gave; HiGHS solves such tight LPs.
        sol = _solve_with("highs", model, time_limit_s, vertex)
    return sol


def _solve_with(
    name: str, model: mbh.ModelBuilderHelper, time_limit_s: float, vertex: bool
) -> LpSolution:
    solver = mbh.ModelSolverHelper(name)
    if name == "highs":
        crossover = "on" if vertex else "off"
        solver.set_solver_specific_parameters(f"{HIGHS_OPTIONS}\nrun_crossover={crossover}")
    solver.set_time_limit_in_seconds(time_limit_s)
    solver.solve(model)
    status = solver.status()
    if status != mbh.SolveStatus.OPTIMAL or not solver.has_solution():
        return LpSolution(status.name, np.zeros(0), float("nan"))
    return LpSolution(status.name, np.asarray(solver.variable_values()), solver.objective_value())
