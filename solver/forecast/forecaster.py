"""The fit/predict contract: ``fit_forecaster(panel) -> Forecaster``, ``.predict(horizon)``."""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd

from solver.forecast.calibration import Calibration, rep_groups
from solver.forecast.hurdle import RepState
from solver.forecast.model import (
    ForecastConfig,
    Hurdles,
    blended_mean,
    calibrate,
    fit_booster,
    from_residual,
    recursive_forecast,
    training_set,
)
from solver.forecast.panel import Panel
from solver.types import FloatArray, IntArray, QuantileTable


def level_column(level: float) -> str:
    """Column name of a quantile level, e.g. ``q0.05``."""
    return f"q{level:g}"


@dataclass(frozen=True, eq=False)
class Forecaster:
    """A fitted global model with its conformal calibration, and on zero-heavy panels the
    hurdle that replaces it (``hurdles``)."""

    panel: Panel
    booster: lgb.Booster
    calibration: Calibration
    config: ForecastConfig
    hurdles: Hurdles | None = None

    @property
    def levels(self) -> FloatArray:
        return np.asarray(self.config.levels)

    def _active(self) -> FloatArray:
        out: FloatArray = self.panel.leave_index >= self.panel.y.shape[1] - 1
        return out

    def _shift(self, h: int) -> FloatArray:
        """Residual quantiles (n_reps, levels) for step ``h``; widened beyond the calibration."""
        groups = rep_groups(self.panel, self.panel.y.shape[1])
        table = self.calibration.horizon(h, groups)
        steps = self.calibration.steps
        if h >= steps:  # beyond the calibrated window, widen like a random walk around the centre
            centre = np.median(table, axis=1, keepdims=True)
            table = centre + (table - centre) * np.sqrt((h + 1) / steps)
        return table

    def month_quantiles(self, h: int, rows: IntArray, point: FloatArray) -> FloatArray:
        """Quantiles (len(rows) x levels) of step ``h`` for panel rows ``rows`` whose mean
        (point) forecast is ``point``: the hurdle's, else the conformal residuals'."""
        if self.hurdles is not None:
            state = _rows(self.hurdles.month.state(self.panel.y), rows)
            return self.hurdles.month.quantiles(point, state, self.levels)
        values = from_residual(
            np.log1p(np.maximum(point, 0.0))[:, None], self._shift(h)[rows], self.config.target
        )
        out: FloatArray = np.maximum(values, 0.0)
        return out

    def predict(self, horizon: int) -> pd.DataFrame:
        """Long frame: rep_id, month, h (1..horizon), point, and one column per quantile level.

        >>> # forecaster.predict(12)[["rep_id", "month", "q0.5"]]
        """
        logy = np.log1p(self.panel.y)
        pred = recursive_forecast(self.panel, self.booster, logy, horizon)
        if self.hurdles is not None:
            mean = blended_mean(np.expm1(pred), self.panel.y, self.hurdles.weight)
            pred = np.log1p(np.maximum(mean, 0.0))
        active = self._active()
        rows = np.flatnonzero(active).astype(np.int64)
        months = pd.date_range(self.panel.months[-1], periods=horizon + 1, freq="MS")[1:]
        frames = []
        for h in range(horizon):
            values = self.month_quantiles(h, rows, np.expm1(pred[active, h]))
            frame = pd.DataFrame(values, columns=[level_column(q) for q in self.levels])
            frame.insert(0, "point", np.expm1(pred[active, h]))
            frame.insert(0, "h", h + 1)
            frame.insert(0, "month", months[h])
            frame.insert(0, "rep_id", self.panel.rep_ids[active])
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def period_table(self, forecast: pd.DataFrame) -> QuantileTable:
        """Quantiles of each rep's total over the forecast's months, calibrated on totals."""
        totals = forecast.groupby("rep_id", sort=True)["point"].sum()
        rep_ids = totals.index.to_numpy(np.int64)
        pos = pd.Index(self.panel.rep_ids).get_indexer(pd.Index(rep_ids))
        if self.hurdles is not None:
            state = _rows(self.hurdles.period.state(self.panel.y), pos.astype(np.int64))
            values = self.hurdles.period.quantiles(totals.to_numpy(), state, self.levels)
            return QuantileTable(rep_ids, self.levels.copy(), values)
        groups = rep_groups(self.panel, self.panel.y.shape[1], pos.astype(np.int64))
        shift = self.calibration.period(groups)
        values = from_residual(np.log1p(totals.to_numpy())[:, None], shift, self.config.target)
        return QuantileTable(rep_ids, self.levels.copy(), np.maximum.accumulate(values, axis=1))


def _rows(state: RepState, rows: IntArray) -> RepState:
    return RepState(state.level[rows], state.zero_share[rows], state.p0[rows], state.group[rows])


def month_table(forecast: pd.DataFrame, month: pd.Timestamp) -> QuantileTable:
    """The quantile table of one forecast month."""
    part = forecast[forecast["month"] == month].sort_values("rep_id")
    cols = [c for c in forecast.columns if c.startswith("q")]
    levels = np.array([float(c[1:]) for c in cols])
    return QuantileTable(part["rep_id"].to_numpy(np.int64), levels, part[cols].to_numpy(np.float64))


def fit_forecaster(panel: Panel, config: ForecastConfig | None = None) -> Forecaster:
    """Calibrate on a held-out window, then fit the final model on the whole panel.

    >>> # panel = build_panel(company.monthly_actuals, company.reps, ranks=company.ranks,
    >>> #                     deals=company.deals)
    >>> # forecaster = fit_forecaster(panel); forecaster.predict(12)
    """
    config = config or ForecastConfig()
    logy = np.log1p(panel.y)
    calibration, hurdles = calibrate(panel, logy, config)
    booster = fit_booster(*training_set(panel, logy, logy.shape[1], config), config)
    return Forecaster(panel, booster, calibration, config, hurdles)
