"""Integer monthly targets that meet monthly goals exactly (CP-SAT, only where needed).

Period goals alone are met by rounding rep totals inside each goal node (``rounding``). Monthly
goals on an integer metric (new customers per month for a team) also fix column sums, and a
per-rep spread cannot meet those. Rounding every cell of the continuous solution up or down
always can: rep totals and period goals form one laminar family of cell sets, monthly goals
another, so the constraint matrix is totally unimodular and the box between floor and ceiling
of a feasible continuous point holds an integer point. CP-SAT finds the one closest to the
continuous solution (each cell's cost of rounding up is ``1 - 2 * fraction``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from ortools.sat.python import cp_model

from solver.types import FloatArray, IntArray


def round_cells(
    cells: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    period_rows: sp.csr_matrix,
    period_goals: FloatArray,
    monthly_rows: sp.csr_matrix,
    monthly_month: IntArray,
    monthly_goals: FloatArray,
    *,
    time_limit_s: float,
) -> FloatArray | None:
    """Integer cells (reps x months), each the floor or ceiling of ``cells``, with rep totals
    in ``[lo, hi]``, every period goal (``period_rows`` x rep totals) and every monthly goal
    (``monthly_rows`` x that month's column) met exactly; None when CP-SAT finds none in time.
    """
    base = np.floor(cells + 1e-9)
    frac = cells - base
    up = frac > 1e-9  # only these cells can move
    index = np.full(cells.shape, -1, dtype=np.int64)
    index[up] = np.arange(int(up.sum()))
    model = cp_model.CpModel()
    bits = [model.new_bool_var(f"b{k}") for k in range(int(up.sum()))]

    def total(pairs: tuple[IntArray, IntArray]) -> cp_model.LinearExprT:
        chosen = index[pairs][up[pairs]]
        return cp_model.LinearExpr.sum([bits[k] for k in chosen.tolist()])

    n, months = cells.shape
    all_months = np.arange(months)
    movable = up.sum(axis=1)
    low = np.clip(np.ceil(lo - base.sum(axis=1) - 1e-9), 0, movable).astype(np.int64)
    high = np.clip(np.floor(hi - base.sum(axis=1) + 1e-9), 0, movable).astype(np.int64)
    for r in range(n):
        model.add_linear_constraint(
            total((np.full(months, r), all_months)), int(low[r]), int(high[r])
        )
    for g in range(period_rows.shape[0]):
        reps = period_rows.indices[period_rows.indptr[g] : period_rows.indptr[g + 1]]
        pairs = (np.repeat(reps, months), np.tile(all_months, len(reps)))
        model.add(total(pairs) == round(float(period_goals[g] - base[reps].sum())))
    for g in range(monthly_rows.shape[0]):
        reps = monthly_rows.indices[monthly_rows.indptr[g] : monthly_rows.indptr[g + 1]]
        m = int(monthly_month[g])
        pairs = (reps, np.full(len(reps), m))
        model.add(total(pairs) == round(float(monthly_goals[g] - base[reps, m].sum())))
    cost = np.round((1.0 - 2.0 * frac[up]) * 1e6).astype(np.int64)
    model.minimize(cp_model.LinearExpr.weighted_sum(bits, cost.tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1  # deterministic
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = base.copy()
    out[up] += np.array([solver.value(b) for b in bits], dtype=np.float64)
    return out
