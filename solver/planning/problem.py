"""Strategy ideals and the decomposition problem of a plan (one scope tree, all metrics)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from solver.planning.arrays import MetricArrays
from solver.planning.inputs import PlanInputs, PlanSettings
from solver.probability import band_bounds
from solver.strategies import by_ability, by_potential, equal, equal_difficulty, rank_offsets
from solver.types import (
    Allocation,
    DecompositionProblem,
    FloatArray,
    InfeasibilityReport,
    IntArray,
    RepBounds,
)

BOUND_COLUMNS = ("floor", "ceiling", "band_lo", "band_hi", "cap", "lock")


def cell_bounds(arrays: MetricArrays, rep_ids: IntArray, s: PlanSettings) -> pd.DataFrame:
    """floor, ceiling, band_lo, band_hi, cap, lock of each rep's period total (NaN = none)."""
    band_lo, band_hi = band_bounds(arrays.table(rep_ids), s.p_min, s.p_max)
    # The cap is over the larger of last year's same months and the trailing year pro rata
    # (``solver.strategies.rise_anchor``): one weak quarter does not anchor it.
    last = arrays.anchor
    rise = 1.0 + (s.max_rise or 0.0)
    cap = np.where((last > 0) & (s.max_rise is not None), last * rise, np.nan)
    none = np.full(len(rep_ids), np.nan)
    # The rank floor is a rank bound; the history floor (a rep with sales in the trailing
    # year never gets a zero target) holds whatever the rank settings.
    by_rank = np.asarray([src == "rank" for src in arrays.floor_source], dtype=bool)
    if not len(by_rank):
        by_rank = np.ones(len(rep_ids), dtype=bool)
    floor = np.where(by_rank & (not s.rank_bounds), np.nan, arrays.floor)
    ceiling = arrays.ceiling if s.rank_bounds else none
    # The cap protects strong performers from runaway rises; it never undercuts the rank floor.
    cap = np.where(np.isfinite(floor), np.fmax(cap, floor), cap)
    if arrays.metric.integer:  # integer bounds round outward so that a whole count always fits
        floor, band_lo = np.floor(floor + 1e-9), np.floor(band_lo + 1e-9)
        ceiling, band_hi, cap = (np.ceil(x - 1e-9) for x in (ceiling, band_hi, cap))
    locks = arrays.metric.locks
    lock = np.array([locks.get(int(r), np.nan) for r in rep_ids], dtype=np.float64)
    columns = (floor, ceiling, band_lo, band_hi, cap, lock)
    return pd.DataFrame(dict(zip(BOUND_COLUMNS, columns, strict=True)))


def strategy_bounds(cells: pd.DataFrame, rep_ids: IntArray) -> RepBounds:
    """The tightest of a rep's bounds (a lock fixes both ends)."""
    lo = cells[["floor", "band_lo"]].max(axis=1).fillna(0.0).clip(lower=0.0).to_numpy()
    hi = cells[["ceiling", "band_hi", "cap"]].min(axis=1).fillna(np.inf).to_numpy()
    locked = cells["lock"].notna().to_numpy()
    lo = np.where(locked, cells["lock"].to_numpy(), lo)
    hi = np.where(locked, cells["lock"].to_numpy(), hi)
    return RepBounds(rep_ids, lo.astype(np.float64), hi.astype(np.float64))


def _allocate(
    arrays: MetricArrays, inputs: PlanInputs, goal: float, bounds: RepBounds | None
) -> Allocation | InfeasibilityReport:
    rep_ids, s = inputs.rep_ids, inputs.settings
    if s.strategy == "equal":
        return equal(rep_ids, goal, bounds)
    if s.strategy == "by_ability":
        return by_ability(rep_ids, arrays.mean, goal, bounds)
    if s.strategy == "by_potential":
        return by_potential(rep_ids, arrays.mean * arrays.metric.potential / 50.0, goal, bounds)
    offsets = None
    if s.rank_step > 0:
        levels = np.asarray([r.rank_level for r in inputs.reps], dtype=np.int64)
        offsets = rank_offsets(levels, step=s.rank_step)
    return equal_difficulty(arrays.table(rep_ids), goal, bounds, offsets=offsets)


def ideal_values(
    arrays: MetricArrays, inputs: PlanInputs, cells: pd.DataFrame, goal: float
) -> tuple[FloatArray, float | None]:
    """Each rep's ideal total under the strategy; bounded when possible, else unbounded."""
    bounds = strategy_bounds(cells, inputs.rep_ids)
    for attempt in (bounds, None):
        allocation = _allocate(arrays, inputs, goal, attempt)
        if isinstance(allocation, Allocation):
            return allocation.values, allocation.probability
    weights = np.maximum(arrays.mean, 0.0)
    weights = weights if weights.sum() > 0 else np.ones(len(inputs.reps))
    return goal * weights / weights.sum(), None


def root_goal(arrays: MetricArrays, inputs: PlanInputs) -> float:
    return float(arrays.metric.goals.get(inputs.root, float(np.nansum(arrays.mean))))


def decomposition_problem(
    inputs: PlanInputs,
    arrays: Sequence[MetricArrays],
    cells: Sequence[pd.DataFrame],
    *,
    time_limit_s: float = 20.0,
) -> DecompositionProblem:
    """The decomposition over the scope's tree; ``cells`` carry bounds and ``ideal``."""
    rep_ids, months = inputs.rep_ids, [pd.Timestamp(m) for m in inputs.months]
    goals = [
        {"org_id": org_id, "metric_code": a.code, "month": pd.NaT, "goal": value}
        for a in arrays
        for org_id, value in a.metric.goals.items()
    ]
    share = arrays[0].share
    phasing = pd.DataFrame(
        {
            "rep_id": np.repeat(rep_ids, len(months)),
            "month": np.tile(np.asarray(months, dtype="datetime64[ns]"), len(rep_ids)),
            "share": share.ravel(),
        }
    )
    org = pd.DataFrame(
        {
            "org_id": [o for o, _ in inputs.org],
            "parent_id": [np.nan if p is None else p for _, p in inputs.org],
        }
    )
    return DecompositionProblem(
        reps=pd.DataFrame(
            {
                "rep_id": rep_ids,
                "org_id": [r.team_id for r in inputs.reps],
                "rank_level": [r.rank_level for r in inputs.reps],
            }
        ),
        org=org,
        cells=pd.concat(
            [
                c.assign(rep_id=rep_ids, metric_code=a.code)
                for a, c in zip(arrays, cells, strict=True)
            ],
            ignore_index=True,
        ),
        goals=pd.DataFrame(goals, columns=["org_id", "metric_code", "month", "goal"]),
        months=tuple(months),
        phasing=phasing,
        phasing_tolerance=inputs.settings.phasing_tolerance,
        integer_metrics=frozenset(a.code for a in arrays if a.metric.integer),
        monotonicity=inputs.settings.monotonicity,  # type: ignore[arg-type]
        time_limit_s=time_limit_s,
        strict=inputs.settings.strict,
    )
