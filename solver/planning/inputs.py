"""Typed inputs of the planning core: settings, reps, rank settings, metrics, the plan.

``PlanSettings`` is stored as JSON in a plan's constraints (``to_json`` / ``from_plan``); old
rows without a newer field read as its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

import numpy as np

from solver.planning.distribution import ForecastDistribution
from solver.types import FloatArray, IntArray

STRATEGIES = ("equal_difficulty", "equal", "by_ability", "by_potential")
MONOTONICITY = ("none", "team", "overall")


@dataclass(frozen=True)
class PlanSettings:
    """Strategy and constraint settings of a plan.

    ``strict`` refuses generation when any soft constraint conflicts; otherwise soft
    constraints give, in priority order, only as far as the hard ones need.
    """

    strategy: str = "equal_difficulty"
    p_min: float = 0.05
    p_max: float = 0.98
    max_rise: float | None = 0.6
    phasing_tolerance: float = 0.0
    monotonicity: str = "none"
    rank_bounds: bool = True
    rank_step: float = 0.0
    strict: bool = False

    def to_json(self) -> dict[str, object]:
        """The constraints JSON (the strategy is stored in its own column)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "strategy"}

    @staticmethod
    def from_plan(strategy: str, constraints: Mapping[str, object]) -> PlanSettings:
        names = {f.name for f in fields(PlanSettings)} - {"strategy"}
        known: dict[str, Any] = {k: v for k, v in constraints.items() if k in names}
        return PlanSettings(strategy=strategy, **known)

    def changed(
        self, *, strategy: str | None = None, constraints: PlanSettings | None = None
    ) -> PlanSettings:
        """These settings with the given constraints and/or strategy; what is not given stays.

        >>> PlanSettings(p_min=0.2).changed(strategy="equal").p_min
        0.2
        """
        base = self if constraints is None else replace(constraints, strategy=self.strategy)
        return base if strategy is None else replace(base, strategy=strategy)


@dataclass(frozen=True)
class RankSettings:
    """A rank's settings in effect: per metric baseline (monthly), floor and ceiling
    multipliers of the baseline, weight; the ramp profile (share of the full target by tenure
    month, from the hire month on)."""

    level: int
    baseline: Mapping[str, float] = field(default_factory=dict)
    floor: Mapping[str, float] = field(default_factory=dict)
    ceiling: Mapping[str, float] = field(default_factory=dict)
    weight: Mapping[str, float] = field(default_factory=dict)
    ramp: tuple[float, ...] = ()
    promotion_threshold: float = 1.1
    demotion_threshold: float = 0.7
    min_tenure_months: int = 12


@dataclass(frozen=True)
class RepInput:
    """A rep of the plan's scope; ``leave_date`` None = stays."""

    rep_id: int
    team_id: int
    rank_code: str
    rank_level: int
    hire_date: date
    leave_date: date | None = None
    coefficient: float = 1.0
    name: str = ""


@dataclass(frozen=True, eq=False)
class MetricInputs:
    """One additive metric: a distribution per rep (same order as ``PlanInputs.reps``), each
    rep's actual over the same months a year earlier (NaN = none), potential score (0-100),
    goals per org node (period totals) and locked period totals per rep."""

    code: str
    integer: bool
    distributions: tuple[ForecastDistribution, ...]
    last_actual: FloatArray
    potential: FloatArray
    goals: Mapping[int, float] = field(default_factory=dict)
    locks: Mapping[int, float] = field(default_factory=dict)

    def with_changes(
        self, *, goals: Mapping[int, float] | None = None, locks: Mapping[int, float] | None = None
    ) -> MetricInputs:
        """The same metric with goals and/or locks added or replaced (per node / rep)."""
        return replace(
            self,
            goals={**self.goals, **(goals or {})},
            locks={**self.locks, **(locks or {})},
        )


@dataclass(frozen=True, eq=False)
class PlanInputs:
    """Everything a plan's computation needs; ``org`` is (org_id, parent_id) with the scope's
    root having no parent (None); ``months`` are first days, in order; every metric has a
    distribution per rep."""

    reps: tuple[RepInput, ...]
    org: tuple[tuple[int, int | None], ...]
    months: tuple[date, ...]
    ranks: Mapping[str, RankSettings]
    metrics: tuple[MetricInputs, ...]
    settings: PlanSettings = field(default_factory=PlanSettings)
    names: Mapping[int, str] = field(default_factory=dict)  # org node names

    @property
    def rep_ids(self) -> IntArray:
        return np.asarray([r.rep_id for r in self.reps], dtype=np.int64)

    @property
    def root(self) -> int:
        return next(o for o, parent in self.org if parent is None)

    def metric(self, code: str) -> MetricInputs:
        return next(m for m in self.metrics if m.code == code)
