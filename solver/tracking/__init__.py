"""Tracking during the period (#13): progress, P(achieve | actuals so far) and alert rules, for
every rep at once (arrays in, arrays out; no per-rep Python loop).

Public API:

- ``elapsed_months(period_start, months, as_of) -> float``: months elapsed, by days.
- ``ProgressInputs`` (targets, actuals, elapsed, forecast_mean) -> ``compute_progress`` ->
  ``Progress`` (actual, target, expected, pace, attainment, projected, projected_attainment);
  ``elapsed_shares``, ``pace_history`` and ``monthly_pace_history`` for the rules' input.
- ``ForecastArrays.stack(dists, months)``: reps' ``ForecastDistribution`` as arrays (and
  ``monthly_means()``, the forecast mean of each month, for the projection).
- ``conditional_probability(forecast, *, target, actual_to_date, elapsed) -> FloatArray``.
- Rules: ``BehindPace``, ``PeerGap``, ``LowProbability``, ``LowProjection``, ``Inactivity``
  (``Rule``, registry ``RULES`` by kind, ``DEFAULT_RULES``), ``RuleState`` ->
  ``evaluate_rule(rule, state)`` -> ``RuleResult``; one function per kind (``behind_pace``,
  ``peer_gap``, ``low_probability``, ``low_projection``, ``inactivity``).
"""

from solver.tracking.conditional import conditional_probability, target_at_probability
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
from solver.tracking.rules import (
    DEFAULT_RULES,
    RULES,
    BehindPace,
    Inactivity,
    LowProbability,
    LowProjection,
    PeerGap,
    Rule,
    RuleKind,
    RuleResult,
    RuleState,
    behind_pace,
    evaluate_rule,
    inactivity,
    low_probability,
    low_projection,
    peer_gap,
)

__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "BehindPace",
    "ForecastArrays",
    "Inactivity",
    "LowProbability",
    "LowProjection",
    "PeerGap",
    "Progress",
    "ProgressInputs",
    "Rule",
    "RuleKind",
    "RuleResult",
    "RuleState",
    "behind_pace",
    "compute_progress",
    "conditional_probability",
    "elapsed_months",
    "elapsed_shares",
    "evaluate_rule",
    "inactivity",
    "low_probability",
    "low_projection",
    "monthly_pace_history",
    "pace_history",
    "peer_gap",
    "quantile_moments",
    "target_at_probability",
    "zero_mass",
]
