"""Forecasts: a global LightGBM model over the rep panel with calibrated quantiles.

Built on LightGBM and numpy rather than mlforecast / coreforecast / statsforecast: all three
pin pandas < 3 (the project is on pandas 3, which the service and the importers use), and what
they would add here is small. The panel is dense (reps x months), so lags and rolling windows
are column slices (``features``); the conformal intervals need per-group quantiles that
mlforecast's ``PredictionIntervals`` do not offer (``calibration``); the classical baselines
are a few lines each (``solver.backtest``).
"""

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
