"""Strategies: each rep's ideal value for a goal, within per-rep bounds.

Every strategy solves a monotone one-dimensional equation ``sum_i t_i(x) = goal`` where each
``t_i`` is non-decreasing in the scalar ``x`` and clamped to ``[lo_i, hi_i]``:

- equal-difficulty: ``x = q = 1 - p`` and ``t_i = clamp(Q_i(q + offset_i), lo_i, hi_i)``;
- equal / by ability / by potential: ``t_i = clamp(x w_i, lo_i, hi_i)`` with weights 1, the
  forecast mean or a score.

The root is bracketed by bisection to machine precision, then the two bracketing allocations
are blended linearly so the goal is met exactly (to rounding) while every ``t_i`` stays
between its values at the bracket ends, hence within its bounds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from solver.probability import prob_at_least, quantile_at
from solver.types import (
    Allocation,
    Conflict,
    FloatArray,
    InfeasibilityReport,
    IntArray,
    QuantileTable,
    RepBounds,
)

Evaluator = Callable[[float], FloatArray]
_Q_MAX = 1.0 - 1e-12
# A rep who sold in the trailing year gets at least this share of its pro-rata total as a
# target (when their rank has no floor): a safety net well below what they sell, so that a
# lumpy seller's many zero months never make their target zero.
HISTORY_FLOOR_SHARE = 0.25


def history_floor(
    trailing_total: FloatArray, trailing_months: FloatArray, months: int
) -> FloatArray:
    """The floor of a ``months``-long period target from the trailing year: a share of its
    monthly mean times ``months``; NaN for reps who sold nothing (no floor).

    >>> history_floor(np.array([1200.0, 0.0]), np.array([12.0, 12.0]), 3).tolist()
    [75.0, nan]
    """
    total = np.asarray(trailing_total, dtype=np.float64)
    seen = np.asarray(trailing_months, dtype=np.float64)
    mean = np.where(seen > 0, total / np.maximum(seen, 1.0), 0.0)
    out: FloatArray = np.where(mean > 0, HISTORY_FLOOR_SHARE * mean * months, np.nan)
    return out


def rise_anchor(
    last_actual: FloatArray,
    trailing_total: FloatArray,
    trailing_months: FloatArray,
    months: float | FloatArray,
) -> FloatArray:
    """What a cap on the rise is taken over: the larger of the same months a year earlier and
    the trailing year pro rata (``months`` of its monthly mean), so that one weak quarter does
    not cap a rep at a fraction of what they sell over a year; NaN when neither is known.

    >>> rise_anchor(np.array([10.0]), np.array([1200.0]), np.array([12.0]), 3).tolist()
    [300.0]
    """
    seen = np.asarray(trailing_months, dtype=np.float64)
    pro_rata = np.where(seen > 0, trailing_total / np.maximum(seen, 1.0) * months, np.nan)
    out: FloatArray = np.fmax(np.asarray(last_actual, dtype=np.float64), pro_rata)
    return out


def check_bounds(goal: float, bounds: RepBounds, *, node: str = "scope") -> InfeasibilityReport:
    """The necessary conditions ``lo_i <= hi_i`` and ``sum lo <= goal <= sum hi``."""
    conflicts: list[Conflict] = []
    bad = np.flatnonzero(bounds.lo > bounds.hi)
    for i in bad[:20]:
        gap = float(bounds.lo[i] - bounds.hi[i])
        rep = int(bounds.rep_ids[i])
        msg = f"rep {rep}: floor exceeds ceiling by {gap:.6g}"
        conflicts.append(Conflict("bounds", f"rep {rep}", "", gap, msg))
    floors, ceilings = float(bounds.lo.sum()), float(bounds.hi.sum())
    if floors > goal:
        msg = f"{node}: the sum of floors exceeds the goal by {floors - goal:.6g}"
        conflicts.append(Conflict("floor", node, "", floors - goal, msg))
    if ceilings < goal:
        msg = f"{node}: the goal exceeds the sum of ceilings by {goal - ceilings:.6g}"
        conflicts.append(Conflict("ceiling", node, "", goal - ceilings, msg))
    return InfeasibilityReport(tuple(conflicts))


def solve_monotone(
    evaluate: Evaluator, goal: float, x_lo: float, x_hi: float, *, iterations: int = 200
) -> tuple[float, FloatArray]:
    """Root of ``sum(evaluate(x)) = goal`` on ``[x_lo, x_hi]``, bracketed by the caller."""
    t_lo, t_hi = evaluate(x_lo), evaluate(x_hi)
    s_lo, s_hi = float(t_lo.sum()), float(t_hi.sum())
    for _ in range(iterations):
        mid = 0.5 * (x_lo + x_hi)
        if not x_lo < mid < x_hi or s_hi - s_lo <= 0.0:
            break
        t_mid = evaluate(mid)
        s_mid = float(t_mid.sum())
        if s_mid < goal:
            x_lo, t_lo, s_lo = mid, t_mid, s_mid
        else:
            x_hi, t_hi, s_hi = mid, t_mid, s_mid
    lam = (goal - s_lo) / (s_hi - s_lo) if s_hi > s_lo else 0.0
    lam = min(max(lam, 0.0), 1.0)
    return x_lo + lam * (x_hi - x_lo), t_lo + lam * (t_hi - t_lo)


def _segment_evaluator(table: QuantileTable, bounds: RepBounds, j: int, lower: float) -> Evaluator:
    """Within one tabulated segment every ``Q_i`` is linear in ``q``: three array ops a call."""
    q0, q1 = table.levels[j], table.levels[j + 1]
    v0 = np.maximum(table.values[:, j], lower)
    slope = (np.maximum(table.values[:, j + 1], lower) - v0) / (q1 - q0)
    return lambda q: np.clip(v0 + slope * (q - q0), bounds.lo, bounds.hi)


def _bracket_segment(
    table: QuantileTable, bounds: RepBounds, goal: float, lower: float
) -> int | None:
    """Index ``j`` of the tabulated segment holding the root, or None if it lies in a tail."""
    sums = [
        float(np.clip(np.maximum(col, lower), bounds.lo, bounds.hi).sum()) for col in table.values.T
    ]
    if goal < sums[0] or goal > sums[-1]:
        return None
    j = int(np.searchsorted(np.asarray(sums), goal, side="left")) - 1
    return min(max(j, 0), len(sums) - 2)


def equal_difficulty(
    table: QuantileTable,
    goal: float,
    bounds: RepBounds | None = None,
    *,
    offsets: FloatArray | None = None,
    lower: float = 0.0,
) -> Allocation | InfeasibilityReport:
    """One common achievement probability ``p`` with ``sum_i clamp(Q_i(1-p), lo_i, hi_i) = goal``.

    ``offsets`` shifts each rep's probability (``p_i = p + offset_i``; negative = stretch).

    >>> t = QuantileTable(np.array([1, 2]), np.array([0.1, 0.9]),
    ...                   np.array([[80.0, 120.0], [40.0, 60.0]]))
    >>> a = equal_difficulty(t, 150.0)
    >>> round(a.probability, 6), a.values.round(6).tolist()
    (0.5, [100.0, 50.0])
    """
    bounds = bounds or RepBounds.unbounded(table.rep_ids)
    report = check_bounds(goal, bounds)
    if report:
        return report
    if offsets is None:
        j = _bracket_segment(table, bounds, goal, lower)
        if j is not None:
            q_lo, q_hi = float(table.levels[j]), float(table.levels[j + 1])
            q, values = solve_monotone(
                _segment_evaluator(table, bounds, j, lower), goal, q_lo, q_hi
            )
            return _difficulty_allocation(table, values, 1.0 - q, lower)
    shift = np.zeros(table.n) if offsets is None else -np.asarray(offsets, dtype=np.float64)

    def evaluate(q: float) -> FloatArray:
        return np.clip(quantile_at(table, q + shift, lower=lower), bounds.lo, bounds.hi)

    q, values = solve_monotone(evaluate, goal, 0.0, _Q_MAX)
    gap = goal - float(values.sum())
    if abs(gap) > 1e-9 * max(1.0, abs(goal)):
        msg = f"scope: the goal is out of reach of the quantiles by {gap:.6g}"
        return InfeasibilityReport((Conflict("band", "scope", "", abs(gap), msg),))
    return _difficulty_allocation(table, values, 1.0 - q, lower)


def _difficulty_allocation(
    table: QuantileTable, values: FloatArray, p: float, lower: float
) -> Allocation:
    rep_p = prob_at_least(table, values, lower=lower)
    return Allocation(table.rep_ids, values, "equal_difficulty", p, rep_p)


def rank_offsets(rank_levels: IntArray, *, step: float) -> FloatArray:
    """Probability offsets stretching senior ranks: ``-step`` per level above the lowest."""
    levels = np.asarray(rank_levels, dtype=np.float64)
    out: FloatArray = -step * (levels - levels.min())
    return out


def proportional(
    rep_ids: IntArray,
    weights: FloatArray,
    goal: float,
    bounds: RepBounds | None = None,
    *,
    strategy: str = "proportional",
) -> Allocation | InfeasibilityReport:
    """``t_i = clamp(x w_i, lo_i, hi_i)`` with the scale ``x`` meeting the goal exactly."""
    bounds = bounds or RepBounds.unbounded(rep_ids)
    report = check_bounds(goal, bounds)
    if report:
        return report
    w = np.maximum(np.asarray(weights, dtype=np.float64), 0.0)
    if not w.any():
        w = np.ones_like(w)

    def evaluate(x: float) -> FloatArray:
        return np.clip(x * w, bounds.lo, bounds.hi)

    x_hi = max(goal, 1.0) / float(w.sum())
    while float(evaluate(x_hi).sum()) < goal and x_hi < 1e300:
        x_hi *= 2.0
    _, values = solve_monotone(evaluate, goal, 0.0, x_hi)
    return Allocation(rep_ids, values, strategy)


def equal(
    rep_ids: IntArray, goal: float, bounds: RepBounds | None = None
) -> Allocation | InfeasibilityReport:
    """The same value for every rep, clamped to the bounds (water-filling)."""
    return proportional(rep_ids, np.ones(len(rep_ids)), goal, bounds, strategy="equal")


def by_ability(
    rep_ids: IntArray, forecast_mean: FloatArray, goal: float, bounds: RepBounds | None = None
) -> Allocation | InfeasibilityReport:
    """Shares proportional to each rep's forecast mean."""
    return proportional(rep_ids, forecast_mean, goal, bounds, strategy="by_ability")


def by_potential(
    rep_ids: IntArray, score: FloatArray, goal: float, bounds: RepBounds | None = None
) -> Allocation | InfeasibilityReport:
    """Shares proportional to a potential score (e.g. 0-100 from ``solver.scoring``)."""
    return proportional(rep_ids, score, goal, bounds, strategy="by_potential")
