"""Monthly targets that meet monthly goals when the reps' seasonal shares cannot (elastic
phasing, the lowest soft family): iterative proportional fitting from the shares.

Given each rep's total ``T_r`` and the seasonal split ``s_rm T_r``, find ``x_rm >= 0`` with
``sum_m x_rm = T_r`` and ``sum_{r in g} x_rm = G_gm`` for every monthly goal. IPF (RAS)
alternately scales each goal's cells to its goal and each rep's months to its total; on a
feasible problem it converges to the split closest to the seasonal one in the
Kullback-Leibler sense, so every month keeps its share of the rep's year as far as the goals
allow, and a rep with no month of a goal is never moved by it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from solver.types import FloatArray, IntArray

MAX_SWEEPS = 2_000
TOLERANCE = 1e-11


def fit_months(
    seasonal: FloatArray,
    totals: FloatArray,
    rows: sp.csr_matrix,
    month_of_row: IntArray,
    goals: FloatArray,
    node_of_row: IntArray,
) -> FloatArray | None:
    """Months adding up to ``totals`` per rep and to ``goals`` per (node, month) row, as close
    to ``seasonal`` as proportional scaling gets; ``None`` when they do not converge (the
    monthly goals cannot be met with non-negative months)."""
    months = seasonal.shape[1]
    x = np.maximum(seasonal, 0.0)
    # A zero share would stay zero under scaling: give every month of a selling rep a sliver.
    sliver = 1e-6 * np.where(totals > 0, totals, 0.0)[:, None] / max(months, 1)
    x = np.where(x > 0, x, sliver)
    blocks = _node_blocks(rows, month_of_row, goals, node_of_row)
    for _ in range(MAX_SWEEPS):
        for reps, cols, target in blocks:
            current = x[np.ix_(reps, cols)].sum(axis=0)
            factor = np.where(current > 0, target / np.where(current > 0, current, 1.0), 1.0)
            x[np.ix_(reps, cols)] *= factor
        row = x.sum(axis=1)
        x *= np.where(row > 0, totals / np.where(row > 0, row, 1.0), 0.0)[:, None]
        if _gap(x, blocks) <= TOLERANCE:
            return x
    return None


Block = tuple[IntArray, IntArray, FloatArray]


def _node_blocks(
    rows: sp.csr_matrix, month_of_row: IntArray, goals: FloatArray, node_of_row: IntArray
) -> list[Block]:
    """Per goal node: its reps, the months it has goals for, and those goals (deepest
    nodes, with the fewest reps, last so that their goals hold best within a sweep)."""
    out = []
    for node in dict.fromkeys(node_of_row.tolist()):
        at = np.flatnonzero(node_of_row == node)
        reps = rows[int(at[0])].indices.astype(np.int64)
        out.append((reps, month_of_row[at].astype(np.int64), goals[at].astype(np.float64)))
    return sorted(out, key=lambda b: -len(b[0]))


def _gap(x: FloatArray, blocks: list[Block]) -> float:
    """The largest relative miss of a monthly goal."""
    worst = 0.0
    for reps, cols, target in blocks:
        got = x[np.ix_(reps, cols)].sum(axis=0)
        worst = max(worst, float(np.max(np.abs(got - target) / np.maximum(1.0, np.abs(target)))))
    return worst
