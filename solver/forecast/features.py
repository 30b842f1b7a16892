"""Features for the column ``t`` of the panel, using only columns before ``t``.

All window statistics are in log1p space, where a global model treats small and large reps
alike. NaN marks missing history; LightGBM routes it natively.
"""

from __future__ import annotations

import numpy as np

from solver.forecast.panel import Panel
from solver.types import FloatArray

LAGS = (1, 2, 3, 6, 12)
WINDOWS = (3, 6, 12)
FEATURES = (
    *(f"lag{k}" for k in LAGS),
    *(f"mean{w}" for w in WINDOWS),
    "std6",
    "month_of_year",
    "tenure",
    "rank_level",
    "region",
    "pipeline",
    "conversion",
    "peer_mean",
    "history",
)
CATEGORICAL = ("month_of_year", "region")


def _window(logy: FloatArray, t: int, w: int) -> tuple[FloatArray, FloatArray]:
    """Mean and standard deviation of the observed values in columns ``[t-w, t)``."""
    block = logy[:, max(t - w, 0) : t]
    count = np.sum(~np.isnan(block), axis=1)
    total = np.nansum(block, axis=1)
    safe = np.maximum(count, 1)
    mean = np.where(count > 0, total / safe, np.nan)
    sq = np.nansum(block**2, axis=1) / safe - np.where(count > 0, mean, 0.0) ** 2
    std = np.where(count > 1, np.sqrt(np.maximum(sq, 0.0)), np.nan)
    return mean, std


def _peer_mean(panel: Panel, lag1: FloatArray, tenure: FloatArray) -> FloatArray:
    """Mean last-month log value of peers with the same rank, region and tenure band."""
    band = np.digitize(np.nan_to_num(tenure, nan=0.0), [3, 12, 36])
    key = (np.nan_to_num(panel.rank_level) * 1000 + panel.region * 10 + band).astype(np.int64)
    _, group = np.unique(key, return_inverse=True)
    ok = ~np.isnan(lag1)
    sums = np.bincount(group[ok], weights=lag1[ok], minlength=group.max() + 1)
    counts = np.bincount(group[ok], minlength=group.max() + 1)
    out: FloatArray = np.where(
        counts[group] > 0, sums[group] / np.maximum(counts[group], 1), np.nan
    )
    return out


def features_at(panel: Panel, logy: FloatArray, t: int, *, origin: int | None = None) -> FloatArray:
    """Feature matrix (n_reps, len(FEATURES)) for predicting column ``t``.

    ``logy`` is log1p of the target, extended with predictions beyond the observed columns;
    exogenous inputs after the forecast ``origin`` (first unknown column) carry the last value.
    """
    origin = panel.y.shape[1] if origin is None else origin
    last = min(t - 1, origin - 1)
    cols = [logy[:, t - k] if t - k >= 0 else np.full(len(logy), np.nan) for k in LAGS]
    means = [_window(logy, t, w)[0] for w in WINDOWS]
    std6 = _window(logy, t, 6)[1]
    month = (panel.months[0].month - 1 + t) % 12
    tenure = t - panel.hire_index
    history = np.sum(~np.isnan(logy[:, :t]), axis=1).astype(np.float64)
    n = len(logy)
    return np.column_stack(
        [
            *cols,
            *means,
            std6,
            np.full(n, float(month)),
            tenure,
            panel.rank_level,
            panel.region,
            np.log1p(np.maximum(panel.pipeline[:, last], 0.0)) if last >= 0 else np.full(n, np.nan),
            panel.conversion[:, last] if last >= 0 else np.full(n, np.nan),
            _peer_mean(panel, cols[0], tenure),
            history,
        ]
    )
