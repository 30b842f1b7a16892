"""One backtest origin: fit on the months before it, forecast the next ``horizon`` months.

The forecaster (the global LightGBM model, or for short or thin histories the simple method a
rolling backtest chooses, ``solver.forecast.simple``) is compared with five baselines on the
same reps and months: seasonal naive, the last month (naive), a 3-month moving average, the
trailing year's mean and simple exponential smoothing with pooled seasonality.
Reps are those employed at the origin (hires after it are not planned for); months after a
rep leaves are missing and left out of every measure.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.backtest import exponential_smoothing, moving_average, seasonal_naive
from solver.evaluate.history import panel_until
from solver.forecast import ForecastConfig, Forecaster, Panel, fit_forecaster, level_column
from solver.forecast.simple import fit_simple, history_mean, naive, short_history
from solver.probability import quantile_at
from solver.types import FloatArray, IntArray, QuantileTable

BASELINES = (
    "seasonal_naive",
    "naive",
    "moving_average",
    "history_mean",
    "exponential_smoothing",
)


@dataclass(frozen=True, eq=False)
class OriginForecast:
    """Forecasts and actuals of one origin; matrices are reps (``rows``) x horizon months.

    ``monthly`` holds one quantile table per month (``shipped``: as ``predict`` returns them),
    ``period`` the table of each rep's total over the horizon.
    ``truth`` is the expected value known to the generator (synthetic companies only).
    """

    origin: int
    rows: IntArray
    rep_ids: IntArray
    actual: FloatArray
    median: FloatArray
    point: FloatArray
    baselines: dict[str, FloatArray]
    monthly: tuple[QuantileTable, ...]
    shipped: tuple[QuantileTable, ...]
    period: QuantileTable
    truth: FloatArray | None
    method: str = "lightgbm"
    warnings: tuple[str, ...] = ()
    trailing_total: FloatArray | None = None  # the trailing year's actual before the origin
    trailing_months: FloatArray | None = None  # and its months employed


def trailing_year(panel: Panel, rows: IntArray, origin: int) -> tuple[FloatArray, FloatArray]:
    """Each row's actual over the year before ``origin`` and the months it was employed."""
    part = panel.y[rows, max(0, origin - 12) : origin]
    total: FloatArray = np.nansum(part, axis=1)
    seen: FloatArray = np.sum(~np.isnan(part), axis=1).astype(np.float64)
    return total, seen


def _filled(forecast: FloatArray, fallback: FloatArray) -> FloatArray:
    """A baseline with its gaps (no history that month last year) taken from ``fallback``."""
    out: FloatArray = np.nan_to_num(np.where(np.isnan(forecast), fallback, forecast), nan=0.0)
    return out


def baseline_forecasts(panel: Panel, horizon: int) -> dict[str, FloatArray]:
    """Every baseline for every panel row; gaps fall back to the moving average, then to 0."""
    with warnings.catch_warnings():  # reps with no recent month: NaN, filled below
        warnings.simplefilter("ignore", RuntimeWarning)
        average = moving_average(panel.y, horizon)
    first_month = panel.months[0].month - 1
    smooth = exponential_smoothing(panel.y, horizon, first_month=first_month)
    return {
        "seasonal_naive": _filled(seasonal_naive(panel.y, horizon), average),
        "naive": _filled(naive(panel.y, horizon), average),
        "moving_average": _filled(average, np.zeros_like(average)),
        "history_mean": _filled(history_mean(panel.y, horizon), np.zeros_like(average)),
        "exponential_smoothing": _filled(smooth, average),
    }


def _table(rep_ids: IntArray, levels: FloatArray, values: FloatArray) -> QuantileTable:
    return QuantileTable(rep_ids, levels.copy(), np.maximum.accumulate(values, axis=1))


def monthly_tables(
    forecaster: Forecaster, frame: pd.DataFrame, horizon: int
) -> tuple[tuple[QuantileTable, ...], tuple[QuantileTable, ...]]:
    """Per month: the table rebuilt from the point forecast (``month_quantiles``: the hurdle's
    quantiles on zero-heavy panels, else the conformal residuals around the point) and the
    table of ``predict``'s own quantile columns; the backtest measures the first and reports
    the second apart."""
    cols = [level_column(q) for q in forecaster.levels]
    index = pd.Index(forecaster.panel.rep_ids)
    rebuilt, shipped = [], []
    for h in range(horizon):
        part = frame[frame["h"] == h + 1].sort_values("rep_id")
        rep_ids = part["rep_id"].to_numpy(np.int64)
        rows = index.get_indexer(pd.Index(rep_ids)).astype(np.int64)
        values = forecaster.month_quantiles(h, rows, part["point"].to_numpy(np.float64))
        rebuilt.append(_table(rep_ids, forecaster.levels, values))
        shipped.append(_table(rep_ids, forecaster.levels, part[cols].to_numpy(np.float64)))
    return tuple(rebuilt), tuple(shipped)


def evaluate_origin(
    panel: Panel,
    origin: int,
    horizon: int,
    *,
    config: ForecastConfig,
    truth: FloatArray | None = None,
) -> OriginForecast:
    """Fit on columns ``< origin`` and forecast columns ``origin .. origin + horizon - 1``."""
    known = panel_until(panel, origin)
    reason = short_history(known)
    if reason is not None:
        return _simple_origin(panel, known, origin, horizon, config, truth, reason)
    forecaster = fit_forecaster(known, config)
    frame = forecaster.predict(horizon)
    employed = panel.rep_ids[~np.isnan(panel.y[:, origin - 1])]
    frame = frame[frame["rep_id"].isin(employed)]
    monthly, shipped = monthly_tables(forecaster, frame, horizon)
    period = forecaster.period_table(frame)
    rep_ids = period.rep_ids
    rows = pd.Index(panel.rep_ids).get_indexer(pd.Index(rep_ids)).astype(np.int64)
    span = slice(origin, origin + horizon)
    wide = frame.pivot(index="rep_id", columns="h", values="point").reindex(rep_ids)
    median = np.column_stack([quantile_at(t, 0.5) for t in monthly])
    base = baseline_forecasts(known, horizon)
    return OriginForecast(
        origin=origin,
        rows=rows,
        rep_ids=rep_ids,
        actual=panel.y[rows, span],
        median=median,
        point=wide.to_numpy(np.float64),
        baselines={name: values[rows] for name, values in base.items()},
        monthly=monthly,
        shipped=shipped,
        period=period,
        truth=None if truth is None else truth[rows, span],
        trailing_total=trailing_year(panel, rows, origin)[0],
        trailing_months=trailing_year(panel, rows, origin)[1],
    )


def _simple_origin(
    panel: Panel,
    known: Panel,
    origin: int,
    horizon: int,
    config: ForecastConfig,
    truth: FloatArray | None,
    reason: str,
) -> OriginForecast:
    """The same origin forecast by the simple method a rolling backtest chooses."""
    rows = np.flatnonzero(~np.isnan(panel.y[:, origin - 1])).astype(np.int64)
    levels = np.asarray(config.levels)
    fit = fit_simple(known.y[rows], horizon, levels, first_month=known.months[0].month - 1)
    rep_ids = panel.rep_ids[rows]
    monthly = tuple(_table(rep_ids, levels, fit.monthly[:, h]) for h in range(horizon))
    median = np.column_stack([quantile_at(t, 0.5) for t in monthly])
    base = baseline_forecasts(known, horizon)
    span = slice(origin, origin + horizon)
    return OriginForecast(
        origin=origin,
        rows=rows,
        rep_ids=rep_ids,
        actual=panel.y[rows, span],
        median=median,
        point=fit.mean,
        baselines={name: values[rows] for name, values in base.items()},
        monthly=monthly,
        shipped=monthly,
        period=_table(rep_ids, levels, fit.period),
        truth=None if truth is None else truth[rows, span],
        method=fit.method,
        warnings=(reason, *fit.warnings),
        trailing_total=trailing_year(panel, rows, origin)[0],
        trailing_months=trailing_year(panel, rows, origin)[1],
    )
