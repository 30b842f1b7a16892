"""Elastic bounds: soft bound families give, in priority order, only as far as the goals need.

A rep's total ``T_r`` must lie in the hard interval (``[0, inf)``, or ``{lock}``) and, as far
as possible, in each soft family's interval: rank ``[floor, ceiling]``, probability band
``[band_lo, band_hi]``, cap ``[0, cap]`` (``SOFT_PRIORITY`` order). Goals are hard.

Goal nodes form a laminar family, so the free reps of goal node ``g`` (those under no deeper
goal node) carry one equality each: ``sum_{r in F_g} T_r = R_g = G_g - sum_{c} G_c`` over its
nearest goal descendants ``c``. The groups are disjoint, which makes the lexicographic
relaxation exact and closed-form. Families are added highest priority first to the interval
kept so far, ``[lo_r, hi_r]``:

1. *Per rep*: where the family's own bound lies outside ``[lo_r, hi_r]`` (a forecast band
   above the rank ceiling, a lock below the floor), the family's bound gives to the nearest
   point of the interval, by exactly that distance.
2. *Per goal node*: where the new upper bounds add up to less than ``R_g`` (or the lower
   bounds to more), the family gives by exactly the shortfall ``R_g - sum hi'`` (the least
   any solution must violate it, as ``sum max(0, T_r - hi'_r) >= R_g - sum hi'_r``), spread so
   that every free rep's bound moves by the same fraction of itself (``hi'_r (1 + t)``, capped
   at the interval kept so far, which still reaches ``R_g``).

A higher family therefore never gives for a lower one, and each gives only what the goals
and the families above it force. Only the hard constraints can leave nothing: then the
conflicts are returned instead (a lock above its node's goal, child goals above a parent's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.decompose.tree import Membership
from solver.types import Conflict, FloatArray, IntArray, Relaxation, SoftFamily

# family -> (lower column, upper column) of the cells frame, and the bound names reported as
# the binding family of a target sitting on them.
FAMILY_COLUMNS: dict[SoftFamily, tuple[str | None, str]] = {
    "rank": ("floor", "ceiling"),
    "band": ("band_lo", "band_hi"),
    "cap": (None, "cap"),
}
BOUND_NAMES: dict[SoftFamily, tuple[str, str]] = {
    "rank": ("floor", "ceiling"),
    "band": ("band", "band"),
    "cap": ("cap", "cap"),
}
BOUND_FAMILIES: tuple[SoftFamily, ...] = ("rank", "band", "cap")


@dataclass(frozen=True, eq=False)
class Groups:
    """The free reps of each goal node as one array: ``owner[r]`` is the goal position owning
    rep ``r`` (-1: under no goal node) and ``residual[g]`` what its free reps must add to,
    within ``tol[g]`` (relative to the goal: the residual is a difference of large sums)."""

    owner: IntArray
    residual: FloatArray
    nodes: IntArray
    tol: FloatArray

    @staticmethod
    def of(member: Membership, goals: FloatArray, n: int) -> Groups:
        owner = np.full(n, -1, dtype=np.int64)
        for g, free in enumerate(member.free):
            owner[free] = g
        kids = np.array([goals[c].sum() for c in member.children], dtype=np.float64)
        kids = kids.reshape(len(goals))
        tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(goals), np.abs(kids)))
        return Groups(owner, goals - kids, member.nodes, tol)

    def sums(self, values: FloatArray) -> FloatArray:
        """Per group, the sum of ``values`` over its free reps (``inf`` propagates)."""
        inside = self.owner >= 0
        sums = np.bincount(self.owner[inside], weights=values[inside], minlength=len(self.residual))
        return sums.astype(np.float64)


@dataclass(frozen=True, eq=False)
class ElasticBounds:
    """Per rep ``lo``/``hi`` and the family naming each (as ``effective_bounds``), the soft
    relaxations that made them consistent with the goals, or the hard conflicts."""

    bounds: pd.DataFrame
    relaxations: tuple[Relaxation, ...]
    conflicts: tuple[Conflict, ...]


def _tolerance(values: FloatArray) -> FloatArray:
    out: FloatArray = 1e-9 * np.maximum(1.0, np.abs(values))
    return out


def _column(cells: pd.DataFrame, name: str | None, fill: float) -> FloatArray:
    if name is None or name not in cells:
        return np.full(len(cells), fill)
    return np.asarray(cells[name].astype(float).fillna(fill), dtype=np.float64)


def elastic_bounds(
    cells: pd.DataFrame, member: Membership, goals: FloatArray, *, integer: bool, metric: str
) -> ElasticBounds:
    """The tightest bounds the goals allow, family by family (see the module docstring)."""
    n = len(cells)
    rep_ids = cells["rep_id"].to_numpy(np.int64)
    lock = _column(cells, "lock", np.nan)
    locked = np.isfinite(lock)
    lo = np.where(locked, lock, 0.0)
    hi = np.where(locked, lock, np.inf)
    lo_family = np.where(locked, "lock", "").astype(object)
    hi_family = lo_family.copy()
    groups = Groups.of(member, goals, n)
    conflicts = _hard_conflicts(groups, lo, hi, metric)
    if conflicts:
        return ElasticBounds(_frame(cells, lo, hi, lo_family, hi_family), (), tuple(conflicts))
    relaxations: list[Relaxation] = []
    for family in BOUND_FAMILIES:
        low_col, high_col = FAMILY_COLUMNS[family]
        f_lo = np.clip(_column(cells, low_col, 0.0), 0.0, None)
        f_hi = _column(cells, high_col, np.inf)
        if integer:  # integer bounds round inward, so any rounding of a target stays inside
            f_lo, f_hi = np.ceil(f_lo - 1e-9), np.floor(f_hi + 1e-9)
        step = _FamilyStep(family, metric, rep_ids, lo, hi, lo_family, hi_family)
        lo, hi = step.per_rep(f_lo, f_hi, relaxations)
        lo, hi = step.per_group(groups, lo, hi, integer, relaxations)
    return ElasticBounds(_frame(cells, lo, hi, lo_family, hi_family), tuple(relaxations), ())


@dataclass
class _FamilyStep:
    """Adds one family to the interval kept so far; records what it had to give."""

    family: SoftFamily
    metric: str
    rep_ids: IntArray
    lo: FloatArray  # the interval kept so far (before this family)
    hi: FloatArray
    lo_family: np.ndarray  # names of the bound setting lo / hi, updated in place
    hi_family: np.ndarray

    def per_rep(
        self, f_lo: FloatArray, f_hi: FloatArray, out: list[Relaxation]
    ) -> tuple[FloatArray, FloatArray]:
        """Intersect with the family's interval; a bound outside the kept one gives to it."""
        new_lo = np.minimum(np.maximum(self.lo, f_lo), self.hi)
        new_hi = np.maximum(np.minimum(self.hi, f_hi), new_lo)
        low_name, high_name = BOUND_NAMES[self.family]
        raised, lowered = new_lo > self.lo, new_hi < self.hi
        gave_lo = np.flatnonzero(f_lo > self.hi + _tolerance(self.hi))
        gave_hi = np.flatnonzero(f_hi < new_lo - _tolerance(new_lo))
        for r in gave_lo.tolist():
            out.append(self._rep("lower", r, f_lo[r], self.hi[r], str(self.hi_family[r])))
        for r in gave_hi.tolist():
            because = str(self.lo_family[r]) if f_hi[r] < self.lo[r] else low_name
            out.append(self._rep("upper", r, f_hi[r], new_lo[r], because))
        self.lo_family[raised] = low_name
        self.hi_family[lowered] = high_name
        return new_lo, new_hi

    def _rep(self, side: str, r: int, limit: float, required: float, because: str) -> Relaxation:
        return Relaxation(
            family=self.family,
            side="lower" if side == "lower" else "upper",
            scope="rep",
            metric=self.metric,
            rep_id=int(self.rep_ids[r]),
            org_id=None,
            limit=float(limit),
            required=float(required),
            amount=abs(float(required - limit)),
            because=_family_of_bound(because),
        )

    def per_group(
        self,
        groups: Groups,
        lo: FloatArray,
        hi: FloatArray,
        integer: bool,
        out: list[Relaxation],
    ) -> tuple[FloatArray, FloatArray]:
        """Where the goal residual lies outside the new bounds' sums, the family gives by the
        shortfall, each free rep's bound by the same fraction of itself."""
        low_sum, high_sum = groups.sums(lo), groups.sums(hi)
        need = groups.residual
        short_hi = np.flatnonzero(need > high_sum + groups.tol)
        short_lo = np.flatnonzero(need < low_sum - groups.tol)
        # Any gap is closed, the tiny ones too (a family's bounds can land a float hair short
        # of the residual, more than the LP tolerates); only gaps past tolerance are named.
        hair_hi = np.flatnonzero(need > high_sum)
        hair_lo = np.flatnonzero(need < low_sum)
        if len(hair_hi):
            hi = _stretch(groups, hair_hi, hi, self.hi, upward=True, integer=integer)
        if len(hair_lo):
            lo = _stretch(groups, hair_lo, lo, self.lo, upward=False, integer=integer)
        for g, side, limit in [(g, "upper", high_sum[g]) for g in short_hi.tolist()] + [
            (g, "lower", low_sum[g]) for g in short_lo.tolist()
        ]:
            moved = int(np.count_nonzero(groups.owner == g))
            out.append(
                Relaxation(
                    family=self.family,
                    side="upper" if side == "upper" else "lower",
                    scope="node",
                    metric=self.metric,
                    rep_id=None,
                    org_id=int(groups.nodes[g]),
                    limit=float(limit),
                    required=float(need[g]),
                    amount=abs(float(need[g] - limit)),
                    because="goal",
                    reps=moved,
                )
            )
        return lo, hi


def _stretch(
    groups: Groups,
    short: IntArray,
    bound: FloatArray,
    kept: FloatArray,
    *,
    upward: bool,
    integer: bool,
) -> FloatArray:
    """Move the bounds of the groups ``short`` by a common fraction ``t`` of themselves until
    they add up to the residual: ``min(kept, b (1 + t))`` up, ``max(kept, b (1 - t))`` down.

    ``t`` is found per group by a vectorised bisection; the sum is non-decreasing in ``t`` and
    reaches the residual at saturation (the families above were made consistent first).
    """
    in_short = np.isin(groups.owner, short)
    base = np.where(bound > 0, bound, _group_mean_positive(groups, bound))
    sign = 1.0 if upward else -1.0

    def moved(t: FloatArray) -> FloatArray:
        step = bound + sign * t[np.maximum(groups.owner, 0)] * base
        new = np.minimum(kept, step) if upward else np.maximum(kept, step)
        out: FloatArray = np.where(in_short, new, bound)
        return out

    need = groups.residual
    low = np.zeros(len(need))
    high = _bracket(groups, bound, kept, base, upward)
    for _ in range(80):
        mid = 0.5 * (low + high)
        sums = groups.sums(moved(mid))
        enough = sums >= need if upward else sums <= need
        high, low = np.where(enough, mid, high), np.where(enough, low, mid)
    # A hair past the bracket end so that float sums still reach the residual exactly.
    out = moved(high * (1.0 + 1e-9) + 1e-12)
    if integer:
        out = np.where(in_short, np.ceil(out - 1e-9) if upward else np.floor(out + 1e-9), out)
        out = np.minimum(kept, out) if upward else np.maximum(kept, out)
    return out


def _bracket(
    groups: Groups, bound: FloatArray, kept: FloatArray, base: FloatArray, upward: bool
) -> FloatArray:
    """A fraction ``t`` per group at which the moved bounds surely reach the residual."""
    if not upward:
        return np.ones(len(groups.residual))  # b (1 - 1) = 0 <= every kept lower bound
    need = groups.residual - groups.sums(bound)
    unbounded = ~np.isfinite(kept)
    open_base = np.zeros(len(need))
    inside = (groups.owner >= 0) & unbounded
    np.add.at(open_base, groups.owner[inside], base[inside])
    room = np.where(unbounded | (base <= 0), 0.0, (kept - bound) / np.where(base > 0, base, 1.0))
    saturate = np.zeros(len(need))
    inside = groups.owner >= 0
    np.maximum.at(saturate, groups.owner[inside], room[inside])
    open_t = np.where(open_base > 0, need / np.where(open_base > 0, open_base, 1.0), 0.0)
    out: FloatArray = np.maximum(saturate, open_t) + 1e-12
    return out


def _group_mean_positive(groups: Groups, bound: FloatArray) -> FloatArray:
    """Per rep, the mean positive finite bound of its group (1 if none): the step of a zero
    bound, so that zero bounds move too, by the group's typical size."""
    ok = (groups.owner >= 0) & (bound > 0) & np.isfinite(bound)
    total, count = np.zeros(len(groups.residual)), np.zeros(len(groups.residual))
    np.add.at(total, groups.owner[ok], bound[ok])
    np.add.at(count, groups.owner[ok], 1.0)
    mean = np.where(count > 0, total / np.maximum(count, 1.0), 1.0)
    out: FloatArray = mean[np.maximum(groups.owner, 0)]
    return out


def _hard_conflicts(groups: Groups, lo: FloatArray, hi: FloatArray, metric: str) -> list[Conflict]:
    """Goal residuals the hard bounds cannot reach: locks above a goal, child goals adding up
    to more than their parent's, a node whose reps are all locked below its goal."""
    low_sum, high_sum = groups.sums(lo), groups.sums(hi)
    need = groups.residual
    out = []
    for g in np.flatnonzero(need < low_sum - groups.tol).tolist():
        node = int(groups.nodes[g])
        if need[g] < -groups.tol[g] and low_sum[g] <= 0:
            msg = (
                f"node {node} {metric}: the goals below it add up to {-need[g]:.6g} more than"
                " its own goal"
            )
            out.append(Conflict("goal", f"node {node}", metric, float(-need[g]), msg))
            continue
        msg = (
            f"node {node} {metric}: locked targets add up to {low_sum[g]:.6g}, above the"
            f" {need[g]:.6g} left for them by the goal, by {low_sum[g] - need[g]:.6g}"
        )
        out.append(Conflict("lock", f"node {node}", metric, float(low_sum[g] - need[g]), msg))
    for g in np.flatnonzero(need > high_sum + groups.tol).tolist():
        node = int(groups.nodes[g])
        free = int(np.count_nonzero(groups.owner == g))
        what = "all its reps are locked" if free else "it has no reps of its own"
        msg = (
            f"node {node} {metric}: the goal leaves {need[g]:.6g} for its reps but {what},"
            f" adding up to {high_sum[g]:.6g}"
        )
        family = "lock" if free else "goal"
        out.append(Conflict(family, f"node {node}", metric, float(need[g] - high_sum[g]), msg))  # type: ignore[arg-type]
    return out


def _family_of_bound(name: str) -> str:
    """The family a bound name belongs to (``ceiling`` -> ``rank``); ``lock`` and ``""``
    (non-negativity) stay as they are."""
    return {"floor": "rank", "ceiling": "rank", "band": "band", "cap": "cap"}.get(
        name, name or "non-negative"
    )


def _frame(
    cells: pd.DataFrame,
    lo: FloatArray,
    hi: FloatArray,
    lo_family: np.ndarray,
    hi_family: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {"lo": lo, "hi": hi, "lo_family": lo_family, "hi_family": hi_family}, index=cells.index
    )
