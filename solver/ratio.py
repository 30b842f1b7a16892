"""Targets for ratio metrics (collection rate, satisfaction) and the team's weighted average.

A ratio cannot be split like revenue: a team's collection rate is the invoice-weighted average
of its reps' rates. So each rep's target is set from the rank baseline times coefficients
(region, product line, market), clipped to the metric's valid range and the rep's bounds; then
the team average, weighted by the additive base (invoiced amount, number of surveys), is
checked against the team target. If it falls short, every rep is lifted by the same amount
(rate points, or a relative factor), the least lift that meets the target, each rep capped at
its bound; if even the capped lift falls short, the shortfall is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from solver.strategies import solve_monotone
from solver.types import Conflict, FloatArray, IntArray

LiftMode = Literal["points", "relative"]

#: Valid range of each ratio metric (a rate, a 1-5 score).
VALID_RANGE: dict[str, tuple[float, float]] = {
    "collection_rate": (0.0, 1.0),
    "conversion_rate": (0.0, 1.0),
    "satisfaction": (1.0, 5.0),
}


@dataclass(frozen=True, eq=False)
class RatioTargets:
    """Per-rep ratio targets and the team check.

    ``base`` is baseline x coefficients clipped to the bounds (before any lift); ``values`` the
    targets; ``lift`` the uniform lift applied (points or relative); ``shortfall`` how far the
    weighted average stays below the team target (0 when met); ``conflict`` says why if not.
    """

    rep_ids: IntArray
    values: FloatArray
    base: FloatArray
    lo: FloatArray
    hi: FloatArray
    weighted_average: float
    team_target: float | None
    lift: float
    shortfall: float
    conflict: Conflict | None = None

    @property
    def met(self) -> bool:
        return self.shortfall <= 0.0

    def to_frame(self) -> pd.DataFrame:
        at_hi = np.isclose(self.values, self.hi)
        binding = np.where(
            at_hi, "ceiling", np.where(np.isclose(self.values, self.lo), "floor", "")
        )
        return pd.DataFrame(
            {"rep_id": self.rep_ids, "value": self.values, "base": self.base, "binding": binding}
        )


def weighted_average(values: FloatArray, weight: FloatArray) -> float:
    """``sum w v / sum w``; the team's ratio when ``w`` is the additive base.

    >>> weighted_average(np.array([0.9, 0.6]), np.array([300.0, 100.0]))
    0.825
    """
    total = float(np.sum(weight))
    if total <= 0.0:
        raise ValueError("the weights (additive base) must have a positive sum")
    return float(np.dot(values, weight) / total)


def coefficient_product(
    reps: pd.DataFrame, coefficients: Mapping[str, Mapping[str, float]]
) -> FloatArray:
    """Product of each rep's coefficients: ``{column of reps: {value: coefficient}}``.

    Values missing from a mapping count as 1 (neutral).

    >>> reps = pd.DataFrame({"region_code": ["EC", "NW"], "market": ["city", "rural"]})
    >>> coefficient_product(reps, {"region_code": {"EC": 1.02}, "market": {"rural": 0.95}})
    array([1.02, 0.95])
    """
    out = np.ones(len(reps))
    for column, mapping in coefficients.items():
        out *= reps[column].map(dict(mapping)).fillna(1.0).to_numpy(np.float64)
    return out


def rank_baseline(reps: pd.DataFrame, ranks: pd.DataFrame, metric: str) -> FloatArray:
    """Each rep's rank baseline of ``metric`` (column ``baseline_<metric>`` of ``ranks``)."""
    table = ranks.set_index("rank_code")[f"baseline_{metric}"]
    out: FloatArray = reps["rank_code"].map(table).to_numpy(np.float64)
    if np.isnan(out).any():
        raise ValueError(f"a rep's rank has no baseline_{metric}")
    return out


def _lifted(
    base: FloatArray, lift: float, mode: LiftMode, lo: FloatArray, hi: FloatArray
) -> FloatArray:
    raw = base + lift if mode == "points" else base * (1.0 + lift)
    out: FloatArray = np.clip(raw, lo, hi)
    return out


def _max_lift(base: FloatArray, hi: FloatArray, mode: LiftMode) -> float:
    """The lift at which every rep that can move sits on its ceiling."""
    if mode == "points":
        return float(np.max(hi - base, initial=0.0))
    movable = base > 0
    return float(np.max(hi[movable] / base[movable] - 1.0, initial=0.0))


def ratio_targets(
    rep_ids: IntArray,
    baseline: FloatArray,
    coefficient: FloatArray,
    weight: FloatArray,
    *,
    metric: str,
    team_target: float | None = None,
    lo: FloatArray | None = None,
    hi: FloatArray | None = None,
    mode: LiftMode = "points",
    node: str = "team",
) -> RatioTargets:
    """Targets ``clip(baseline x coefficient + lift, lo, hi)`` with the least uniform ``lift``
    that brings the ``weight``-ed average to ``team_target`` (no lift if already met).

    Bounds default to the metric's valid range and are always intersected with it.

    >>> r = ratio_targets(np.array([1, 2]), np.array([0.8, 0.7]), np.ones(2),
    ...                   np.array([100.0, 100.0]), metric="collection_rate", team_target=0.8)
    >>> round(r.lift, 6), r.values.round(6).tolist(), r.met
    (0.05, [0.85, 0.75], True)
    """
    valid_lo, valid_hi = VALID_RANGE.get(metric, (-np.inf, np.inf))
    n = len(rep_ids)
    lo_ = np.maximum(np.full(n, valid_lo) if lo is None else np.asarray(lo, np.float64), valid_lo)
    hi_ = np.minimum(np.full(n, valid_hi) if hi is None else np.asarray(hi, np.float64), valid_hi)
    if np.any(lo_ > hi_):
        raise ValueError("a rep's lower bound exceeds its upper bound")
    base = np.clip(np.asarray(baseline, np.float64) * coefficient, lo_, hi_)
    average = weighted_average(base, weight)
    if team_target is None or average >= team_target:
        return RatioTargets(rep_ids, base, base, lo_, hi_, average, team_target, 0.0, 0.0)
    return _lift_to_target(rep_ids, base, weight, lo_, hi_, team_target, mode, metric, node)


def _lift_to_target(
    rep_ids: IntArray,
    base: FloatArray,
    weight: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    team_target: float,
    mode: LiftMode,
    metric: str,
    node: str,
) -> RatioTargets:
    """The least uniform lift meeting the target; the weighted average is monotone in it."""
    share = np.asarray(weight, np.float64) / float(np.sum(weight))
    top = _max_lift(base, hi, mode)
    best = weighted_average(_lifted(base, top, mode, lo, hi), weight)
    if best < team_target:
        values = _lifted(base, top, mode, lo, hi)
        gap = team_target - best
        message = (
            f"{node}: the {metric} target {team_target:.6g} exceeds the best weighted average "
            f"within the reps' ceilings ({best:.6g}) by {gap:.6g}"
        )
        conflict = Conflict("ceiling", node, metric, gap, message)
        return RatioTargets(rep_ids, values, base, lo, hi, best, team_target, top, gap, conflict)

    def evaluate(lift: float) -> FloatArray:
        out: FloatArray = share * _lifted(base, lift, mode, lo, hi)
        return out

    lift, _ = solve_monotone(evaluate, team_target, 0.0, top)
    values = _lifted(base, lift, mode, lo, hi)
    average = weighted_average(values, weight)
    return RatioTargets(rep_ids, values, base, lo, hi, average, team_target, lift, 0.0)
