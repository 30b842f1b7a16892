"""Forecasts: a global LightGBM model over the rep panel with calibrated quantiles."""

from solver.forecast.forecaster import Forecaster, fit_forecaster, level_column, month_table
from solver.forecast.model import ForecastConfig
from solver.forecast.panel import Panel, build_panel

__all__ = [
    "ForecastConfig",
    "Forecaster",
    "Panel",
    "build_panel",
    "fit_forecaster",
    "level_column",
    "month_table",
]
