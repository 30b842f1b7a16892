"""Alert rules, evaluated for every rep at once: one pure function per kind, one typed rule.

A rule is a frozen dataclass per kind (its parameters typed, checked when built); the kind's
function takes plain arrays and returns a ``RuleResult``: which reps fire and the figures
behind each (the value judged, the threshold it was judged against, and for ``behind_pace``
the number of consecutive periods behind; for ``peer_gap`` the peers' centre, spread and
count). ``evaluate_rule`` applies any rule to a ``RuleState``. NaN never fires: a rep without
a target, a forecast or enough peers is not judged. Parameter names and defaults are those of
the stored rules (``backend/services/alerts/rules.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, assert_never

import numpy as np

from solver.tracking.moments import BoolArray
from solver.types import FloatArray, IntArray

RuleKind = Literal["behind_pace", "peer_gap", "low_probability", "low_projection", "inactivity"]
MAD_TO_SD = 1.4826  # a normal sample's MAD times this estimates its standard deviation
MEAN_AD_TO_SD = 1.2533  # the same for the mean absolute deviation, sqrt(pi / 2)


@dataclass(frozen=True, eq=False)
class RuleResult:
    """Per rep: ``fired``, the ``value`` judged and the ``threshold`` it is judged against;
    ``streak``: consecutive periods behind (``behind_pace``, else 0); ``centre``, ``spread``
    and ``group_size`` of the rep's peers (``peer_gap``, else NaN, NaN and 0)."""

    fired: BoolArray
    value: FloatArray
    threshold: FloatArray
    streak: IntArray
    centre: FloatArray
    spread: FloatArray
    group_size: IntArray


def _result(
    fired: BoolArray,
    value: FloatArray,
    threshold: float | FloatArray,
    *,
    streak: IntArray | None = None,
    peers: tuple[FloatArray, FloatArray, IntArray] | None = None,
) -> RuleResult:
    n = len(fired)
    nan = np.full(n, np.nan)
    centre, spread, size = peers or (nan, nan, np.zeros(n, dtype=np.int64))
    return RuleResult(
        fired=fired,
        value=value,
        threshold=np.broadcast_to(np.asarray(threshold, dtype=np.float64), (n,)).copy(),
        streak=np.zeros(n, dtype=np.int64) if streak is None else streak,
        centre=centre,
        spread=spread,
        group_size=size,
    )


def _below(value: FloatArray, threshold: float | FloatArray) -> BoolArray:
    """``value < threshold``, false for NaN."""
    out: BoolArray = np.nan_to_num(value, nan=np.inf) < threshold
    return out


def behind_pace(pace: FloatArray, *, periods: int, threshold: float) -> RuleResult:
    """Fires when the last ``periods`` paces in a row (columns of ``pace``, reps x periods,
    oldest first) are below ``threshold``.

    ``streak_i = max{k : pace[i, K-k:] < threshold}``; fires when ``streak_i >= periods``.
    A NaN pace (nothing expected yet) ends a streak. ``value`` is the latest pace.

    >>> r = behind_pace(np.array([[0.8, 0.7, 0.85], [0.7, 1.1, 0.8]]), periods=2, threshold=0.9)
    >>> r.fired.tolist(), r.streak.tolist()
    ([True, False], [3, 1])
    """
    behind = _below(pace, threshold)[:, ::-1]  # latest first, then a stop: the first not behind
    stop = np.zeros((pace.shape[0], 1), dtype=np.bool_)
    streak = np.concatenate((behind, stop), axis=1).argmin(axis=1).astype(np.int64)
    latest = pace[:, -1] if pace.shape[1] else np.full(pace.shape[0], np.nan)
    return _result(streak >= periods, latest, threshold, streak=streak)


def _group_medians(groups: IntArray, values: FloatArray, count: int) -> FloatArray:
    """The median of ``values`` in each group (codes ``0..count-1``, none empty)."""
    order = np.lexsort((values, groups))
    size = np.bincount(groups, minlength=count)
    start = np.cumsum(size) - size
    low, high = values[order[start + (size - 1) // 2]], values[order[start + size // 2]]
    median: FloatArray = (low + high) / 2.0
    return median


def peer_gap(attainment: FloatArray, groups: IntArray, *, k: float, min_peers: int) -> RuleResult:
    """Fires when a rep's attainment is more than ``k`` spreads below its peer group's centre
    (``groups``: one code per rep, e.g. rank x region); groups of fewer than ``min_peers``
    judged reps are skipped.

    ``centre_g = median(a)``, ``spread_g = 1.4826 median|a - centre_g|`` (the MAD, scaled to be
    a standard deviation for normal data; where more than half the group are equal it is 0,
    and ``1.2533 mean|a - centre_g|`` is used); fires when ``a_i < centre_g - k spread_g``.
    The median and MAD, not the mean and SD: attainment has outliers (one large deal puts a
    rep at 400%), and in a group of five one outlier moves the mean and inflates the SD so much
    that nobody else can ever fall k SDs below it. A rep's own value barely moves them either,
    so the rep is kept in its group.

    >>> a = np.array([1.0, 0.95, 1.05, 1.1, 0.9, 4.0, 0.4])
    >>> r = peer_gap(a, np.zeros(7, dtype=np.int64), k=2.0, min_peers=5)
    >>> r.fired.tolist(), round(float(r.centre[0]), 2), round(float(r.threshold[0]), 2)
    ([False, False, False, False, False, False, True], 1.0, 0.7)
    """
    judged = np.isfinite(attainment)
    codes, groups_in = np.unique(groups[judged], return_inverse=True)
    values = attainment[judged]
    size = np.bincount(groups_in, minlength=len(codes))
    median = _group_medians(groups_in, values, len(codes))
    deviation = np.abs(values - median[groups_in])
    mad = _group_medians(groups_in, deviation, len(codes))
    mean_ad = np.bincount(groups_in, deviation, minlength=len(codes)) / np.maximum(size, 1)
    spread = np.where(mad > 0, MAD_TO_SD * mad, MEAN_AD_TO_SD * mean_ad)
    n = len(attainment)
    centre_of, spread_of = np.full(n, np.nan), np.full(n, np.nan)
    size_of = np.zeros(n, dtype=np.int64)
    centre_of[judged], spread_of[judged] = median[groups_in], spread[groups_in]
    size_of[judged] = size[groups_in]
    threshold = np.where(size_of >= min_peers, centre_of - k * spread_of, np.nan)
    peers = (centre_of, spread_of, size_of)
    return _result(_below(attainment, threshold), attainment, threshold, peers=peers)


def low_probability(probability: FloatArray, *, below: float) -> RuleResult:
    """Fires when P(achieve | actuals so far) is below ``below``: ``p_i < below``.

    >>> low_probability(np.array([0.1, 0.5, np.nan]), below=0.2).fired.tolist()
    [True, False, False]
    """
    return _result(_below(probability, below), probability, below)


def low_projection(projected_attainment: FloatArray, *, below: float) -> RuleResult:
    """Fires when the projected attainment (actual + forecast of what remains, over the target)
    is below ``below``: ``projected_i / target_i < below``.

    >>> low_projection(np.array([0.7, 0.95]), below=0.8).fired.tolist()
    [True, False]
    """
    return _result(_below(projected_attainment, below), projected_attainment, below)


def inactivity(days_inactive: FloatArray, *, days: int) -> RuleResult:
    """Fires when nothing was recorded for ``days`` days or more: ``idle_i >= days``. A rep
    who never recorded anything should be given the days since they could have (the period's
    start or their hire); NaN is not judged.

    >>> inactivity(np.array([3.0, 30.0, np.nan]), days=21).fired.tolist()
    [False, True, False]
    """
    idle = np.nan_to_num(days_inactive, nan=-np.inf)
    return _result(idle >= days, days_inactive, float(days))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


@dataclass(frozen=True)
class BehindPace:
    """Pace below ``threshold`` for ``periods`` weeks or months in a row."""

    kind: ClassVar[RuleKind] = "behind_pace"
    periods: int = 3
    threshold: float = 0.9

    def __post_init__(self) -> None:
        _check(self.periods >= 1, "periods must be at least 1")
        _check(self.threshold > 0, "threshold must be positive")


@dataclass(frozen=True)
class PeerGap:
    """Attainment more than ``k`` spreads below the peer group's centre (groups of at least
    ``min_peers``)."""

    kind: ClassVar[RuleKind] = "peer_gap"
    k: float = 1.5
    min_peers: int = 5

    def __post_init__(self) -> None:
        _check(self.k > 0, "k must be positive")
        _check(self.min_peers >= 3, "min_peers must be at least 3")


@dataclass(frozen=True)
class LowProbability:
    """P(achieve | actuals so far) below ``below``."""

    kind: ClassVar[RuleKind] = "low_probability"
    below: float = 0.2

    def __post_init__(self) -> None:
        _check(0 < self.below <= 1, "below must lie in (0, 1]")


@dataclass(frozen=True)
class LowProjection:
    """Projected attainment below ``below`` (0.8: 80% of the target)."""

    kind: ClassVar[RuleKind] = "low_projection"
    below: float = 0.8

    def __post_init__(self) -> None:
        _check(self.below > 0, "below must be positive")


@dataclass(frozen=True)
class Inactivity:
    """No recorded activity for ``days`` days."""

    kind: ClassVar[RuleKind] = "inactivity"
    days: int = 21

    def __post_init__(self) -> None:
        _check(self.days >= 1, "days must be at least 1")


Rule = BehindPace | PeerGap | LowProbability | LowProjection | Inactivity
RULES: dict[RuleKind, type[Rule]] = {
    "behind_pace": BehindPace,
    "peer_gap": PeerGap,
    "low_probability": LowProbability,
    "low_projection": LowProjection,
    "inactivity": Inactivity,
}
DEFAULT_RULES: tuple[Rule, ...] = tuple(kind() for kind in RULES.values())


@dataclass(frozen=True, eq=False)
class RuleState:
    """What the rules read, per rep: ``pace_history`` (reps x periods, oldest first, weeks or
    months), ``attainment``, conditional ``probability``, ``projected_attainment``,
    ``days_inactive`` and ``peer_group`` codes (e.g. one per rank x region)."""

    pace_history: FloatArray
    attainment: FloatArray
    probability: FloatArray
    projected_attainment: FloatArray
    days_inactive: FloatArray
    peer_group: IntArray

    def __post_init__(self) -> None:
        n = len(self.attainment)
        sizes = {len(a) for a in (self.probability, self.projected_attainment)}
        sizes |= {len(self.days_inactive), len(self.peer_group), self.pace_history.shape[0]}
        if self.pace_history.ndim != 2 or sizes != {n}:
            raise ValueError("every array must have one row per rep")


def evaluate_rule(rule: Rule, state: RuleState) -> RuleResult:
    """The rule's function applied to the state's arrays.

    >>> state = RuleState(np.array([[0.5, 0.6]]), np.array([0.3]), np.array([0.1]),
    ...                   np.array([0.5]), np.array([2.0]), np.array([0]))
    >>> [bool(evaluate_rule(rule, state).fired[0]) for rule in DEFAULT_RULES]
    [False, False, True, True, False]
    """
    match rule:
        case BehindPace(periods=periods, threshold=threshold):
            return behind_pace(state.pace_history, periods=periods, threshold=threshold)
        case PeerGap(k=k, min_peers=min_peers):
            return peer_gap(state.attainment, state.peer_group, k=k, min_peers=min_peers)
        case LowProbability(below=below):
            return low_probability(state.probability, below=below)
        case LowProjection(below=below):
            return low_projection(state.projected_attainment, below=below)
        case Inactivity(days=days):
            return inactivity(state.days_inactive, days=days)
        case _:
            assert_never(rule)
