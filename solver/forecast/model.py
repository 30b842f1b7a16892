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
from solver.forecast.hurdle import (
    Hurdle,
    RepState,
    fit_hurdle,
    pooled_zero_share,
    rep_state,
    size_edges,
)
from solver.forecast.panel import Panel
from solver.forecast.simple import point_forecast
from solver.types import FloatArray

# Pooled share of empty months (trailing year) from which "auto" intervals are the hurdle's:
# an order-line panel of territories (half the months empty) takes it, a sales force with a
# third of empty months (mostly hires and lumpy juniors) keeps the conformal residuals and
# their tenure, rank and region effects.
ZERO_HEAVY = 0.4


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
    # "hurdle": P(no sale) x the positive part around the model's mean (``solver.forecast.
    # hurdle``), calibrated per group of size and zero share; "conformal": residual quantiles
    # of the whole distribution (``calibration``); "auto": the hurdle when the panel is
    # zero-heavy (``ZERO_HEAVY``), else conformal.
    intervals: str = "auto"
    # Monthly residual rows the hurdle's ratios need: further origins (up to
    # ``max_calibration_origins``) until the reps x months forecast reach it.
    hurdle_rows: int = 2000
    max_calibration_origins: int = 8


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


@dataclass(frozen=True, eq=False)
class Hurdles:
    """The hurdle of a month and of the window's total (``solver.forecast.hurdle``), fitted on
    the model's rolling-origin means."""

    month: Hurdle
    period: Hurdle
    weight: float = 1.0  # the model's weight in the mean, the history mean's 1 - weight


# The model's weights in the mean tried at the calibration origins (the rest: history mean).
BLEND_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def blended_mean(model: FloatArray, y: FloatArray, weight: float) -> FloatArray:
    """``weight`` x the model's mean + the rest x the trailing year's mean (flat)."""
    if weight >= 1.0:
        return model
    flat = point_forecast("history_mean", y, model.shape[1], 0)
    out: FloatArray = weight * model + (1.0 - weight) * flat
    return out


def uses_hurdle(panel: Panel, config: ForecastConfig) -> bool:
    """Whether the intervals are the hurdle's (see ``ForecastConfig.intervals``)."""
    if config.intervals != "auto":
        return config.intervals == "hurdle"
    return zero_share(panel.y) >= ZERO_HEAVY


def zero_share(y: FloatArray) -> float:
    """Share of empty months in the trailing year over reps employed then."""
    return pooled_zero_share(y) if y.shape[1] else 0.0


def calibration_origins(
    months: int, reps: int, cal: int, config: ForecastConfig, hurdle: bool
) -> list[int]:
    """The latest origin and, ``cal`` months apart while a year of history precedes them,
    ``calibration_origins`` further ones, or with the hurdle as many as ``hurdle_rows``
    monthly residuals need (at most ``max_calibration_origins``)."""
    wanted = max(1, config.calibration_origins)
    if hurdle:
        need = -(-config.hurdle_rows // max(1, reps * cal))
        wanted = max(wanted, min(need, config.max_calibration_origins))
    origins = [months - cal * (k + 1) for k in range(wanted)]
    return [o for k, o in enumerate(origins) if k == 0 or o >= MIN_CALIBRATION_HISTORY]


def calibrate(
    panel: Panel, logy: FloatArray, config: ForecastConfig
) -> tuple[Calibration, Hurdles | None]:
    """Split-conformal residuals from up to ``calibration_origins`` rolling origins, each
    forecasting the ``calibration_months`` after it with a model fitted on the months before;
    and with the hurdle, its ratios from the same forecasts at as many origins as it needs.

    Each further origin is ``calibration_months`` earlier (while a year of history precedes
    it), which doubles the residuals behind each group's quantiles and spans more than one
    season. (A window a year earlier, over the calendar months being forecast, was tried: its
    model has a year less to learn from and errs unlike the final one, so tenure gaps grew.)
    """
    months = logy.shape[1]
    cal = max(1, min(config.calibration_months, months // 3))
    active = int(np.sum(~np.isnan(panel.y[:, -1]))) if months else 0
    hurdle = uses_hurdle(panel, config)
    origins = calibration_origins(months, max(active, 1), cal, config, hurdle)
    conformal = max(1, config.calibration_origins)
    resid, totals, groups = [], [], []
    means: list[FloatArray] = []
    for k, origin in enumerate(origins):
        booster = fit_booster(*training_set(panel, logy, origin, config), config)
        pred = recursive_forecast(panel, booster, logy[:, :origin], cal)
        means.append(np.expm1(pred))
        if k >= conformal:
            continue
        actual = np.expm1(logy[:, origin : origin + cal])
        resid.append(to_residual(actual, pred, config.target))
        pred_total = np.log1p(np.sum(np.expm1(pred), axis=1))
        totals.append(to_residual(np.sum(actual, axis=1), pred_total, config.target))
        groups.append(rep_groups(panel, origin))
    stacked = {name: np.concatenate([g[name] for g in groups]) for name in groups[0]}
    neutral = 0.0 if config.target == "log1p" else 1.0
    recent = np.concatenate([np.full(len(r), k == 0) for k, r in enumerate(resid)])  # latest
    calibration = fit_calibration(
        np.concatenate(resid),
        np.concatenate(totals),
        stacked,
        np.asarray(config.levels),
        neutral,
        recent=recent,
    )
    if not hurdle:
        return calibration, None
    return calibration, fit_hurdles(panel.y, origins, means, cal)


def _stacked_states(states: list[RepState]) -> RepState:
    return RepState(
        np.concatenate([s.level for s in states]),
        np.concatenate([s.zero_share for s in states]),
        np.concatenate([s.p0 for s in states]),
        np.concatenate([s.group for s in states]),
    )


def fit_hurdles(y: FloatArray, origins: list[int], means: list[FloatArray], cal: int) -> Hurdles:
    """The month and ``cal``-month total hurdles from the model's means at each origin
    (reps x ``cal``) and what each rep then sold; reps employed at the origin only."""
    edges, pooled = size_edges(y), pooled_zero_share(y)
    month_rows: tuple[list[FloatArray], list[FloatArray], list[RepState]] = ([], [], [])
    total_rows: tuple[list[FloatArray], list[FloatArray], list[RepState]] = ([], [], [])
    weight = _blend_weight(y, origins, means, cal, edges, pooled)
    for origin, model in zip(origins, means, strict=True):
        known = y[:, :origin]
        mean = blended_mean(model, known, weight)
        employed = ~np.isnan(known[:, -1])
        actual = y[:, origin : origin + cal]
        one = rep_state(known, 1, edges, pooled)
        for h in range(cal):
            keep = employed & ~np.isnan(actual[:, h])
            month_rows[0].append(mean[keep, h])
            month_rows[1].append(actual[keep, h])
            month_rows[2].append(_subset(one, keep))
        whole = rep_state(known, cal, edges, pooled)
        keep = employed & ~np.isnan(actual).any(axis=1)
        total_rows[0].append(mean[keep].sum(axis=1))
        total_rows[1].append(actual[keep].sum(axis=1))
        total_rows[2].append(_subset(whole, keep))
    month = fit_hurdle(
        np.concatenate(month_rows[0]),
        np.concatenate(month_rows[1]),
        _stacked_states(month_rows[2]),
        window=1,
        edges=edges,
        pooled_zero=pooled,
    )
    period = fit_hurdle(
        np.concatenate(total_rows[0]),
        np.concatenate(total_rows[1]),
        _stacked_states(total_rows[2]),
        window=cal,
        edges=edges,
        pooled_zero=pooled,
    )
    return Hurdles(month, period, weight)


def _blend_weight(
    y: FloatArray,
    origins: list[int],
    means: list[FloatArray],
    cal: int,
    edges: FloatArray,
    pooled: float,
) -> float:
    """The model's weight in the mean whose hurdle median has the lowest WAPE over the
    calibration origins (ties: the larger weight).

    On a few dozen lumpy series a global model learns little that the trailing mean does not
    know, and its noise drags the median off; on a large panel it wins. Each weight's hurdle
    is fitted on the same rows it is scored on, so every weight is measured alike."""
    best, best_score = 1.0, np.inf
    for weight in sorted(BLEND_WEIGHTS, reverse=True):
        mu, act, states = [], [], []
        for origin, model in zip(origins, means, strict=True):
            known = y[:, :origin]
            keep = ~np.isnan(known[:, -1])
            mean = blended_mean(model, known, weight)
            one = rep_state(known, 1, edges, pooled)
            for h in range(cal):
                ok = keep & ~np.isnan(y[:, origin + h])
                mu.append(mean[ok, h])
                act.append(y[ok, origin + h])
                states.append(_subset(one, ok))
        state = _stacked_states(states)
        mean_all, actual = np.concatenate(mu), np.concatenate(act)
        hurdle = fit_hurdle(mean_all, actual, state, window=1, edges=edges, pooled_zero=pooled)
        median = hurdle.quantiles(mean_all, state, np.array([0.5]))[:, 0]
        total = float(np.abs(actual).sum())
        score = float(np.abs(actual - median).sum()) / total if total > 0 else np.inf
        if score < best_score - 1e-9:
            best, best_score = weight, score
    return best


def _subset(state: RepState, keep: NDArray[np.bool_]) -> RepState:
    return RepState(state.level[keep], state.zero_share[keep], state.p0[keep], state.group[keep])
