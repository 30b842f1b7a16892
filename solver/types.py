"""Frozen inputs and outputs shared by the solver modules.

Arrays are numpy, tables are pandas DataFrames in long format (``rep_id / month / ...``).
Dataclasses holding arrays use ``eq=False``: equality of arrays is elementwise, not a bool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

ConstraintFamily = Literal[
    "goal", "bounds", "floor", "ceiling", "band", "cap", "lock", "monotonicity", "input"
]
Monotonicity = Literal["none", "team", "overall"]
# Soft constraint families, highest priority first: a lower family gives before a higher one.
SoftFamily = Literal["rank", "band", "cap", "phasing", "monotonicity"]
SOFT_PRIORITY: tuple[SoftFamily, ...] = ("rank", "band", "cap", "phasing", "monotonicity")
Side = Literal["lower", "upper"]


@dataclass(frozen=True, eq=False)
class QuantileTable:
    """Predictive quantiles per rep: ``values[i, j] = Q_i(levels[j])``.

    >>> t = QuantileTable(np.array([1]), np.array([0.1, 0.9]), np.array([[80.0, 120.0]]))
    >>> t.n
    1
    """

    rep_ids: IntArray
    levels: FloatArray
    values: FloatArray

    def __post_init__(self) -> None:
        if self.values.ndim != 2 or self.values.shape != (len(self.rep_ids), len(self.levels)):
            raise ValueError("values must have shape (len(rep_ids), len(levels))")
        if len(self.levels) < 2 or np.any(np.diff(self.levels) <= 0):
            raise ValueError("levels must be at least two, strictly increasing")
        if self.levels[0] <= 0.0 or self.levels[-1] >= 1.0:
            raise ValueError("levels must lie strictly inside (0, 1)")
        if np.any(np.diff(self.values, axis=1) < 0):
            raise ValueError("quantile values must be non-decreasing in the level")

    @property
    def n(self) -> int:
        return len(self.rep_ids)

    def take(self, index: IntArray) -> QuantileTable:
        """The sub-table of the rows at ``index`` (positions, not rep ids)."""
        return QuantileTable(self.rep_ids[index], self.levels, self.values[index])


@dataclass(frozen=True, eq=False)
class RepBounds:
    """Lower and upper bounds per rep (same order as the rep ids); ``inf`` means none."""

    rep_ids: IntArray
    lo: FloatArray
    hi: FloatArray

    @staticmethod
    def unbounded(rep_ids: IntArray) -> RepBounds:
        n = len(rep_ids)
        return RepBounds(rep_ids, np.zeros(n), np.full(n, np.inf))


@dataclass(frozen=True)
class Conflict:
    """One violated necessary condition, with the amount by which it is violated."""

    family: ConstraintFamily
    node: str
    metric: str
    amount: float
    message: str


@dataclass(frozen=True)
class Relaxation:
    """One soft constraint that had to give so that the hard ones hold, and by how much.

    - ``scope="rep"``: rep ``rep_id``'s own ``family`` bound (its ``side``) conflicts with a
      stronger bound of the same rep, named by ``because`` (a higher family, or ``"lock"``);
      ``limit`` is the bound as set, ``required`` the nearest value the stronger bound allows.
    - ``scope="node"``: goal node ``org_id`` needs its free reps to add up to ``required``
      while their ``family`` bounds add up to ``limit`` (``because="goal"``); the bounds of
      ``reps`` reps moved, each by the same fraction of its bound where possible.
    - ``scope="metric"``: a model-wide family (phasing, monotonicity) gave by ``amount``.

    ``amount = |required - limit| > 0``, in the metric's unit.
    """

    family: SoftFamily
    side: Side | None
    scope: Literal["rep", "node", "metric"]
    metric: str
    rep_id: int | None
    org_id: int | None
    limit: float
    required: float
    amount: float
    because: str
    reps: int = 1

    @property
    def share(self) -> float:
        """The amount relative to the bound as set (``inf`` for a zero bound)."""
        return self.amount / abs(self.limit) if self.limit else float("inf")


@dataclass(frozen=True)
class InfeasibilityReport:
    """Why a problem has no solution: the conflicting constraints and by how much."""

    conflicts: tuple[Conflict, ...]

    def __bool__(self) -> bool:  # an empty report means "nothing found"
        return bool(self.conflicts)

    def summary(self) -> str:
        return "; ".join(c.message for c in self.conflicts)


@dataclass(frozen=True, eq=False)
class Allocation:
    """Per-rep values from a strategy; ``probability`` is the common achievement level if any."""

    rep_ids: IntArray
    values: FloatArray
    strategy: str
    probability: float | None = None
    rep_probability: FloatArray | None = None

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"rep_id": self.rep_ids, "value": self.values})
        if self.rep_probability is not None:
            frame["probability"] = self.rep_probability
        return frame


@dataclass(frozen=True, eq=False)
class DecompositionProblem:
    """Targets per rep x metric (x month) to decompose a goal over an org tree.

    - ``reps``: rep_id, org_id (the rep's team), rank_level.
    - ``org``: org_id, parent_id (missing for the root).
    - ``cells``: one row per rep x additive metric: rep_id, metric_code, ideal, weight, and bound
      columns ``floor``, ``ceiling``, ``band_lo``, ``band_hi``, ``cap`` (NaN = none), ``lock``
      (NaN = not locked). Bounds apply to the rep's total over the period.
    - ``goals``: org_id, metric_code, month (NaT for the period total), goal.
    - ``phasing``: rep_id, month, share (each rep's shares sum to 1); ``None`` = uniform.
    - ``phasing_tolerance``: a month may move by up to this fraction of ``share x floor``.
    """

    reps: pd.DataFrame
    org: pd.DataFrame
    cells: pd.DataFrame
    goals: pd.DataFrame
    months: tuple[pd.Timestamp, ...]
    phasing: pd.DataFrame | None = None
    phasing_tolerance: float = 0.0
    integer_metrics: frozenset[str] = field(default_factory=frozenset)
    monotonicity: Monotonicity = "none"
    time_limit_s: float = 120.0
    tolerance: float = 1e-6
    # Strict: refuse when any soft constraint conflicts (the old behaviour); otherwise soft
    # families give in ``SOFT_PRIORITY`` order, only as far as the hard constraints need.
    strict: bool = False


@dataclass(frozen=True, eq=False)
class DecompositionResult:
    """Solved targets.

    - ``totals``: rep_id, metric_code, value, ideal, lo, hi, binding (name of the bound family
      the value sits on, or "").
    - ``monthly``: rep_id, metric_code, month, value.
    """

    totals: pd.DataFrame
    monthly: pd.DataFrame
    objective: float
    status: str
    seconds: float
    relaxations: tuple[Relaxation, ...] = ()
