"""Per-rep forecast distributions for a plan's months: LightGBM when the history allows it
(24 months and 30 reps, ``solver.forecast.simple``), else the simple method a rolling backtest
chooses, with hurdle quantiles (``solver.forecast.hurdle``).

The simple path: the seasonal-naive, exponential-smoothing, history-mean, moving-average and
last-month forecasts of each rep with history are replayed from every past origin, the best
(WAPE of the hurdle median) is kept, and its zero probability and positive-part spread are
calibrated at those origins, per month and per window of the plan's length. Reps without
history take their rank peers' median quantiles times the ramp profile. The method string
carries the warning that the history is short, and it is shown on the plan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.forecast import ForecastConfig, build_panel, fit_forecaster, level_column
from solver.forecast.model import Hurdles
from solver.forecast.simple import MIN_MONTHS_FOR_MODEL, MIN_REPS_FOR_MODEL, fit_simple
from solver.planning.distribution import ForecastDistribution
from solver.planning.months import months_between
from solver.types import FloatArray, IntArray, QuantileTable

LEVELS = ForecastConfig().levels
log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class MetricForecast:
    """Quantiles per rep: ``monthly[i, m, j]`` and the period total's ``period`` table;
    ``trailing_total`` / ``trailing_months``: each rep's actual over the trailing year and its
    months employed (the basis of the history floor and of the cap on the rise)."""

    rep_ids: IntArray
    levels: FloatArray
    monthly: FloatArray
    period: QuantileTable
    mean_total: FloatArray
    method: str
    trailing_total: FloatArray | None = None
    trailing_months: FloatArray | None = None

    def distributions(self) -> tuple[ForecastDistribution, ...]:
        """One distribution per rep, in ``rep_ids`` order."""
        total = self.trailing_total
        seen = self.trailing_months
        return tuple(
            ForecastDistribution.quantiles(
                self.levels,
                self.period.values[i],
                self.monthly[i],
                float(self.mean_total[i]),
                trailing_total=float("nan") if total is None else float(total[i]),
                trailing_months=0.0 if seen is None else float(seen[i]),
            )
            for i in range(len(self.rep_ids))
        )


def _history_matrix(
    history: pd.DataFrame, reps: pd.DataFrame, metric: str
) -> tuple[FloatArray, pd.DatetimeIndex]:
    part = history[history["metric_code"] == metric]
    if part.empty:
        return np.full((len(reps), 0), np.nan), pd.DatetimeIndex([])
    months = pd.date_range(part["month"].min(), part["month"].max(), freq="MS")
    wide = part.pivot_table(index="rep_id", columns="month", values="value", aggfunc="sum")
    y = wide.reindex(index=reps["rep_id"], columns=months).to_numpy(np.float64)
    hire = pd.to_datetime(reps["hire_date"]).dt.to_period("M").dt.to_timestamp().to_numpy()
    employed = months.to_numpy()[None, :] >= hire[:, None]
    return np.where(employed, np.nan_to_num(y, nan=0.0), np.nan), months


def trailing_year(y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each rep's actual over the last 12 months of ``y`` and the months employed in them."""
    part = y[:, -12:]
    total: FloatArray = np.nansum(part, axis=1)
    seen: FloatArray = np.sum(~np.isnan(part), axis=1).astype(np.float64)
    return total, seen


def seasonal_naive(
    history: pd.DataFrame,
    reps: pd.DataFrame,
    plan_months: list[pd.Timestamp],
    metric: str,
    ramp: FloatArray,
    reason: str = "",
) -> MetricForecast:
    """The simple path (see the module docstring); ``ramp`` is each rep's share of a full
    month (``solver.planning.activity.ramp_matrix``), ``reason`` why it is taken."""
    y, months = _history_matrix(history, reps, metric)
    n, levels = len(reps), np.asarray(LEVELS)
    k = len(plan_months)
    gap = months_between(months[-1], plan_months[0]) - 1 if len(months) else 0
    horizon = max(gap, 0) + k
    seen = ~np.isnan(y).all(axis=1) if y.shape[1] else np.zeros(n, dtype=bool)
    monthly = np.zeros((n, k, len(levels)))
    period = np.zeros((n, len(levels)))
    mean = np.zeros((n, k))
    notes: list[str] = [reason] if reason else []
    chosen = "history mean"
    if seen.any():
        first = months[0].month - 1
        fit = fit_simple(y[seen], horizon, levels, first_month=first, period_months=k)
        monthly[seen] = fit.monthly[:, -k:]
        period[seen] = fit.period
        mean[seen] = fit.mean[:, -k:]
        chosen = fit.method.replace("_", " ")
        notes += fit.warnings
    ranks = reps["rank_code"].astype(str).to_numpy()
    for i in np.flatnonzero(~seen):  # no history: the rank's (else everyone's) median rep
        peers = seen & (ranks == ranks[i])
        peers = peers if peers.any() else seen
        if peers.any():
            monthly[i] = np.median(monthly[peers], axis=0)
            period[i] = np.median(period[peers], axis=0)
            mean[i] = np.median(mean[peers], axis=0)
    share = np.clip(ramp, 0.0, None) if ramp.shape == (n, k) else np.ones((n, k))
    monthly = np.maximum.accumulate(monthly * share[:, :, None], axis=2)
    kept = np.where(
        mean.sum(axis=1) > 0,
        (mean * share).sum(axis=1) / np.maximum(mean.sum(axis=1), 1e-12),
        share.mean(axis=1),
    )
    period = np.maximum.accumulate(period * kept[:, None], axis=1)
    rep_ids = reps["rep_id"].to_numpy(np.int64)
    total, employed = trailing_year(y) if y.shape[1] else (np.zeros(n), np.zeros(n))
    method = (
        f"{chosen}, chosen by rolling backtest among seasonal-naive, exponential smoothing, "
        "history mean, moving average and last month, with hurdle quantiles (reps without "
        "history: their rank peers' median)"
    )
    if notes:
        method += "; warning: " + "; ".join(notes)
    return MetricForecast(
        rep_ids,
        levels,
        monthly,
        QuantileTable(rep_ids, levels, period),
        (mean * share).sum(axis=1),
        method,
        total,
        employed,
    )


def lightgbm_forecast(
    history: pd.DataFrame,
    reps: pd.DataFrame,
    plan_months: list[pd.Timestamp],
    metric: str,
    rank_levels: dict[str, int],
) -> MetricForecast | None:
    """The global LightGBM model (conformal quantiles, or hurdle ones on a zero-heavy panel), or
    None when it does not apply."""
    if short_history_reason(history, reps, metric):
        return None
    ranks = pd.DataFrame({"rank_code": list(rank_levels), "level": list(rank_levels.values())})
    panel = build_panel(history, reps, ranks=ranks, metric=metric)
    last = panel.months[-1]
    horizon = months_between(last, plan_months[-1])
    if horizon < len(plan_months):
        return None
    # Totals are calibrated on windows as long as the plan (up to a third of the history):
    # the spread of a quarter's total is not the spread of a half-year's.
    config = ForecastConfig(num_rounds=80, calibration_months=len(plan_months))
    forecaster = fit_forecaster(panel, config)
    frame = forecaster.predict(horizon)
    frame = frame[frame["month"].isin(plan_months)]
    rep_ids = reps["rep_id"].to_numpy(np.int64)
    cols = [level_column(q) for q in forecaster.levels]
    frame = frame.set_index(["rep_id", "month"]).reindex(
        pd.MultiIndex.from_product([rep_ids, plan_months], names=["rep_id", "month"])
    )
    if frame[cols].isna().any().any():
        return None
    monthly = frame[cols].to_numpy(np.float64).reshape(len(rep_ids), len(plan_months), len(cols))
    period = forecaster.period_table(frame.reset_index())
    order = pd.Index(period.rep_ids).get_indexer(pd.Index(rep_ids))
    period = QuantileTable(rep_ids, period.levels, period.values[order])
    mean_total = frame["point"].to_numpy(np.float64).reshape(len(rep_ids), -1).sum(axis=1)
    total, employed = trailing_year(panel.y)
    return MetricForecast(
        rep_ids,
        forecaster.levels,
        np.maximum.accumulate(monthly, axis=2),
        period,
        mean_total,
        _lightgbm_method(forecaster.hurdles),
        total,
        employed,
    )


def _lightgbm_method(hurdles: Hurdles | None) -> str:
    """What the plan shows as its forecast method: the mean (the model's weight in its blend
    with the trailing-year mean) and the intervals."""
    if hurdles is None:
        return "LightGBM global model, conformal quantiles"
    if hurdles.weight >= 1.0:
        mean = "LightGBM global model"
    elif hurdles.weight > 0.0:
        share = f"{hurdles.weight:.0%} model"
        mean = f"LightGBM global model blended with the trailing-year mean ({share})"
    else:
        mean = "trailing-year mean (the LightGBM model's mean did worse at the rolling origins)"
    return mean + ", hurdle quantiles (P(no sale) x the spread of a month with a sale)"


def forecast_metric(
    history: pd.DataFrame,
    reps: pd.DataFrame,
    plan_months: list[pd.Timestamp],
    metric: str,
    *,
    rank_levels: dict[str, int],
    ramp: FloatArray,
) -> MetricForecast:
    """LightGBM when there is enough history, the seasonal-naive model otherwise (or on error)."""
    try:
        model = lightgbm_forecast(history, reps, plan_months, metric, rank_levels)
    except Exception as exc:  # a model that cannot be fitted must not block planning
        log.warning("LightGBM forecast of %s failed, falling back: %s", metric, exc)
        model = None
    if model is not None:
        return model
    reason = short_history_reason(history, reps, metric)
    return seasonal_naive(history, reps, plan_months, metric, ramp, reason or "")


def short_history_reason(history: pd.DataFrame, reps: pd.DataFrame, metric: str) -> str | None:
    """Why the global model is not fitted (None when it is): fewer than 24 months or 30 reps."""
    part = history[history["metric_code"] == metric]
    n_months = part["month"].nunique()
    if len(reps) < MIN_REPS_FOR_MODEL or n_months < MIN_MONTHS_FOR_MODEL:
        return (
            f"short or thin history ({n_months} months, {len(reps)} reps; a global model "
            f"needs {MIN_MONTHS_FOR_MODEL} months and {MIN_REPS_FOR_MODEL} reps)"
        )
    return None
