"""The forecast distribution of one rep and metric over a plan's months, and P(achieve).

This class is the only reader and writer of the stored distribution (``to_stored`` /
``from_stored``): quantiles of the period total and of each month for additive metrics, or
the past monthly values of a ratio metric (P is then the smoothed share of months at or above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from solver.probability import prob_at_least, quantile_at
from solver.types import FloatArray, QuantileTable

_EMPTY = np.zeros(0)


def ratio_probability(history: Sequence[float], target: float) -> float:
    """Smoothed share of past months at or above the target, in (0, 1).

    >>> ratio_probability([0.8, 0.9, 1.0], 0.9)
    0.625
    """
    hits = sum(1 for v in history if v >= target - 1e-12)
    return (hits + 0.5) / (len(history) + 1.0)


def _monotone(values: Any) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    out: FloatArray = np.maximum.accumulate(array, axis=-1) if array.size else array
    return out


@dataclass(frozen=True, eq=False)
class ForecastDistribution:
    """Quantiles ``period[j] = Q(levels[j])`` of the period total and ``monthly[m, j]`` of each
    month, with ``mean`` the forecast mean of the period total; or, for a ratio metric
    (``levels`` empty), the past monthly values in ``samples``.

    >>> d = ForecastDistribution.quantiles([0.25, 0.75], [10.0, 20.0], [[4.0, 8.0], [6.0, 12.0]])
    >>> d.p_period(15.0), d.p_month(0, 6.0)
    (0.5, 0.5)
    """

    levels: FloatArray
    period: FloatArray
    monthly: FloatArray
    mean: float
    samples: FloatArray = field(default_factory=lambda: _EMPTY)
    # What the rep sold over the trailing year and the months employed in it (NaN / 0 when
    # unknown): the basis of the history floor and of the cap on the rise, not stored.
    trailing_total: float = float("nan")
    trailing_months: float = 0.0

    @staticmethod
    def quantiles(
        levels: Sequence[float] | FloatArray,
        period: Sequence[float] | FloatArray,
        monthly: Sequence[Sequence[float]] | FloatArray,
        mean: float | None = None,
        *,
        trailing_total: float = float("nan"),
        trailing_months: float = 0.0,
    ) -> ForecastDistribution:
        """A quantile distribution; quantiles are made non-decreasing in the level."""
        lv = np.asarray(levels, dtype=np.float64)
        p = _monotone(period)
        m = _monotone(monthly).reshape(-1, len(lv))
        centre = float(np.interp(0.5, lv, p)) if len(lv) else 0.0
        return ForecastDistribution(
            lv,
            p,
            m,
            centre if mean is None else float(mean),
            trailing_total=trailing_total,
            trailing_months=trailing_months,
        )

    @staticmethod
    def empirical(samples: Sequence[float]) -> ForecastDistribution:
        """A ratio metric's distribution: its past monthly values."""
        s = np.sort(np.asarray([v for v in samples if np.isfinite(v)], dtype=np.float64))
        mean = float(s.mean()) if len(s) else float("nan")
        return ForecastDistribution(_EMPTY, _EMPTY, np.zeros((0, 0)), mean, s)

    @property
    def is_ratio(self) -> bool:
        return len(self.levels) == 0

    @property
    def months(self) -> int:
        return int(self.monthly.shape[0])

    def _table(self, values: FloatArray) -> QuantileTable:
        return QuantileTable(np.zeros(1, dtype=np.int64), self.levels, values[None, :])

    def p_period(self, value: float) -> float:
        """P(actual period total >= value) (a ratio: P(a month's rate >= value))."""
        if self.is_ratio:
            return ratio_probability(self.samples.tolist(), value)
        return float(prob_at_least(self._table(self.period), value)[0])

    def p_month(self, month: int, value: float) -> float:
        """P(actual of month ``month`` (an index into the plan's months) >= value)."""
        if self.is_ratio:
            return self.p_period(value)
        return float(prob_at_least(self._table(self.monthly[month]), value)[0])

    def p_months(self, values: Sequence[float] | FloatArray) -> list[float]:
        """P(actual >= value) of every month at once (one vectorised read)."""
        if self.is_ratio:
            return [self.p_period(float(v)) for v in values]
        table = QuantileTable(np.arange(self.months), self.levels, self.monthly)
        return [float(p) for p in prob_at_least(table, np.asarray(values, dtype=np.float64))]

    def quantile_period(self, q: float) -> float:
        """The period total at level ``q``."""
        return float(quantile_at(self._table(self.period), q)[0])

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draws of the period total (inverse CDF), or of a ratio's mean over 12 months."""
        if self.is_ratio:
            if not len(self.samples):
                return np.ones(size)
            draws = rng.choice(self.samples, size=(size, 12), replace=True)
            means: FloatArray = draws.mean(axis=1)
            return means
        u = rng.uniform(0.0, 1.0, size)
        tiled = QuantileTable(
            np.arange(size, dtype=np.int64), self.levels, np.repeat(self.period[None, :], size, 0)
        )
        return quantile_at(tiled, u)

    def restricted(self, active: FloatArray) -> ForecastDistribution:
        """The distribution when the rep works only a share ``active[m]`` of each month (0 after
        leaving): months scale by it, the period total by the median's share that remains."""
        if self.is_ratio or not self.months or bool(np.all(active >= 1.0)):
            return self
        centre = self.monthly[:, self.monthly.shape[1] // 2]
        whole = float(centre.sum())
        kept = float((centre * active).sum()) / whole if whole > 0 else float(np.mean(active))
        return replace(
            self,
            period=self.period * kept,
            monthly=self.monthly * active[:, None],
            mean=self.mean * kept,
        )

    def to_stored(self) -> dict[str, list[Any]]:
        """The stored form: ``levels``, ``period``, ``monthly`` (a ratio: its samples as period)."""
        if self.is_ratio:
            return {"levels": [], "period": self.samples.tolist(), "monthly": []}
        return {
            "levels": self.levels.tolist(),
            "period": self.period.tolist(),
            "monthly": self.monthly.tolist(),
        }

    @staticmethod
    def from_stored(
        levels: Sequence[float],
        period: Sequence[float],
        monthly: Sequence[Sequence[float]],
        mean: float | None = None,
    ) -> ForecastDistribution:
        """Read the stored form back (``mean`` is kept beside it, in the rep's basis)."""
        if not levels:
            return ForecastDistribution.empirical(period)
        return ForecastDistribution.quantiles(levels, period, monthly, mean)


def stored_period_probabilities(
    stored: Sequence[tuple[Sequence[float], Sequence[float]]], values: Sequence[float]
) -> list[float]:
    """``p_period`` of many stored distributions (levels, period) at once: the targets grid
    reads a thousand rows per request, so the quantile rows share one vectorised lookup."""
    out = [0.0] * len(values)
    rows: dict[tuple[float, ...], list[int]] = {}
    for i, (levels, period) in enumerate(stored):
        if not levels:  # a ratio metric: its past months, few, read one by one
            out[i] = ForecastDistribution.from_stored(levels, period, []).p_period(values[i])
        else:
            rows.setdefault(tuple(levels), []).append(i)
    for levels, index in rows.items():
        quantiles = _monotone([stored[i][1] for i in index])
        table = QuantileTable(np.asarray(index, dtype=np.int64), np.asarray(levels), quantiles)
        at = np.asarray([values[i] for i in index], dtype=np.float64)
        for i, p in zip(index, prob_at_least(table, at), strict=True):
            out[i] = float(p)
    return out


def period_table(dists: Sequence[ForecastDistribution], rep_ids: Any) -> QuantileTable:
    """The reps' period quantiles as one table (every distribution on the same levels)."""
    return QuantileTable(
        np.asarray(rep_ids, dtype=np.int64),
        dists[0].levels,
        np.asarray([d.period for d in dists], dtype=np.float64),
    )


def month_table(dists: Sequence[ForecastDistribution], rep_ids: Any, month: int) -> QuantileTable:
    """The reps' quantiles of one month as one table."""
    return QuantileTable(
        np.asarray(rep_ids, dtype=np.int64),
        dists[0].levels,
        np.asarray([d.monthly[month] for d in dists], dtype=np.float64),
    )


def period_probabilities(
    dists: Sequence[ForecastDistribution], values: Sequence[float] | FloatArray
) -> FloatArray:
    """``p_period`` of every distribution at its value in one vectorised read: the P(achieve)
    of each rep's period target, and (their mean) the plan's, so both are the same numbers."""
    values = np.asarray(values, dtype=np.float64)
    if not len(dists):
        return np.zeros(0)
    if any(d.is_ratio for d in dists) or len({len(d.levels) for d in dists}) > 1:
        return np.asarray([d.p_period(float(v)) for d, v in zip(dists, values, strict=True)])
    table = period_table(dists, np.arange(len(dists)))
    out: FloatArray = prob_at_least(table, values)
    return out


def goal_probability(dists: Sequence[ForecastDistribution], goal: float) -> float:
    """The design point a goal implies: the common P(achieve) at which every rep's period
    quantile adds up to ``goal`` (equal difficulty without bounds); 1 at or below the sum of
    the lowest quantiles, 0 above the highest."""
    if not len(dists) or any(d.is_ratio for d in dists):
        return float("nan")
    table = period_table(dists, np.arange(len(dists)))
    lo, hi = 0.0, 1.0
    for _ in range(60):  # P decreases as the common quantile level rises
        mid = 0.5 * (lo + hi)
        if float(quantile_at(table, mid).sum()) < goal:
            lo = mid
        else:
            hi = mid
    return 1.0 - 0.5 * (lo + hi)
