"""Many reps' forecast distributions as arrays, and the moments read off their quantiles.

``solver.probability`` reads a quantile row as a quantile function that is linear between the
tabulated levels, with exponential tails beyond them (clipped at zero below). Its mean, its
variance and its mass at zero have closed forms, so they are computed exactly for any number
of reps and months in one pass over the levels, with no sampling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solver.planning.distribution import ForecastDistribution
from solver.probability import quantile_at
from solver.types import FloatArray, QuantileTable

BoolArray = NDArray[np.bool_]
_TINY = 1e-300


def _tail_scales(levels: FloatArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The exponential tails' scales (``solver.probability``), over the last axis."""
    lo = levels[0] * (values[..., 1] - values[..., 0]) / (levels[1] - levels[0])
    hi = (1.0 - levels[-1]) * (values[..., -1] - values[..., -2]) / (levels[-1] - levels[-2])
    return lo, hi


def quantile_moments(levels: FloatArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of the distribution whose quantiles are ``values[..., j]`` at
    ``levels[j]`` (the last axis), as ``solver.probability`` reads it.

    With ``U`` uniform, ``X = Q(U)``: between two levels ``Q`` is linear, so a segment of
    width ``dq`` from ``v0`` to ``v1`` adds ``dq (v0 + v1) / 2`` to ``E[X]`` and
    ``dq (v0^2 + v0 v1 + v1^2) / 3`` to ``E[X^2]``. Above the last level ``X = v + s T`` with
    ``T ~ Exp(1)``: ``E = v + s``, ``E^2 = v^2 + 2 v s + 2 s^2``. Below the first,
    ``X = max(v - s T, 0)``; with ``c = v / s``: ``E = v - s + s e^-c`` and
    ``E^2 = v^2 - 2 v s + 2 s^2 (1 - e^-c)``.

    >>> mean, var = quantile_moments(np.array([0.25, 0.75]), np.array([10.0, 20.0]))
    >>> # uniform on [10, 20] between the levels, exponential tails of scale 5 beyond them
    >>> round(float(mean), 4), round(float(var), 4)
    (15.1692, 59.8713)
    """
    dq = np.diff(levels)
    ends = np.concatenate((dq, [0.0])) + np.concatenate(([0.0], dq))  # each level's segments
    rows = values.reshape(-1, len(levels))  # einsum: no temporary of the rows' size
    first = (rows @ ends / 2.0).reshape(values.shape[:-1])
    cross = np.einsum("ij,ij,j->i", rows[:, :-1], rows[:, 1:], dq)
    squares = np.einsum("ij,ij,j->i", rows, rows, ends)
    second = ((squares + cross) / 3.0).reshape(values.shape[:-1])
    s_lo, s_hi = _tail_scales(levels, values)
    low, high = values[..., 0], values[..., -1]
    fade = np.exp(-low / np.maximum(s_lo, _TINY))  # e^-c; 0 when the tail is a point
    q_lo, q_hi = levels[0], 1.0 - levels[-1]
    first = first + q_lo * (low - s_lo + s_lo * fade) + q_hi * (high + s_hi)
    second = second + q_lo * (low * low - 2.0 * low * s_lo + 2.0 * s_lo * s_lo * (1.0 - fade))
    second = second + q_hi * (high * high + 2.0 * high * s_hi + 2.0 * s_hi * s_hi)
    variance: FloatArray = np.maximum(second - first * first, 0.0)
    mean: FloatArray = first
    return mean, variance


def zero_mass(levels: FloatArray, values: FloatArray) -> FloatArray:
    """``P(X = 0)`` of each quantile row (the last axis): the highest level whose quantile is
    zero (1 when they all are), else the lower tail's atom at zero, ``levels[0] exp(-v0 / s)``.

    >>> float(zero_mass(np.array([0.25, 0.5, 0.75]), np.array([0.0, 0.0, 4.0])))
    0.5
    """
    zeros = (values <= 0.0).sum(axis=-1)
    s_lo, _ = _tail_scales(levels, values)
    atom = np.where(s_lo > 0, levels[0] * np.exp(-values[..., 0] / np.maximum(s_lo, _TINY)), 0.0)
    out: FloatArray = np.where(zeros > 0, levels[np.maximum(zeros - 1, 0)], atom)
    return np.where(values[..., -1] <= 0.0, 1.0, out)  # all quantiles zero: no upper tail


@dataclass(frozen=True, eq=False)
class ForecastArrays:
    """Reps' forecast distributions on one level grid: the period total's quantiles
    ``period[i, j]``, each month's ``monthly[i, m, j]`` and the forecast mean ``mean[i]``.
    ``valid[i]`` is false where rep ``i`` has none (no distribution, or a ratio metric, whose
    samples have no months); its rows are zeros and every figure derived from it is NaN.
    """

    levels: FloatArray
    period: FloatArray
    monthly: FloatArray
    mean: FloatArray
    valid: BoolArray

    @property
    def n(self) -> int:
        return int(self.period.shape[0])

    @property
    def months(self) -> int:
        return int(self.monthly.shape[1])

    def take(self, rows: slice) -> ForecastArrays:
        """The reps in ``rows`` (a chunk)."""
        return ForecastArrays(
            self.levels, self.period[rows], self.monthly[rows], self.mean[rows], self.valid[rows]
        )

    def period_table(self) -> QuantileTable:
        return QuantileTable(np.arange(self.n, dtype=np.int64), self.levels, self.period)

    def monthly_means(self) -> FloatArray:
        """The forecast mean of each month (reps x months): the period's ``mean`` apportioned
        over the months as the monthly quantiles' own means are; NaN rows where not valid.

        The stored ``mean`` is the model's point forecast of the period; the monthly
        quantiles only give its phasing, so that the months add up to it.
        """
        month_mean, _ = quantile_moments(self.levels, self.monthly)
        return np.where(self.valid[:, None], _apportion(month_mean, self.mean), np.nan)

    @staticmethod
    def stack(
        dists: Sequence[ForecastDistribution | None], months: int | None = None
    ) -> ForecastArrays:
        """One array per field from per-rep distributions of ``months`` months (by default the
        first additive one's). Quantiles on another grid than the first additive rep's are read
        at its levels (``quantile_at``); ratio metrics and None are not valid.

        >>> d = ForecastDistribution.quantiles([0.25, 0.75], [8.0, 12.0], [[4.0, 6.0]] * 2)
        >>> arrays = ForecastArrays.stack([d, None, ForecastDistribution.empirical([0.9])])
        >>> arrays.valid.tolist(), arrays.monthly.shape
        ([True, False, False], (3, 2, 2))
        """
        additive = [d for d in dists if d is not None and not d.is_ratio]
        levels = additive[0].levels if additive else np.array([0.25, 0.5, 0.75])
        months = (additive[0].months if additive else 1) if months is None else months
        index, same = _on_grid(dists, np.asarray(levels, dtype=np.float64).tobytes())
        if same and len(same) == len(dists):  # the usual case: one grid, a single copy
            return ForecastArrays(
                levels,
                np.stack([d.period for d in same]),
                _months(np.stack([d.monthly for d in same]), months),
                np.asarray([d.mean for d in same], dtype=np.float64),
                np.ones(len(same), dtype=np.bool_),
            )
        arrays = _zeros(len(dists), months, levels)
        if same:
            arrays.period[index] = np.stack([d.period for d in same])
            arrays.monthly[index] = _months(np.stack([d.monthly for d in same]), months)
            arrays.mean[index] = [d.mean for d in same]
            arrays.valid[index] = True
        placed = set(index)
        for i, d in enumerate(dists):  # another grid: rare, read one by one
            if d is not None and not d.is_ratio and i not in placed:
                arrays.period[i] = _regrid(d.period, d.levels, levels)
                rows = np.stack([_regrid(row, d.levels, levels) for row in d.monthly])
                arrays.monthly[i] = _months(rows[None], months)[0]
                arrays.mean[i], arrays.valid[i] = d.mean, True
        return arrays


def _on_grid(
    dists: Sequence[ForecastDistribution | None], key: bytes
) -> tuple[list[int], list[ForecastDistribution]]:
    """The positions and distributions of the reps whose levels are ``key`` (bytes)."""
    index, same = [], []
    for i, d in enumerate(dists):
        if d is not None and d.levels.tobytes() == key:
            index.append(i)
            same.append(d)
    return index, same


def _zeros(n: int, months: int, levels: FloatArray) -> ForecastArrays:
    size = len(levels)
    return ForecastArrays(
        levels,
        np.zeros((n, size)),
        np.zeros((n, months, size)),
        np.zeros(n),
        np.zeros(n, dtype=np.bool_),
    )


def _months(monthly: FloatArray, months: int) -> FloatArray:
    if monthly.shape[1] != months:
        raise ValueError(f"a forecast of {monthly.shape[1]} months, not {months}")
    return monthly


def _regrid(values: FloatArray, source: FloatArray, levels: FloatArray) -> FloatArray:
    table = QuantileTable(np.zeros(1, dtype=np.int64), source, values[None, :])
    return np.asarray([float(quantile_at(table, float(q))[0]) for q in levels])


def _apportion(parts: FloatArray, total: FloatArray) -> FloatArray:
    """``total`` split in proportion to ``parts`` (evenly where the parts add up to zero)."""
    whole = parts.sum(axis=1, keepdims=True)
    even = np.full_like(parts, 1.0 / max(parts.shape[1], 1))
    shares = np.where(whole > 0, parts / np.where(whole > 0, whole, 1.0), even)
    out: FloatArray = shares * total[:, None]
    return out
