"""Tracking during the period (#13): progress and P(achieve | actuals so far), for every rep at
once (arrays in, arrays out; no per-rep Python loop).

Public API:

- ``elapsed_months(period_start, months, as_of) -> float``: months elapsed, by days.
- ``ProgressInputs`` (targets, actuals, elapsed, forecast_mean) -> ``compute_progress`` ->
  ``Progress`` (actual, target, expected, pace, attainment, projected, projected_attainment);
  ``elapsed_shares``, ``pace_history`` and ``monthly_pace_history`` for the rules' input.
- ``ForecastArrays.stack(dists, months)``: reps' ``ForecastDistribution`` as arrays (and
  ``monthly_means()``, the forecast mean of each month, for the projection).
- ``conditional_probability(forecast, *, target, actual_to_date, elapsed) -> FloatArray``.
"""

from solver.tracking.conditional import conditional_probability
from solver.tracking.moments import ForecastArrays, quantile_moments, zero_mass
from solver.tracking.progress import (
    Progress,
    ProgressInputs,
    compute_progress,
    elapsed_months,
    elapsed_shares,
    monthly_pace_history,
    pace_history,
)

__all__ = [
    "ForecastArrays",
    "Progress",
    "ProgressInputs",
    "compute_progress",
    "conditional_probability",
    "elapsed_months",
    "elapsed_shares",
    "monthly_pace_history",
    "pace_history",
    "quantile_moments",
    "zero_mass",
]
