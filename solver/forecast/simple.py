"""Simple forecasts for short or thin histories, chosen by a rolling backtest, with hurdle
quantiles calibrated at the same rolling origins.

A global model needs many reps and a few years to learn from; with a year of a few dozen reps
it learns a constant (the same 11.6 deals for every rep). Here every candidate is a classical
method that needs only the rep's own months:

- ``naive``: the last month; ``seasonal_naive``: the same month a year earlier;
- ``moving_average``: the mean of the last three months;
- ``history_mean``: the mean of the trailing year;
- ``exponential_smoothing``: simple exponential smoothing with pooled month-of-year factors
  (flat below two years of history, where one year gives one noisy value per month).

Each is replayed from every origin with at least ``WARMUP`` months before it; the one whose
hurdle median has the lowest WAPE over those origins is chosen, and its hurdle
(``solver.forecast.hurdle``) is calibrated on the same origins, per month and per window of the
plan's length (the period total).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solver.backtest import exponential_smoothing, seasonal_naive
from solver.forecast.hurdle import (
    Hurdle,
    RepState,
    fit_hurdle,
    pooled_zero_share,
    rep_state,
    size_edges,
)
from solver.forecast.panel import Panel
from solver.types import FloatArray

# Months of history before the first rolling origin.
WARMUP = 3
# The latest origins replayed (each is a cheap numpy pass).
MAX_ORIGINS = 24
# Below these a global model is not fitted: simple methods, with a warning.
MIN_MONTHS_FOR_MODEL = 24
MIN_REPS_FOR_MODEL = 30
# Another method replaces the history mean only when its rolling WAPE is this much lower.
SELECTION_MARGIN = 0.03
# Rolling origins below which the choice is noise: the history mean, the robust default.
MIN_SELECTION_ORIGINS = 3
# Positive windows below which a spread is not measured (a default one, with a warning).
MIN_WINDOWS = 8
Method = Callable[[FloatArray, int, int], FloatArray]


def short_history(panel: Panel) -> str | None:
    """Why a global model is not fitted to ``panel`` (None when it is)."""
    months = panel.y.shape[1]
    active = int(np.sum(~np.isnan(panel.y[:, -1]))) if months else 0
    if months < MIN_MONTHS_FOR_MODEL or active < MIN_REPS_FOR_MODEL:
        return (
            f"short or thin history ({months} months, {active} reps; a global model needs "
            f"{MIN_MONTHS_FOR_MODEL} months and {MIN_REPS_FOR_MODEL} reps): a simple method "
            "chosen by rolling backtest"
        )
    return None


def _flat(values: FloatArray, horizon: int) -> FloatArray:
    out: FloatArray = np.repeat(values[:, None], horizon, axis=1)
    return out


def _observed_mean(y: FloatArray, months: int) -> FloatArray:
    part = y[:, -months:]
    seen = np.sum(~np.isnan(part), axis=1)
    out: FloatArray = np.where(seen > 0, np.nansum(part, axis=1) / np.maximum(seen, 1), np.nan)
    return out


def history_mean(y: FloatArray, horizon: int, first_month: int = 0) -> FloatArray:
    """The mean of the trailing year's observed months, flat."""
    return _flat(_observed_mean(y, 12), horizon)


def naive(y: FloatArray, horizon: int, first_month: int = 0) -> FloatArray:
    """The last observed month, flat."""
    last = np.full(len(y), np.nan)
    for c in range(y.shape[1]):
        last = np.where(np.isnan(y[:, c]), last, y[:, c])
    return _flat(last, horizon)


def moving_average(y: FloatArray, horizon: int, first_month: int = 0) -> FloatArray:
    """The mean of the last three observed months, flat."""
    return _flat(_observed_mean(y, 3), horizon)


def smoothing(y: FloatArray, horizon: int, first_month: int = 0) -> FloatArray:
    """Exponential smoothing; seasonal factors only with two years of history."""
    if y.shape[1] < 24:
        return exponential_smoothing(y, horizon, first_month=first_month, seasonal=False)
    return exponential_smoothing(y, horizon, first_month=first_month)


def same_month(y: FloatArray, horizon: int, first_month: int = 0) -> FloatArray:
    """Seasonal naive (the last month when less than a year is known)."""
    return seasonal_naive(y, horizon)


METHODS: dict[str, Method] = {
    "history_mean": history_mean,
    "exponential_smoothing": smoothing,
    "seasonal_naive": same_month,
    "moving_average": moving_average,
    "naive": naive,
}


def point_forecast(name: str, y: FloatArray, horizon: int, first_month: int) -> FloatArray:
    """Method ``name``'s mean forecast (reps x horizon); gaps from the history mean, then 0.

    A zero forecast of a rep who sold in the trailing year (the last month, or the same month
    a year ago, was empty) is the history mean instead: the hurdle's zero probability says how
    likely an empty month is, and it needs the level of a month with a sale.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = METHODS[name](y, horizon, first_month)
        fallback = history_mean(y, horizon)
    gap = np.isnan(out) | ((out <= 0.0) & (np.nan_to_num(fallback) > 0.0))
    filled: FloatArray = np.nan_to_num(np.where(gap, fallback, out), nan=0.0)
    return np.maximum(filled, 0.0)


def rolling_origins(months: int, horizon: int) -> list[int]:
    """Origins with ``WARMUP`` months before them and ``horizon`` after, the latest last."""
    first = max(WARMUP, months - horizon - MAX_ORIGINS + 1)
    return list(range(first, months - horizon + 1))


def _rolling(
    y: FloatArray, name: str, horizon: int, window: int, first_month: int
) -> tuple[FloatArray, FloatArray, list[int], list[np.ndarray]]:
    """Means and actuals of ``window``-month totals starting at each step of each origin."""
    means, actuals, origins, rows = [], [], [], []
    for o in rolling_origins(y.shape[1], horizon):
        known = y[:, :o]
        seen = ~np.isnan(known).all(axis=1)
        mu = point_forecast(name, known, horizon, first_month)
        starts = range(0, horizon - window + 1) if window == 1 else [0]
        for s in starts:
            actual = y[:, o + s : o + s + window].sum(axis=1)
            actual = np.where(np.isnan(y[:, o + s : o + s + window]).any(axis=1), np.nan, actual)
            keep = seen & ~np.isnan(actual)
            means.append(mu[keep, s : s + window].sum(axis=1))
            actuals.append(actual[keep])
            origins.append(o)
            rows.append(np.flatnonzero(keep))
    if not means:
        return np.zeros(0), np.zeros(0), [], []
    return np.concatenate(means), np.concatenate(actuals), origins, rows


def fit_window(
    y: FloatArray, name: str, horizon: int, window: int, first_month: int
) -> tuple[Hurdle, FloatArray, FloatArray, FloatArray]:
    """The hurdle of ``window``-month totals calibrated on ``name``'s rolling forecasts, with
    the rolling means, actuals and the hurdle's medians there (for choosing the method)."""
    edges, pooled = size_edges(y), pooled_zero_share(y)
    mean, actual, origins, rows = _rolling(y, name, horizon, window, first_month)
    if not len(mean):
        empty = rep_state(y[:0], window, edges, pooled)
        return (
            fit_hurdle(mean, actual, empty, window=window, edges=edges, pooled_zero=pooled),
            (mean),
            actual,
            mean,
        )
    states = {o: rep_state(y[:, :o], window, edges, pooled) for o in set(origins)}
    p0 = np.concatenate([states[o].p0[r] for o, r in zip(origins, rows, strict=True)])
    level = np.concatenate([states[o].level[r] for o, r in zip(origins, rows, strict=True)])
    share = np.concatenate([states[o].zero_share[r] for o, r in zip(origins, rows, strict=True)])
    group = np.concatenate([states[o].group[r] for o, r in zip(origins, rows, strict=True)])
    state = RepState(level, share, p0, group)
    hurdle = fit_hurdle(mean, actual, state, window=window, edges=edges, pooled_zero=pooled)
    median = hurdle.quantiles(mean, state, np.array([0.5]))[:, 0]
    return hurdle, mean, actual, median


def wape_of(actual: FloatArray, forecast: FloatArray) -> float:
    total = float(np.abs(actual).sum())
    return float(np.abs(actual - forecast).sum()) / total if total > 0 else float("inf")


@dataclass(frozen=True, eq=False)
class SimpleForecast:
    """Quantiles per rep: ``monthly[i, m, j]``, ``period[i, j]`` (the horizon's total) and the
    mean of each month; ``method`` the chosen one with its rolling WAPE beside the others."""

    levels: FloatArray
    monthly: FloatArray
    period: FloatArray
    mean: FloatArray
    method: str
    scores: dict[str, float]
    warnings: tuple[str, ...]


def fit_simple(
    y: FloatArray,
    horizon: int,
    levels: FloatArray,
    *,
    first_month: int = 0,
    candidates: tuple[str, ...] | None = None,
    period_months: int | None = None,
) -> SimpleForecast:
    """Choose a method by rolling backtest and forecast the ``horizon`` months after ``y``
    (reps x months, NaN when not employed) with hurdle quantiles.

    ``period`` is the total of the last ``period_months`` months of the horizon (all of them by
    default), calibrated on rolling windows of that length. Never raises on short data: with
    fewer months than a rolling origin needs, the history mean is used with default spreads,
    and ``warnings`` says so.
    """
    notes: list[str] = []
    months = y.shape[1]
    names = candidates or tuple(METHODS)
    if months < 12:
        names = tuple(n for n in names if n != "seasonal_naive")
    step = min(horizon, max(1, months - WARMUP))
    scores: dict[str, float] = {}
    fits: dict[str, Hurdle] = {}
    for name in names:
        hurdle, _, actual, median = fit_window(y, name, step, 1, first_month)
        fits[name] = hurdle
        scores[name] = wape_of(actual, median) if len(actual) else float("inf")
    chosen = min(names, key=lambda n: (scores[n], n != "history_mean"))
    default = scores.get("history_mean", float("inf"))
    if np.isfinite(default) and scores[chosen] > (1.0 - SELECTION_MARGIN) * default:
        chosen = "history_mean"  # not clearly better than the robust default: selection noise
    origins = len(rolling_origins(months, step))
    if np.isfinite(scores[chosen]) and origins < MIN_SELECTION_ORIGINS and "history_mean" in names:
        chosen = "history_mean"
        notes.append(
            f"{origins} rolling origin(s) are too few to choose a method on: the history mean"
        )
    if not np.isfinite(scores[chosen]):
        chosen = "history_mean" if "history_mean" in names else names[0]
        notes.append(
            f"no sale at the rolling origins of {months} months to compare methods on: the "
            "history mean"
        )
    monthly_h = fits[chosen]
    if monthly_h.residuals < MIN_WINDOWS:
        notes.append("too few positive months to measure the spread: a default spread is used")
    length = horizon if period_months is None else max(1, min(period_months, horizon))
    period_h, *_ = fit_window(y, chosen, length, length, first_month)
    mean = point_forecast(chosen, y, horizon, first_month)
    state = monthly_h.state(y)
    monthly = np.stack([monthly_h.quantiles(mean[:, m], state, levels) for m in range(horizon)], 1)
    if period_h.residuals >= MIN_WINDOWS:
        period = period_h.quantiles(mean[:, -length:].sum(axis=1), period_h.state(y), levels)
    else:
        period = _convolved(monthly[:, -length:], levels)
        notes.append(
            f"too few {length}-month windows to calibrate the period total on: months are "
            "summed as if independent (the spread of the total is understated)"
        )
    return SimpleForecast(levels, monthly, period, mean, chosen, scores, tuple(notes))


def _convolved(monthly: FloatArray, levels: FloatArray, draws: int = 2000) -> FloatArray:
    """Quantiles of the sum of independent months, by seeded Monte Carlo draws."""
    rng = np.random.default_rng(0)
    n, months, _ = monthly.shape
    total = np.zeros((n, draws))
    for m in range(months):
        u = rng.uniform(levels[0], levels[-1], size=draws)
        total += np.stack([np.interp(u, levels, monthly[i, m]) for i in range(n)])
    out: FloatArray = np.quantile(total, levels, axis=1).T if n else np.zeros((0, len(levels)))
    return np.maximum.accumulate(out, axis=1)
