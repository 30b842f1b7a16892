"""Rolling-origin backtests of the solver: forecasts, calibration and simulated target periods.

``run_backtest(History.from_company(company))`` replays a synthetic company; any history given
as the same frames (``monthly_actuals``, ``reps``, ``ranks``, optionally ``deals``) works too.
"""

from solver.evaluate.history import History, panel_until, read_history
from solver.evaluate.run import BacktestConfig, BacktestReport, run_backtest

__all__ = [
    "BacktestConfig",
    "BacktestReport",
    "History",
    "panel_until",
    "read_history",
    "run_backtest",
]
