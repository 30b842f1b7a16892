"""The pure part of generation: strategy ideals, the decomposition problem and its result.

Everything here works on arrays already loaded (forecast quantiles, rank bounds, history), so
generation, what-if and override share it, and only generation has to forecast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from solver.decompose import decompose
from solver.explain import explain_targets, flag_extremes
from solver.probability import band_bounds, prob_at_least
from solver.strategies import by_ability, by_potential, equal, equal_difficulty, rank_offsets
from solver.types import (
    Allocation,
    DecompositionProblem,
    DecompositionResult,
    FloatArray,
    InfeasibilityReport,
    IntArray,
    QuantileTable,
    RepBounds,
)

STRATEGIES = ("equal_difficulty", "equal", "by_ability", "by_potential")
MONOTONICITY = ("none", "team", "overall")


@dataclass(frozen=True)
class PlanSettings:
    """Strategy and constraint settings of a plan (stored as JSON on the plan)."""

    strategy: str = "equal_difficulty"
    p_min: float = 0.05
    p_max: float = 0.98
    max_rise: float | None = 0.6
    phasing_tolerance: float = 0.0
    monotonicity: str = "none"
    rank_bounds: bool = True
    rank_step: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "strategy"}

    @staticmethod
    def from_plan(strategy: str, constraints: dict[str, object]) -> PlanSettings:
        known = {k: v for k, v in constraints.items() if k in PlanSettings.__dataclass_fields__}
        return PlanSettings(strategy=strategy, **known)  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class MetricSetup:
    """One additive metric over the plan's reps (same order as ``Inputs.reps``)."""

    code: str
    integer: bool
    goals: dict[int, float]  # org id -> period goal
    levels: FloatArray
    period: FloatArray  # (n, levels) quantiles of the total
    monthly: FloatArray  # (n, months, levels)
    mean: FloatArray  # forecast mean of the total
    floor: FloatArray  # rank floor of the total (NaN = none)
    ceiling: FloatArray
    baseline: FloatArray  # rank baseline of the total
    last_actual: FloatArray  # same months a year earlier (NaN = not employed then)
    share: FloatArray  # (n, months) phasing shares
    potential: FloatArray  # potential score, 0-100
    locks: dict[int, float] = field(default_factory=dict)  # rep id -> locked total

    def table(self, rep_ids: IntArray) -> QuantileTable:
        return QuantileTable(rep_ids, self.levels, self.period)


@dataclass(frozen=True, eq=False)
class Inputs:
    """reps: rep_id, team_id, rank_code, rank_level, coefficient; org: org_id, parent_id."""

    reps: pd.DataFrame
    org: pd.DataFrame
    months: tuple[pd.Timestamp, ...]
    metrics: tuple[MetricSetup, ...]
    settings: PlanSettings

    @property
    def rep_ids(self) -> IntArray:
        return self.reps["rep_id"].to_numpy(np.int64)


@dataclass(frozen=True, eq=False)
class MetricSolution:
    code: str
    total: FloatArray
    ideal: FloatArray
    monthly: FloatArray  # (n, months)
    period_p: FloatArray
    monthly_p: FloatArray  # (n, months)
    binding: list[str]
    flags: list[list[str]]
    explanation: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Solution:
    metrics: dict[str, MetricSolution]
    problem: DecompositionProblem
    result: DecompositionResult
    probability: dict[str, float | None]  # common level of equal-difficulty per metric


def cell_bounds(setup: MetricSetup, rep_ids: IntArray, s: PlanSettings) -> pd.DataFrame:
    """floor, ceiling, band_lo, band_hi, cap, lock per rep for one metric (NaN = none)."""
    band_lo, band_hi = band_bounds(setup.table(rep_ids), s.p_min, s.p_max)
    cap = np.where(
        (setup.last_actual > 0) & (s.max_rise is not None),
        setup.last_actual * (1.0 + (s.max_rise or 0.0)),
        np.nan,
    )
    floor = setup.floor if s.rank_bounds else np.full(len(rep_ids), np.nan)
    ceiling = setup.ceiling if s.rank_bounds else np.full(len(rep_ids), np.nan)
    # The cap protects strong performers from runaway rises; it never undercuts the rank floor.
    cap = np.where(np.isfinite(floor), np.fmax(cap, floor), cap)
    if setup.integer:  # integer bounds round outward so that a whole count always fits
        floor, band_lo = np.floor(floor + 1e-9), np.floor(band_lo + 1e-9)
        ceiling, band_hi, cap = (
            np.ceil(ceiling - 1e-9),
            np.ceil(band_hi - 1e-9),
            np.ceil(cap - 1e-9),
        )
    lock = np.array([setup.locks.get(int(r), np.nan) for r in rep_ids], dtype=np.float64)
    return pd.DataFrame(
        {
            "floor": floor,
            "ceiling": ceiling,
            "band_lo": band_lo,
            "band_hi": band_hi,
            "cap": cap,
            "lock": lock,
        }
    )


def _strategy_bounds(cells: pd.DataFrame, rep_ids: IntArray) -> RepBounds:
    lo = cells[["floor", "band_lo"]].max(axis=1).fillna(0.0).clip(lower=0.0).to_numpy()
    hi = cells[["ceiling", "band_hi", "cap"]].min(axis=1).fillna(np.inf).to_numpy()
    locked = cells["lock"].notna().to_numpy()
    lo = np.where(locked, cells["lock"].to_numpy(), lo)
    hi = np.where(locked, cells["lock"].to_numpy(), hi)
    return RepBounds(rep_ids, lo.astype(np.float64), hi.astype(np.float64))


def ideal_values(
    setup: MetricSetup, inputs: Inputs, cells: pd.DataFrame, goal: float
) -> tuple[FloatArray, float | None]:
    """Each rep's ideal total under the strategy; bounded when possible, else unbounded."""
    rep_ids, s = inputs.rep_ids, inputs.settings
    bounds = _strategy_bounds(cells, rep_ids)
    for attempt in (bounds, None):
        allocation = _allocate(setup, inputs, rep_ids, goal, attempt, s)
        if isinstance(allocation, Allocation):
            return allocation.values, allocation.probability
    weights = np.maximum(setup.mean, 0.0)
    weights = weights if weights.sum() > 0 else np.ones(len(rep_ids))
    return goal * weights / weights.sum(), None


def _allocate(
    setup: MetricSetup,
    inputs: Inputs,
    rep_ids: IntArray,
    goal: float,
    bounds: RepBounds | None,
    s: PlanSettings,
) -> Allocation | InfeasibilityReport:
    if s.strategy == "equal":
        return equal(rep_ids, goal, bounds)
    if s.strategy == "by_ability":
        return by_ability(rep_ids, setup.mean, goal, bounds)
    if s.strategy == "by_potential":
        return by_potential(rep_ids, setup.mean * setup.potential / 50.0, goal, bounds)
    offsets = None
    if s.rank_step > 0:
        offsets = rank_offsets(inputs.reps["rank_level"].to_numpy(np.int64), step=s.rank_step)
    return equal_difficulty(setup.table(rep_ids), goal, bounds, offsets=offsets)


def root_goal(setup: MetricSetup, org: pd.DataFrame) -> tuple[int, float]:
    root = int(org.loc[org["parent_id"].isna(), "org_id"].iloc[0])
    return root, float(setup.goals.get(root, float(np.nansum(setup.mean))))


def build_problem(inputs: Inputs) -> tuple[DecompositionProblem, dict[str, float | None]]:
    """The decomposition problem over the scope's tree for every additive metric."""
    rep_ids = inputs.rep_ids
    cells, goals, phasing, common = [], [], [], {}
    for setup in inputs.metrics:
        bounds = cell_bounds(setup, rep_ids, inputs.settings)
        _, goal = root_goal(setup, inputs.org)
        ideal, common[setup.code] = ideal_values(setup, inputs, bounds, goal)
        cells.append(bounds.assign(rep_id=rep_ids, metric_code=setup.code, ideal=ideal, weight=1.0))
        goals += [
            {"org_id": org_id, "metric_code": setup.code, "month": pd.NaT, "goal": value}
            for org_id, value in setup.goals.items()
        ]
    share = inputs.metrics[0].share if inputs.metrics else np.ones((len(rep_ids), 1))
    for m, month in enumerate(inputs.months):
        phasing.append(pd.DataFrame({"rep_id": rep_ids, "month": month, "share": share[:, m]}))
    problem = DecompositionProblem(
        reps=pd.DataFrame(
            {
                "rep_id": rep_ids,
                "org_id": inputs.reps["team_id"].to_numpy(np.int64),
                "rank_level": inputs.reps["rank_level"].to_numpy(np.int64),
            }
        ),
        org=inputs.org[["org_id", "parent_id"]],
        cells=pd.concat(cells, ignore_index=True),
        goals=pd.DataFrame(goals, columns=["org_id", "metric_code", "month", "goal"]),
        months=inputs.months,
        phasing=pd.concat(phasing, ignore_index=True) if phasing else None,
        phasing_tolerance=inputs.settings.phasing_tolerance,
        integer_metrics=frozenset(s.code for s in inputs.metrics if s.integer),
        monotonicity=inputs.settings.monotonicity,  # type: ignore[arg-type]
        time_limit_s=20.0,
    )
    return problem, common


def solve(inputs: Inputs) -> Solution | InfeasibilityReport:
    """Ideals by strategy, then the decomposition; probabilities, flags and explanations."""
    problem, common = build_problem(inputs)
    result = decompose(problem)
    if isinstance(result, InfeasibilityReport):
        return result
    metrics = {
        setup.code: _metric_solution(inputs, setup, problem, result) for setup in inputs.metrics
    }
    return Solution(metrics, problem, result, common)


def _metric_solution(
    inputs: Inputs, setup: MetricSetup, problem: DecompositionProblem, result: DecompositionResult
) -> MetricSolution:
    rep_ids, n, months = inputs.rep_ids, len(inputs.rep_ids), len(inputs.months)
    totals = result.totals[result.totals["metric_code"] == setup.code].set_index("rep_id")
    totals = totals.reindex(rep_ids)
    total = totals["value"].to_numpy(np.float64)
    monthly_frame = result.monthly[result.monthly["metric_code"] == setup.code]
    wide = monthly_frame.pivot_table(index="rep_id", columns="month", values="value")
    monthly = wide.reindex(index=rep_ids, columns=list(inputs.months)).to_numpy(np.float64)
    monthly_p = (
        np.column_stack(
            [
                prob_at_least(
                    QuantileTable(rep_ids, setup.levels, setup.monthly[:, m, :]), monthly[:, m]
                )
                for m in range(months)
            ]
        )
        if months
        else np.zeros((n, 0))
    )
    binding = totals["binding"].fillna("").astype(str).tolist()
    return MetricSolution(
        code=setup.code,
        total=total,
        ideal=totals["ideal"].to_numpy(np.float64),
        monthly=monthly,
        period_p=prob_at_least(setup.table(rep_ids), total),
        monthly_p=monthly_p,
        binding=binding,
        flags=_flags(inputs, setup, total, binding),
        explanation=_explain(inputs, setup, total, totals["ideal"].to_numpy(np.float64), binding),
    )


def _flags(
    inputs: Inputs, setup: MetricSetup, total: FloatArray, binding: list[str]
) -> list[list[str]]:
    frame = pd.DataFrame(
        {
            "rep_id": inputs.rep_ids,
            "value": total,
            "history": setup.last_actual,
            "rank_code": inputs.reps["rank_code"].to_numpy(),
            "baseline": setup.baseline,
        }
    )
    flagged = flag_extremes(frame)
    names = ["vs_history", "vs_peers", "vs_baseline"]
    out = []
    for i, row in enumerate(flagged[names].itertuples(index=False)):
        flags = [name for name, on in zip(names, row, strict=True) if bool(on)]
        if binding[i]:
            flags.append(f"at_{binding[i]}")
        out.append(flags)
    return out


def _explain(
    inputs: Inputs, setup: MetricSetup, total: FloatArray, ideal: FloatArray, binding: list[str]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rep_id": inputs.rep_ids,
            "value": total,
            "baseline": np.nan_to_num(setup.baseline),
            "coefficient": inputs.reps["coefficient"].to_numpy(np.float64),
            "forecast": setup.mean,
            "ideal": ideal,
            "binding": binding,
        }
    )
    return explain_targets(frame)
