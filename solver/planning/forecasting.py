"""Per-rep forecast distributions for a plan's months: LightGBM when the history allows it,
else a peer / seasonal-naive quantile model that works for any company size.

The fallback: each rep's level is the mean of their last (up to) 12 months; a calendar-month
seasonal index is pooled over reps; the spread is the pooled empirical distribution of
"month / mean of the previous three months" (a rolling backtest, so calibrated by construction);
reps without history take the median level of their rank's peers times the ramp profile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from solver.forecast import ForecastConfig, build_panel, fit_forecaster, level_column
from solver.planning.distribution import ForecastDistribution
from solver.planning.months import months_between
from solver.types import FloatArray, IntArray, QuantileTable

LEVELS = ForecastConfig().levels
MIN_REPS_FOR_MODEL = 40
MIN_MONTHS_FOR_MODEL = 18
WINDOW = 3
DEFAULT_SPREAD = 0.35  # log-normal spread when history is too short to measure one
log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class MetricForecast:
    """Quantiles per rep: ``monthly[i, m, j]`` and the period total's ``period`` table."""

    rep_ids: IntArray
    levels: FloatArray
    monthly: FloatArray
    period: QuantileTable
    mean_total: FloatArray
    method: str

    def distributions(self) -> tuple[ForecastDistribution, ...]:
        """One distribution per rep, in ``rep_ids`` order."""
        return tuple(
            ForecastDistribution.quantiles(
                self.levels, self.period.values[i], self.monthly[i], float(self.mean_total[i])
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


def _ratio_quantiles(y: FloatArray) -> FloatArray:
    """Pooled quantiles of "month / mean of the previous WINDOW months" (calibrated spread)."""
    ratios = []
    for t in range(WINDOW, y.shape[1]):
        window = y[:, t - WINDOW : t]
        seen = np.isfinite(window).sum(axis=1)  # months employed in the window
        base = np.where(seen > 0, np.nansum(window, axis=1) / np.maximum(seen, 1), np.nan)
        ok = np.isfinite(y[:, t]) & np.isfinite(base) & (base > 0)
        ratios.append(y[ok, t] / base[ok])
    pooled = np.concatenate(ratios) if ratios else np.array([])
    if len(pooled) < 30:
        z = ndtri(np.asarray(LEVELS))
        out: FloatArray = np.exp(DEFAULT_SPREAD * z - DEFAULT_SPREAD**2 / 2)
        return out
    return np.asarray(np.quantile(pooled, LEVELS), dtype=np.float64)


def _seasonality(
    y: FloatArray, months: pd.DatetimeIndex, plan_months: list[pd.Timestamp]
) -> FloatArray:
    """A pooled calendar-month index (mean 1) when two years of history exist, else flat."""
    if y.shape[1] < 24:
        return np.ones(len(plan_months))
    totals = np.nansum(y, axis=0)
    by_moy = pd.Series(totals, index=months.month).groupby(level=0).mean()
    index = by_moy / by_moy.mean() if by_moy.mean() > 0 else by_moy * 0 + 1
    return np.asarray([float(index.get(m.month, 1.0)) for m in plan_months])


def seasonal_naive(
    history: pd.DataFrame,
    reps: pd.DataFrame,
    plan_months: list[pd.Timestamp],
    metric: str,
    ramp: FloatArray,
) -> MetricForecast:
    """The fallback quantile model (see the module docstring); ``ramp`` is each rep's share
    of a full month (``solver.planning.activity.ramp_matrix``)."""
    y, months = _history_matrix(history, reps, metric)
    recent = y[:, -12:] if y.shape[1] else y
    observed = np.sum(np.isfinite(recent), axis=1)
    level = np.where(
        observed > 0, np.nanmean(np.where(observed[:, None] > 0, recent, 0.0), axis=1), np.nan
    )
    ranks = reps["rank_code"].astype(str).to_numpy()
    for rank in np.unique(ranks):
        peers = level[(ranks == rank) & np.isfinite(level)]
        fill = (
            float(np.median(peers))
            if len(peers)
            else float(np.nanmedian(level))
            if np.isfinite(level).any()
            else 0.0
        )
        level = np.where((ranks == rank) & ~np.isfinite(level), fill, level)
    ratio_q = _ratio_quantiles(y)
    season = _seasonality(y, months, plan_months)
    centre = level[:, None] * season[None, :] * ramp  # (n, months)
    monthly = np.maximum(centre[:, :, None] * ratio_q[None, None, :], 0.0)
    k = max(len(plan_months), 1)
    median = float(np.interp(0.5, LEVELS, ratio_q)) or 1.0
    spread = 1.0 + (ratio_q / median - 1.0) / np.sqrt(k)
    total = centre.sum(axis=1)
    period = np.maximum.accumulate(
        np.maximum(total[:, None] * median * spread[None, :], 0.0), axis=1
    )
    rep_ids = reps["rep_id"].to_numpy(np.int64)
    table = QuantileTable(rep_ids, np.asarray(LEVELS), period)
    mean_total = total * float(np.mean(ratio_q))
    return MetricForecast(
        rep_ids, np.asarray(LEVELS), monthly, table, mean_total, "seasonal-naive peer quantiles"
    )


def lightgbm_forecast(
    history: pd.DataFrame,
    reps: pd.DataFrame,
    plan_months: list[pd.Timestamp],
    metric: str,
    rank_levels: dict[str, int],
) -> MetricForecast | None:
    """The global LightGBM model with conformal quantiles, or None when it does not apply."""
    part = history[history["metric_code"] == metric]
    n_months = part["month"].nunique()
    if len(reps) < MIN_REPS_FOR_MODEL or n_months < MIN_MONTHS_FOR_MODEL:
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
    return MetricForecast(
        rep_ids,
        forecaster.levels,
        np.maximum.accumulate(monthly, axis=2),
        period,
        mean_total,
        "LightGBM global model, conformal quantiles",
    )


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
    return seasonal_naive(history, reps, plan_months, metric, ramp)
