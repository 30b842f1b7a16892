"""Achievement probabilities read off calibrated predictive quantiles.

Between the tabulated levels the quantile function is linear (so the distribution is piecewise
uniform); beyond them it has exponential tails whose density matches the end segments, so
``Q(0+)`` and ``Q(1-)`` are finite below (clipped at ``lower``) and unbounded above.
``quantile_at`` and ``prob_at_least`` are inverse to each other inside the support.
"""

from __future__ import annotations

import numpy as np

from solver.types import FloatArray, QuantileTable

_TINY = 1e-300


def _tail_scales(table: QuantileTable) -> tuple[FloatArray, FloatArray]:
    """Exponential tail scales matching the density of the first and last segments."""
    q, v = table.levels, table.values
    lo = q[0] * (v[:, 1] - v[:, 0]) / (q[1] - q[0])
    hi = (1.0 - q[-1]) * (v[:, -1] - v[:, -2]) / (q[-1] - q[-2])
    return lo, hi


def quantile_at(table: QuantileTable, q: float | FloatArray, *, lower: float = 0.0) -> FloatArray:
    """``Q_i(q_i)`` for every rep, with ``q`` a scalar or one level per rep in ``[0, 1]``.

    >>> t = QuantileTable(np.array([1]), np.array([0.25, 0.75]), np.array([[10.0, 20.0]]))
    >>> float(quantile_at(t, 0.5)[0])
    15.0
    """
    levels, values = table.levels, table.values
    qq = np.clip(np.broadcast_to(np.asarray(q, dtype=np.float64), (table.n,)), 0.0, 1.0)
    j = np.clip(np.searchsorted(levels, qq, side="right") - 1, 0, len(levels) - 2)
    rows = np.arange(table.n)
    v0, v1 = values[rows, j], values[rows, j + 1]
    out = v0 + (v1 - v0) * (qq - levels[j]) / (levels[j + 1] - levels[j])
    s_lo, s_hi = _tail_scales(table)
    below, above = qq < levels[0], qq > levels[-1]
    if below.any():
        ratio = levels[0] / np.maximum(qq[below], _TINY)
        out[below] = values[below, 0] - s_lo[below] * np.log(ratio)
    if above.any():
        ratio = (1.0 - levels[-1]) / np.maximum(1.0 - qq[above], _TINY)
        out[above] = values[above, -1] + s_hi[above] * np.log(ratio)
    return np.maximum(out, lower)


def cdf_at(table: QuantileTable, t: float | FloatArray, *, lower: float = 0.0) -> FloatArray:
    """``P(actual < t)`` per rep (``t`` scalar or one value per rep), non-decreasing in ``t``."""
    levels, values = table.levels, table.values
    tt = np.broadcast_to(np.asarray(t, dtype=np.float64), (table.n,))
    rows = np.arange(table.n)
    j = np.clip((values <= tt[:, None]).sum(axis=1) - 1, 0, len(levels) - 2)
    v0, v1 = values[rows, j], values[rows, j + 1]
    width = np.where(v1 > v0, v1 - v0, 1.0)
    frac = np.clip((tt - v0) / width, 0.0, 1.0)
    out = levels[j] + (levels[j + 1] - levels[j]) * np.where(v1 > v0, frac, 1.0)
    s_lo, s_hi = _tail_scales(table)
    below, above = tt < values[:, 0], tt >= values[:, -1]
    # Gaps are clipped at 0: they only matter in their own tail, and exp must not overflow.
    gap_lo = np.maximum((values[:, 0] - tt) / np.maximum(s_lo, _TINY), 0.0)
    out = np.where(below, np.where(s_lo > 0, levels[0] * np.exp(-gap_lo), 0.0), out)
    gap_hi = np.maximum((tt - values[:, -1]) / np.maximum(s_hi, _TINY), 0.0)
    tail_hi = 1.0 - (1.0 - levels[-1]) * np.exp(-gap_hi)
    out = np.where(above, np.where(s_hi > 0, tail_hi, 1.0), out)
    return np.where(tt <= lower, 0.0, out)


def prob_at_least(table: QuantileTable, t: float | FloatArray, *, lower: float = 0.0) -> FloatArray:
    """Achievement probability ``P(actual >= t)`` per rep, non-increasing in ``t``.

    >>> t = QuantileTable(np.array([1]), np.array([0.25, 0.75]), np.array([[10.0, 20.0]]))
    >>> float(prob_at_least(t, 15.0)[0])
    0.5
    """
    return 1.0 - cdf_at(table, t, lower=lower)


def band_bounds(
    table: QuantileTable, p_min: float, p_max: float, *, lower: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """Value bounds keeping the achievement probability in ``[p_min, p_max]``.

    A target ``t`` has ``P(actual >= t) >= p_min`` iff ``t <= Q(1 - p_min)``, and
    ``P(actual >= t) <= p_max`` iff ``t >= Q(1 - p_max)``.
    """
    if not 0.0 <= p_min <= p_max <= 1.0:
        raise ValueError("need 0 <= p_min <= p_max <= 1")
    return quantile_at(table, 1.0 - p_max, lower=lower), quantile_at(
        table, 1.0 - p_min, lower=lower
    )
