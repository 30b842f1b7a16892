"""The planning computation as a pure library: typed plan inputs in, targets out.

``plan_targets`` generates, ``what_if`` varies a plan, ``rebalance`` absorbs a locked change
within a node. ``ForecastDistribution`` owns forecasts and P(achieve); ``months`` owns
calendar-month arithmetic.
"""

from solver.planning.basis import RepBasis
from solver.planning.context import RelaxationContext
from solver.planning.distribution import ForecastDistribution, ratio_probability
from solver.planning.inputs import (
    MONOTONICITY,
    STRATEGIES,
    MetricInputs,
    PlanInputs,
    PlanSettings,
    RankSettings,
    RepInput,
)
from solver.planning.plan import plan_targets, rebalance, what_if
from solver.planning.solution import MetricSolution, PlanSolution

__all__ = [
    "MONOTONICITY",
    "STRATEGIES",
    "ForecastDistribution",
    "MetricInputs",
    "MetricSolution",
    "PlanInputs",
    "PlanSettings",
    "PlanSolution",
    "RankSettings",
    "RelaxationContext",
    "RepBasis",
    "RepInput",
    "plan_targets",
    "ratio_probability",
    "rebalance",
    "what_if",
]
