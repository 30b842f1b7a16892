"""A global LightGBM point model with conformal residual quantiles.

Two targets: ``log1p`` (a point model on log1p(y), additive log residuals) and ``tweedie``
(the mean on the raw scale with a Tweedie loss, multiplicative residuals y / mean). Tweedie is
the default: with many zero months (a third of the synthetic panel) the log1p model estimates
a median near zero and its totals are off by an order of magnitude.

Fit: hold out the last ``calibration_months`` columns, forecast them recursively from that
origin, and keep the empirical quantiles of the residuals per horizon and for the window's
total, pooled and per group of reps (``calibration``). Then refit on everything.
Predict: recursive point forecasts shifted by those residual quantiles, which never cross.
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
from numpy.typing import NDArray

from solver.forecast.calibration import Calibration, fit_calibration, rep_groups
from solver.forecast.features import CATEGORICAL, FEATURES, features_at
from solver.forecast.panel import Panel
from solver.types import FloatArray


@dataclass(frozen=True)
class ForecastConfig:
    """Model and calibration settings; everything seeded and single-process by default."""

    # Every 5%: a rep's point mass at zero (empty months) is read off the grid as the last
    # level whose quantile is 0, so a coarse grid floors it and overstates the lower tail.
    levels: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(1, 20))
    calibration_months: int = 6
    calibration_origins: int = 2
    num_rounds: int = 150
    learning_rate: float = 0.08
    num_leaves: int = 31
    min_data_in_leaf: int = 50
    max_train_rows: int = 400_000
    num_threads: int = 2
    seed: int = 0
    target: str = "tweedie"


def to_residual(actual: FloatArray, log_pred: FloatArray, target: str) -> FloatArray:
    """Conformity score: log residual (log1p target) or ratio to the mean (tweedie)."""
    if target == "log1p":
        out: FloatArray = np.log1p(actual) - log_pred
        return out
    out = actual / np.maximum(np.expm1(log_pred), 1e-9)
    return out


def from_residual(log_pred: FloatArray, residual: FloatArray, target: str) -> FloatArray:
    """Inverse of ``to_residual``: the value at a residual quantile, never below zero."""
    if target == "log1p":
        out: FloatArray = np.maximum(np.expm1(log_pred + residual), 0.0)
        return out
    out = np.maximum(np.expm1(log_pred) * residual, 0.0)
    return out


def training_set(
    panel: Panel, logy: FloatArray, end: int, config: ForecastConfig
) -> tuple[NDArray[np.float32], FloatArray]:
    """Stacked features and targets for columns ``1..end-1`` where the target is observed."""
    xs, ys = [], []
    for t in range(1, end):
        ok = ~np.isnan(logy[:, t])
        xs.append(features_at(panel, logy[:, :end], t, origin=end)[ok].astype(np.float32))
        ys.append(logy[ok, t])
    x, y = np.concatenate(xs), np.concatenate(ys)
    if len(y) > config.max_train_rows:
        keep = np.random.default_rng(config.seed).choice(
            len(y), config.max_train_rows, replace=False
        )
        x, y = x[np.sort(keep)], y[np.sort(keep)]
    return x, y


def fit_booster(x: NDArray[np.float32], logy: FloatArray, config: ForecastConfig) -> lgb.Booster:
    """Train on log1p targets, or on raw targets with a Tweedie loss."""
    tweedie = config.target == "tweedie"
    params = {
        "objective": "tweedie" if tweedie else "regression",
        "learning_rate": config.learning_rate,
        "num_leaves": config.num_leaves,
        "min_data_in_leaf": config.min_data_in_leaf,
        "num_threads": config.num_threads,
        "seed": config.seed,
        "deterministic": True,
        "force_row_wise": True,
        "verbose": -1,
    }
    cats = [FEATURES.index(c) for c in CATEGORICAL]
    y = np.expm1(logy) if tweedie else logy
    data = lgb.Dataset(x, y, feature_name=list(FEATURES), categorical_feature=cats)
    return lgb.train(params, data, num_boost_round=config.num_rounds)


def recursive_forecast(
    panel: Panel, booster: lgb.Booster, logy: FloatArray, horizon: int
) -> FloatArray:
    """Log-space point forecasts for the ``horizon`` columns after ``logy``'s last column."""
    origin = logy.shape[1]
    ext = np.concatenate([logy, np.full((len(logy), horizon), np.nan)], axis=1)
    for h in range(horizon):
        x = features_at(panel, ext, origin + h, origin=origin).astype(np.float32)
        raw = booster.predict(x, num_threads=_threads(booster))
        tweedie = booster.params.get("objective") == "tweedie"
        ext[:, origin + h] = np.log1p(np.maximum(raw, 0.0)) if tweedie else np.maximum(raw, 0.0)
    out: FloatArray = ext[:, origin:]
    return out


def _threads(booster: lgb.Booster) -> int:
    return int(booster.params.get("num_threads", 1))


# A further calibration origin needs this many months of history before it (a season of lags).
MIN_CALIBRATION_HISTORY = 12


def calibrate(panel: Panel, logy: FloatArray, config: ForecastConfig) -> Calibration:
    """Split-conformal residuals from up to ``calibration_origins`` rolling origins, each
    forecasting the ``calibration_months`` after it with a model fitted on the months before.

    Each further origin is ``calibration_months`` earlier (while a year of history precedes
    it), which doubles the residuals behind each group's quantiles and spans more than one
    season. (A window a year earlier, over the calendar months being forecast, was tried: its
    model has a year less to learn from and errs unlike the final one, so tenure gaps grew.)
    """
    months = logy.shape[1]
    cal = max(1, min(config.calibration_months, months // 3))
    origins = [months - cal * (k + 1) for k in range(max(1, config.calibration_origins))]
    origins = [o for k, o in enumerate(origins) if k == 0 or o >= MIN_CALIBRATION_HISTORY]
    resid, totals, groups = [], [], []
    for origin in origins:
        booster = fit_booster(*training_set(panel, logy, origin, config), config)
        pred = recursive_forecast(panel, booster, logy[:, :origin], cal)
        actual = np.expm1(logy[:, origin : origin + cal])
        resid.append(to_residual(actual, pred, config.target))
        pred_total = np.log1p(np.sum(np.expm1(pred), axis=1))
        totals.append(to_residual(np.sum(actual, axis=1), pred_total, config.target))
        groups.append(rep_groups(panel, origin))
    stacked = {name: np.concatenate([g[name] for g in groups]) for name in groups[0]}
    neutral = 0.0 if config.target == "log1p" else 1.0
    recent = np.concatenate([np.full(len(r), k == 0) for k, r in enumerate(resid)])  # latest
    return fit_calibration(
        np.concatenate(resid),
        np.concatenate(totals),
        stacked,
        np.asarray(config.levels),
        neutral,
        recent=recent,
    )
