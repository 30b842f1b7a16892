"""Backtest measures: WAPE, pinball loss, interval coverage, calibration and target reach."""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.probability import cdf_at, prob_at_least, quantile_at
from solver.types import FloatArray, QuantileTable


def wape(actual: FloatArray, forecast: FloatArray) -> float:
    """Weighted absolute percentage error: sum |a - f| / sum |a|."""
    ok = ~(np.isnan(actual) | np.isnan(forecast))
    return float(np.abs(actual[ok] - forecast[ok]).sum() / max(np.abs(actual[ok]).sum(), 1e-12))


def pinball(actual: FloatArray, table: QuantileTable) -> float:
    """Mean pinball (quantile) loss over reps and levels."""
    diff = actual[:, None] - table.values
    q = table.levels[None, :]
    loss = np.maximum(q * diff, (q - 1.0) * diff)
    return float(np.nanmean(loss))


def reliability(actual: FloatArray, table: QuantileTable) -> pd.DataFrame:
    """Observed share of actuals below each quantile vs its nominal level."""
    ok = ~np.isnan(actual)
    observed = (actual[ok, None] <= table.values[ok]).mean(axis=0)
    return pd.DataFrame({"level": table.levels, "observed": observed})


def calibration_summary(actual: FloatArray, table: QuantileTable) -> dict[str, float]:
    """ECE over the levels and coverage of the central intervals the table holds."""
    rel = reliability(actual, table)
    out = {"ece": float((rel["observed"] - rel["level"]).abs().mean())}
    levels, ok = table.levels, ~np.isnan(actual)
    for j in range(len(levels) // 2):
        k = len(levels) - 1 - j
        inside = (actual[ok] >= table.values[ok, j]) & (actual[ok] <= table.values[ok, k])
        out[f"coverage_{levels[k] - levels[j]:.2f}"] = float(inside.mean())
    return out


def seasonal_naive(history: FloatArray, horizon: int) -> FloatArray:
    """Same month last year (the last value when history is shorter than a year)."""
    if history.shape[1] >= 12:
        idx = history.shape[1] - 12 + np.arange(horizon) % 12
        out: FloatArray = history[:, idx]
        return out
    return np.repeat(history[:, -1:], horizon, axis=1)


def moving_average(history: FloatArray, horizon: int, window: int = 3) -> FloatArray:
    """Mean of the last ``window`` observed months, flat over the horizon."""
    mean = np.nanmean(history[:, -window:], axis=1)
    return np.repeat(mean[:, None], horizon, axis=1)


def share_reaching(
    targets: FloatArray, table: QuantileTable, actual: FloatArray | None = None
) -> dict[str, float]:
    """Expected share of reps at target (mean achievement probability) and, given actuals,
    the realised share."""
    out = {"expected_share": float(prob_at_least(table, targets).mean())}
    if actual is not None:
        ok = ~np.isnan(actual)
        out["realised_share"] = float((actual[ok] >= targets[ok]).mean())
    return out


def seasonal_index(history: FloatArray, first_month: int) -> FloatArray:
    """Pooled multiplicative month-of-year factors (mean 1), indexed 0 = January.

    Classical decomposition: each month over the rep's centred 12-month mean, pooled over the
    reps whose window is fully observed (so hires and leavers do not bend the pattern), then
    averaged by month of year. ``first_month`` is the month of year (0-11) of column 0. With
    less than a year of history every factor is 1.
    """
    cols = history.shape[1]
    if cols < 12:
        return np.ones(12)
    ratio = np.full(cols, np.nan)
    for c in range(cols):
        lo = min(max(c - 6, 0), cols - 12)
        window = history[:, lo : lo + 12].mean(axis=1)  # NaN unless fully observed
        ok = ~np.isnan(window)
        denominator = float(window[ok].sum())
        if denominator > 0:
            ratio[c] = float(np.nansum(history[ok, c])) / denominator
    moy = (first_month + np.arange(cols)) % 12
    seen = ~np.isnan(ratio)
    sums = np.bincount(moy[seen], weights=ratio[seen], minlength=12)
    counts = np.bincount(moy[seen], minlength=12)
    factor = np.where(counts > 0, sums / np.maximum(counts, 1), 1.0)
    out: FloatArray = factor / factor.mean()
    return out


def exponential_smoothing(
    history: FloatArray,
    horizon: int,
    *,
    first_month: int = 0,
    alpha: float = 0.3,
    seasonal: bool = True,
) -> FloatArray:
    """Simple exponential smoothing of the deseasonalised series, reseasonalised.

    The seasonal factors are pooled over the panel (``seasonal_index``); the level of each rep
    is smoothed over its observed months (NaN months are skipped); ``seasonal=False`` leaves
    the factors at 1. A classical baseline written
    with numpy: statsforecast would do it but pins pandas < 3.

    >>> h = np.full((1, 24), 10.0)
    >>> exponential_smoothing(h, 2).round(6).tolist()
    [[10.0, 10.0]]
    """
    cols = history.shape[1]
    factor = seasonal_index(history, first_month) if seasonal else np.ones(12)
    moy = (first_month + np.arange(cols + horizon)) % 12
    deseason = history / factor[moy[:cols]][None, :]
    level = np.full(len(history), np.nan)
    for c in range(cols):
        x = deseason[:, c]
        seen = ~np.isnan(x)
        first = seen & np.isnan(level)
        level = np.where(first, x, level)
        level = np.where(seen & ~first, alpha * x + (1.0 - alpha) * level, level)
    out: FloatArray = level[:, None] * factor[moy[cols:]][None, :]
    return out


def binned_ece(probability: FloatArray, outcome: FloatArray, *, bins: int = 10) -> float:
    """Expected calibration error of probabilities against 0/1 outcomes, equal-width bins.

    >>> round(binned_ece(np.array([0.2, 0.2, 0.8, 0.8]), np.array([0.0, 1.0, 1.0, 1.0])), 6)
    0.25
    """
    ok = ~(np.isnan(probability) | np.isnan(outcome))
    p, y = probability[ok], outcome[ok]
    if len(p) == 0:
        return float("nan")
    which = np.minimum((p * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    gap = np.abs(
        np.bincount(which, weights=p, minlength=bins)
        - np.bincount(which, weights=y, minlength=bins)
    )
    return float(gap.sum() / max(count.sum(), 1))


def interval_coverage(actual: FloatArray, table: QuantileTable, width: float) -> float:
    """Share of actuals inside the central ``width`` interval (levels read off the table)."""
    ok = ~np.isnan(actual)
    lo = quantile_at(table.take(np.flatnonzero(ok)), 0.5 - width / 2.0)
    hi = quantile_at(table.take(np.flatnonzero(ok)), 0.5 + width / 2.0)
    return float(((actual[ok] >= lo) & (actual[ok] <= hi)).mean())


def pit_reliability(actual: FloatArray, table: QuantileTable, levels: FloatArray) -> FloatArray:
    """Share of PIT values ``F(actual)`` at or below each level, ties spread uniformly.

    Sales months have a point mass at zero: when several quantiles equal the actual, its PIT
    is uniform on ``[P(Y < a), P(Y <= a)]`` (randomised PIT, taken in expectation), so a
    calibrated table scores ``observed = level`` even with many zero months, where
    ``reliability``'s ``actual <= Q(level)`` would count every zero as below every level.

    >>> t = QuantileTable(np.array([1, 2]), np.array([0.25, 0.75]),
    ...                   np.array([[0.0, 10.0], [0.0, 10.0]]))
    >>> pit_reliability(np.array([0.0, 5.0]), t, np.array([0.25, 0.5])).round(6).tolist()
    [0.5, 1.0]
    """
    ok = ~np.isnan(actual)
    sub, a = table.take(np.flatnonzero(ok)), actual[ok]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # flat tails
        f_hi = cdf_at(sub, a, lower=-np.inf)
        f_lo = cdf_at(sub, a - 1e-9 * np.maximum(np.abs(a), 1.0), lower=-np.inf)
    f_lo = np.where(a <= 0.0, 0.0, np.minimum(f_lo, f_hi))  # all mass below zero sits at zero
    width = np.maximum(f_hi - f_lo, 1e-12)
    share = np.clip((levels[None, :] - f_lo[:, None]) / width[:, None], 0.0, 1.0)
    out: FloatArray = share.mean(axis=0)
    return out
