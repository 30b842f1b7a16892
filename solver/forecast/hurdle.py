"""A hurdle distribution around any point forecast of the mean: P(no sale) x the positive part.

Sales months (and quarters) of small or lumpy sellers are often exactly zero. A single
residual distribution around the mean then mixes two things: whether anything is sold, and how
much. Pooled, it puts the median of a large, steady seller near zero (a 0-72k band around a
median of 4) and gives lumpy sellers bands that are too narrow. So the two parts are modelled
apart, for a window of ``window`` months (1: a month; the plan's length: the period total):

- ``p0``: the probability of a zero window, the rep's share of zero windows in the trailing
  year shrunk towards what their monthly zero share implies (independent months);
- the positive part: ``mu / (1 - p0)`` (the mean given a sale) times a ratio ``R`` whose
  quantiles are the empirical ratios ``actual / (mu / (1 - p0))`` of positive windows at
  rolling origins, per group of size (tertiles of the trailing mean) and zero share, each
  group shrunk towards the pooled ratios by its number of residuals.

``Q(q) = 0`` for ``q <= p0``, else ``mu / (1 - p0) * Q_R((q - p0) / (1 - p0))``. The quantiles
of a rep without any sale are 0; the median is positive whenever ``p0 < 1/2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.types import FloatArray, IntArray

# The positive part's ratio quantiles are kept on this grid and interpolated.
GRID = np.linspace(0.005, 0.995, 199)
# Months whose zero share and level describe a rep.
TRAILING = 12
# Monthly zero share bins (5%, 20%, 40%) and size tertiles: 4 x 3 groups.
ZERO_BINS = (0.05, 0.2, 0.4)
SIZE_TILES = (1.0 / 3.0, 2.0 / 3.0)
# A group's ratios weigh n / (n + SHRINK) against the pooled ones.
SHRINK = 40.0
# Pseudo-windows of the prior behind a rep's zero probability.
PRIOR_WINDOWS = 1.0
# Fewer positive residuals than this: a log-normal ratio of this spread (and a warning).
MIN_RATIOS = 8
DEFAULT_LOG_SPREAD = 0.6


@dataclass(frozen=True, eq=False)
class RepState:
    """What the hurdle needs of each rep at an origin: the trailing monthly mean (``level``),
    the monthly zero share ``zero_share``, the zero probability of a window ``p0`` and the
    group code."""

    level: FloatArray
    zero_share: FloatArray
    p0: FloatArray
    group: IntArray


def _window_sums(y: FloatArray, window: int) -> FloatArray:
    """Totals of ``window`` consecutive months ending in the trailing year (NaN if any month
    is unobserved); shape (n, windows)."""
    part = y[:, -(TRAILING + window - 1) :] if y.shape[1] else y
    cols = part.shape[1] - window + 1
    if cols <= 0:
        return np.full((len(y), 0), np.nan)
    out: FloatArray = np.stack([part[:, c : c + window].sum(axis=1) for c in range(cols)], axis=1)
    return out


def rep_state(y: FloatArray, window: int, size_edges: FloatArray, pooled_zero: float) -> RepState:
    """The state of every rep from its history ``y`` (reps x months, NaN when not employed)."""
    recent = y[:, -TRAILING:] if y.shape[1] else y
    seen = np.sum(~np.isnan(recent), axis=1)
    zeros = np.sum(recent == 0.0, axis=1)
    level = np.where(seen > 0, np.nansum(recent, axis=1) / np.maximum(seen, 1), np.nan)
    zero_share = (zeros + PRIOR_WINDOWS * pooled_zero) / (seen + PRIOR_WINDOWS)
    p0 = zero_share.copy()
    if window > 1:
        sums = _window_sums(y, window)
        n_win = np.sum(~np.isnan(sums), axis=1)
        z_win = np.sum(sums == 0.0, axis=1)
        p0 = (z_win + PRIOR_WINDOWS * zero_share**window) / (n_win + PRIOR_WINDOWS)
    size = np.digitize(np.log1p(np.nan_to_num(level, nan=0.0)), size_edges)
    group = (size * (len(ZERO_BINS) + 1) + np.digitize(zero_share, ZERO_BINS)).astype(np.int64)
    return RepState(np.nan_to_num(level, nan=0.0), zero_share, np.clip(p0, 0.0, 0.999), group)


def size_edges(y: FloatArray) -> FloatArray:
    """Tertiles of log1p(trailing monthly mean) over reps who sold (empty when none did)."""
    recent = y[:, -TRAILING:]
    seen = np.sum(~np.isnan(recent), axis=1)
    level: FloatArray = np.nansum(recent, axis=1) / np.maximum(seen, 1)
    positive = np.log1p(level[level > 0])
    if len(positive) < 3:
        return np.zeros(0)
    out: FloatArray = np.quantile(positive, SIZE_TILES)
    return out


def pooled_zero_share(y: FloatArray) -> float:
    recent = y[:, -TRAILING:]
    seen = ~np.isnan(recent)
    return float((recent[seen] == 0.0).mean()) if seen.any() else 0.0


@dataclass(frozen=True, eq=False)
class Hurdle:
    """Fitted ratio quantiles (``ratios[group, GRID]``; row ``-1`` pooled) for one window."""

    window: int
    edges: FloatArray
    pooled_zero: float
    groups: IntArray
    ratios: FloatArray
    residuals: int

    def state(self, y: FloatArray) -> RepState:
        return rep_state(y, self.window, self.edges, self.pooled_zero)

    def _ratio_rows(self, group: IntArray) -> FloatArray:
        if not len(self.groups):
            return np.repeat(self.ratios[-1][None, :], len(group), axis=0)
        pos = np.searchsorted(self.groups, group)
        pos = np.clip(pos, 0, len(self.groups) - 1)
        known = self.groups[pos] == group
        out: FloatArray = np.where(known[:, None], self.ratios[pos], self.ratios[-1][None, :])
        return out

    def quantiles(self, mean: FloatArray, state: RepState, levels: FloatArray) -> FloatArray:
        """Quantiles (reps x levels) of the window total with mean ``mean``."""
        p0 = state.p0[:, None]
        positive = np.maximum(mean, 0.0)[:, None] / (1.0 - p0)
        u = (levels[None, :] - p0) / (1.0 - p0)
        rows = self._ratio_rows(state.group)
        ratio = (
            np.stack(
                [np.interp(np.clip(u[i], GRID[0], GRID[-1]), GRID, rows[i]) for i in range(len(u))]
            )
            if len(u)
            else np.zeros((0, len(levels)))
        )
        out: FloatArray = np.where(u > 0.0, positive * ratio, 0.0)
        return np.maximum.accumulate(out, axis=1)

    def pit(self, mean: FloatArray, state: RepState, actual: FloatArray) -> FloatArray:
        """Mid-point PIT of each actual (a zero: ``p0 / 2``), for calibration checks."""
        positive = np.maximum(mean, 0.0) / (1.0 - state.p0)
        rows = self._ratio_rows(state.group)
        ratio = actual / np.maximum(positive, 1e-12)
        inner = (
            np.array(
                [np.interp(r, rows[i], GRID, left=0.0, right=1.0) for i, r in enumerate(ratio)]
            )
            if len(ratio)
            else np.zeros(0)
        )
        out: FloatArray = np.where(
            actual <= 0.0, state.p0 / 2.0, state.p0 + (1.0 - state.p0) * inner
        )
        return out


def _ratio_grid(ratio: FloatArray) -> FloatArray:
    if len(ratio) < MIN_RATIOS:
        z = np.sqrt(2.0) * _erfinv(2.0 * GRID - 1.0)
        out: FloatArray = np.exp(DEFAULT_LOG_SPREAD * z - DEFAULT_LOG_SPREAD**2 / 2.0)
        return out
    return np.asarray(np.quantile(ratio, GRID), dtype=np.float64)


def _erfinv(x: FloatArray) -> FloatArray:
    from scipy.special import erfinv

    out: FloatArray = erfinv(x)
    return out


def fit_hurdle(
    mean: FloatArray,
    actual: FloatArray,
    state: RepState,
    *,
    window: int,
    edges: FloatArray,
    pooled_zero: float,
) -> Hurdle:
    """Ratio quantiles from rolling-origin pairs: forecast ``mean`` and ``actual`` of one
    window per row, with the rep's ``state`` at that origin."""
    ok = ~np.isnan(actual) & ~np.isnan(mean) & (actual > 0.0) & (mean > 0.0)
    positive = mean[ok] / (1.0 - state.p0[ok])
    ratio = actual[ok] / positive
    group = state.group[ok]
    pooled = _ratio_grid(ratio)
    codes = np.unique(group)
    rows = []
    for g in codes:
        own = ratio[group == g]
        if len(own) < MIN_RATIOS:
            rows.append(pooled)
            continue
        w = len(own) / (len(own) + SHRINK)
        rows.append(w * np.quantile(own, GRID) + (1.0 - w) * pooled)
    table = np.vstack([*rows, pooled]) if rows else pooled[None, :]
    return Hurdle(
        window,
        edges,
        pooled_zero,
        codes.astype(np.int64),
        np.maximum.accumulate(table, axis=1),
        int(ok.sum()),
    )
