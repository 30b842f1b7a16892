"""Conformal residual quantiles, pooled and per group of reps.

Pooled quantiles are calibrated on average but not for every kind of rep: a junior with small,
lumpy deals errs differently from a senior, a rep in ramp-up differently from a veteran. Pooled
quantiles then make targets easier for one group and harder for another, which is exactly the
unfairness the product exists to remove. So each grouping dimension (tenure band, rank, region,
share of empty months) adds its groups' deviation from the pooled quantiles: a main-effects
version of Mondrian conformal prediction, which would need every combination of groups to be
well populated.
The dimensions are correlated (new hires are mostly junior), so the effects are fitted jointly
by backfitting: each dimension's deviation is the group quantile of the residuals net of the
other dimensions' effects. Each deviation is shrunk by the group's size, so a small group
borrows from everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solver.forecast.panel import Panel
from solver.types import FloatArray, IntArray

# Months since hire at the forecast origin: the first half-year, the rest of the first year,
# years two and three, and later.
TENURE_BANDS = (6, 12, 36)
# Share of zero months in the last year: a rep with lumpy deals (many empty months) has a
# point mass at zero that a steady seller does not; bins at 5%, 20% and 40%.
ZERO_SHARE_BINS = (0.05, 0.2, 0.4)
# A group's deviation is weighted n / (n + SHRINK_RESIDUALS).
SHRINK_RESIDUALS = 100
# Fewer residuals than this give no quantiles at all.
MIN_RESIDUALS = 20
# Backfitting sweeps over the dimensions; the effects settle after two or three.
SWEEPS = 3
# Residual rows kept (a seeded sample beyond): 50,000 pin a 5% quantile to +-0.2 points, and
# the backfit over 200,000 rows (100k reps x 2 origins) would take 10 s for nothing.
MAX_RESIDUAL_ROWS = 50_000


def rep_groups(panel: Panel, origin: int, rows: IntArray | None = None) -> dict[str, IntArray]:
    """Each rep's group code per dimension at column ``origin`` (``rows``: a subset of reps).

    Reps without a hire date count as veterans; an unknown rank or region is its own group,
    and so is a rep without any month in the last year.
    """
    take = slice(None) if rows is None else rows
    hire = panel.hire_index[take]
    tenure = np.where(np.isnan(hire), np.inf, origin - hire)
    recent = panel.y[take, max(0, origin - 12) : origin]
    seen = np.sum(~np.isnan(recent), axis=1)
    zeros = np.sum(recent == 0.0, axis=1) / np.maximum(seen, 1)
    activity = np.where(seen > 0, np.digitize(zeros, ZERO_SHARE_BINS), -1)
    return {
        "activity": activity.astype(np.int64),
        "tenure": np.digitize(tenure, TENURE_BANDS).astype(np.int64),
        "rank": np.nan_to_num(panel.rank_level[take], nan=-1.0).astype(np.int64),
        "region": np.nan_to_num(panel.region[take], nan=-1.0).astype(np.int64),
    }


def residual_quantiles(residual: FloatArray, levels: FloatArray) -> FloatArray:
    """Empirical quantiles of the observed residuals (NaN when too few)."""
    residual = residual[~np.isnan(residual)]
    if len(residual) < MIN_RESIDUALS:
        return np.full(len(levels), np.nan)
    out: FloatArray = np.quantile(residual, levels)
    return out


@dataclass(frozen=True, eq=False)
class GroupEffect:
    """One dimension's deviations from the pooled quantiles: ``by_horizon[g, h, level]`` and
    ``total[g, level]`` for the group codes ``codes`` (sorted)."""

    name: str
    codes: IntArray
    by_horizon: FloatArray
    total: FloatArray

    def lookup(self, table: FloatArray, groups: IntArray) -> FloatArray:
        """Rows of ``table`` for each rep's group; zero for a group not seen in calibration."""
        pos = np.clip(np.searchsorted(self.codes, groups), 0, len(self.codes) - 1)
        seen = self.codes[pos] == groups
        out: FloatArray = np.where(seen[:, None], table[pos], 0.0)
        return out


@dataclass(frozen=True, eq=False)
class Calibration:
    """Pooled residual quantiles (``by_horizon[h, level]``, ``total[level]``) and the group
    effects added to them."""

    by_horizon: FloatArray
    total: FloatArray
    effects: tuple[GroupEffect, ...]

    @property
    def steps(self) -> int:
        return int(self.by_horizon.shape[0])

    def horizon(self, h: int, groups: dict[str, IntArray]) -> FloatArray:
        """Residual quantiles (reps x levels) for step ``h`` (the last calibrated step beyond)."""
        step = min(h, self.steps - 1)
        n = len(next(iter(groups.values())))
        out: FloatArray = np.repeat(self.by_horizon[step][None, :], n, axis=0)
        for effect in self.effects:
            out = out + effect.lookup(effect.by_horizon[:, step], groups[effect.name])
        return _rearranged(out)

    def period(self, groups: dict[str, IntArray]) -> FloatArray:
        """Residual quantiles (reps x levels) of the window's total."""
        n = len(next(iter(groups.values())))
        out: FloatArray = np.repeat(self.total[None, :], n, axis=0)
        for effect in self.effects:
            out = out + effect.lookup(effect.total, groups[effect.name])
        return _rearranged(out)


def _rearranged(quantiles: FloatArray) -> FloatArray:
    """Sorted along the levels: sums of effects can cross, and sorting crossed quantile
    estimates never moves them further from the true ones (Chernozhukov et al., 2010)."""
    out: FloatArray = np.sort(quantiles, axis=1)
    return out


def fit_calibration(
    resid: FloatArray,
    resid_total: FloatArray,
    groups: dict[str, IntArray],
    levels: FloatArray,
    neutral: float,
    recent: NDArray[np.bool_] | None = None,
) -> Calibration:
    """Pooled quantiles of ``resid`` (reps x steps) and ``resid_total`` (reps), and each
    dimension's shrunk group deviations. ``neutral`` replaces quantiles that cannot be
    estimated (the residual of a perfect forecast).

    With ``recent`` (the rows of the latest origin) the pooled quantiles come from those rows
    alone, which follow a drifting company best, while the group deviations, which need more
    data and drift less, are measured on all rows.
    """
    recent = np.ones(len(resid), dtype=bool) if recent is None else recent
    if len(resid) > MAX_RESIDUAL_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(resid), MAX_RESIDUAL_ROWS, False))
        resid, resid_total, recent = resid[keep], resid_total[keep], recent[keep]
        groups = {name: values[keep] for name, values in groups.items()}
    steps = resid.shape[1]
    pooled_h = np.stack([residual_quantiles(resid[:, h], levels) for h in range(steps)])
    pooled_h = np.nan_to_num(pooled_h, nan=neutral)
    pooled_t = np.nan_to_num(residual_quantiles(resid_total, levels), nan=neutral)
    latest_h = np.stack([residual_quantiles(resid[recent, h], levels) for h in range(steps)])
    latest_t = residual_quantiles(resid_total[recent], levels)
    codes = {name: np.unique(values) for name, values in groups.items()}
    index = {name: np.searchsorted(codes[name], values) for name, values in groups.items()}
    per_step = [_backfit(resid[:, h], pooled_h[h], index, codes, levels) for h in range(steps)]
    total = _backfit(resid_total, pooled_t, index, codes, levels)
    effects = tuple(
        GroupEffect(name, codes[name], np.stack([e[name] for e in per_step], axis=1), total[name])
        for name in groups
    )
    return Calibration(
        np.where(np.isnan(latest_h), pooled_h, latest_h),
        np.where(np.isnan(latest_t), pooled_t, latest_t),
        effects,
    )


def _backfit(
    residual: FloatArray,
    pooled: FloatArray,
    index: dict[str, IntArray],
    codes: dict[str, IntArray],
    levels: FloatArray,
) -> dict[str, FloatArray]:
    """Effects ``[group, level]`` per dimension such that, within every group of every
    dimension, the residuals fall below ``pooled + sum of the rep's effects`` at each level's
    rate (up to shrinkage)."""
    seen = ~np.isnan(residual)
    residual = residual[seen]
    index = {name: values[seen] for name, values in index.items()}
    effects = {name: np.zeros((len(codes[name]), len(levels))) for name in codes}
    fitted = np.zeros((len(residual), len(levels)))  # the sum of every dimension's effect
    for _ in range(SWEEPS):
        for name in codes:
            own = effects[name][index[name]]
            net = residual[:, None] - (fitted - own)
            for g in range(len(codes[name])):
                mask = index[name] == g
                effects[name][g] = _deviation(net[mask], pooled, levels)
            fitted += effects[name][index[name]] - own
    return effects


def _deviation(net: FloatArray, pooled: FloatArray, levels: FloatArray) -> FloatArray:
    """Per level ``k``: the quantile of column ``k`` of ``net`` (the group's residuals net of
    the other effects at that level) minus the pooled quantile, shrunk by the group's size
    (zero for a group too small to measure)."""
    n = len(net)
    if n < MIN_RESIDUALS:
        return np.zeros(len(levels))
    # np.quantile's default (linear) rule, column k at level k, from one sort of all columns.
    ordered = np.sort(net, axis=0)
    position = levels * (n - 1)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, n - 1)
    cols = np.arange(len(levels))
    frac = position - below
    own = ordered[below, cols] * (1.0 - frac) + ordered[above, cols] * frac
    out: FloatArray = (own - pooled) * n / (n + SHRINK_RESIDUALS)
    return out
