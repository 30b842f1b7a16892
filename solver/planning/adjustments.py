"""Changing targets inside a running period: what the rest of a team absorbs.

A change sets new months for some reps (the subjects: a lower target after a lost account, a
leaver's months after leaving, a joiner's ramp). The difference of their totals is absorbed by
the other free reps of the team in the months from the effective month on, in proportion to
what each still has to do then (a rep with more left takes more), each within their period
bounds (never above the ceiling, never below the floor or below nothing); what they cannot
take is the goal relief (positive: the team's goal must go down by it; negative: up).

Integer metrics stay whole: each rep's share is rounded by largest remainders so that the
shares add up exactly to what is absorbed, and so are the months within a rep.

>>> team = TeamCells(  # rep 2 can take one more (ceiling 16): rep 1 takes the rest
...     targets=np.array([[10.0, 10.0, 10.0], [10.0, 10.0, 10.0], [5.0, 5.0, 5.0]]),
...     floors=np.full(3, np.nan), ceilings=np.array([np.nan, np.nan, 16.0]),
...     locked=np.zeros(3, dtype=np.bool_))
>>> out = absorb(team, {0: np.array([10.0, 4.0, 4.0])}, from_month=1, integer=True)
>>> out.targets.tolist(), out.relief
([[10.0, 4.0, 4.0], [10.0, 16.0, 15.0], [5.0, 6.0, 5.0]], 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solver.types import FloatArray

BoolArray = NDArray[np.bool_]
_ROUNDS = 64  # water-filling passes: each one fills at least one rep, so reps + 1 suffice


@dataclass(frozen=True, eq=False)
class TeamCells:
    """A team's current monthly targets (reps x months), each rep's period bounds (NaN: none)
    and which reps are locked (a manager set them: they never absorb)."""

    targets: FloatArray
    floors: FloatArray
    ceilings: FloatArray
    locked: BoolArray

    @property
    def n(self) -> int:
        return int(self.targets.shape[0])


@dataclass(frozen=True, eq=False)
class Absorption:
    """The team after the change: every rep's months, what each absorbed (period totals,
    subjects 0) and the goal relief (what the others could not take; signed)."""

    targets: FloatArray
    absorbed: FloatArray
    relief: float


def _largest_remainder(values: FloatArray, total: float) -> FloatArray:
    """Whole numbers close to ``values`` adding up to ``total`` (a whole number)."""
    base = np.floor(values)
    rest = round(total - float(base.sum()))
    order = np.argsort(-(values - base), kind="stable")
    if rest >= 0:
        base[order[:rest]] += 1
    else:
        base[order[len(order) + rest :]] -= 1
    out: FloatArray = base
    return out


def _whole(share: FloatArray, room: FloatArray) -> FloatArray:
    """Whole shares adding up to ``share``'s (rounded) total, none beyond its whole ``room``:
    each rounded down, then the units left go to the largest remainders that still have room."""
    base = np.floor(share + 1e-9)
    left = round(float(share.sum()) - float(base.sum()))
    order = np.argsort(-(share - base), kind="stable")
    for i in order:
        if left <= 0:
            break
        if base[i] + 1 <= room[i] + 1e-9:
            base[i] += 1
            left -= 1
    out: FloatArray = base
    return out


def _fill(weights: FloatArray, room: FloatArray, amount: float) -> FloatArray:
    """Split ``amount`` (>= 0) in proportion to ``weights``, none beyond its ``room``."""
    share = np.zeros_like(weights)
    open_ = room > 1e-12
    left = amount
    for _ in range(_ROUNDS):
        if left <= 1e-9 or not open_.any():
            break
        w = np.where(open_, weights, 0.0)
        if w.sum() <= 0:
            w = open_.astype(np.float64)
        step = np.minimum(left * w / w.sum(), room - share)
        share += step
        left -= float(step.sum())
        open_ &= room - share > 1e-9
    return share


def _spread(row: FloatArray, change: float, from_month: int, integer: bool) -> FloatArray:
    """A rep's months with ``change`` added over the months from ``from_month`` on, in
    proportion to those months' targets (evenly if they are all 0); never below 0."""
    out = row.copy()
    later = out[from_month:]
    weights = later if later.sum() > 0 else np.ones_like(later)
    moved = later + change * weights / weights.sum()
    if integer:
        moved = _largest_remainder(np.maximum(moved, 0.0), float(later.sum()) + change)
    out[from_month:] = np.maximum(moved, 0.0)
    return out


def absorb(
    team: TeamCells,
    subjects: Mapping[int, FloatArray],
    *,
    from_month: int,
    integer: bool,
) -> Absorption:
    """The team with ``subjects`` (row -> new months) set and the difference absorbed by the
    other free reps from ``from_month`` on (see the module)."""
    targets = team.targets.astype(np.float64, copy=True)
    delta = 0.0  # what the subjects no longer carry (negative: they carry more)
    for row, months in subjects.items():
        delta += float(targets[row].sum() - np.asarray(months, dtype=np.float64).sum())
        targets[row] = months
    free = ~team.locked.copy()
    free[list(subjects)] = False
    totals = targets.sum(axis=1)
    remaining = targets[:, from_month:].sum(axis=1)
    if delta >= 0:  # the others take more: up to their ceilings
        room = np.where(np.isnan(team.ceilings), np.inf, team.ceilings - totals)
    else:  # the others take less: down to their floors, and no lower than their done months
        floor = np.where(np.isnan(team.floors), 0.0, team.floors)
        room = np.minimum(totals - floor, remaining)
    room = np.where(free, np.maximum(room, 0.0), 0.0)
    if integer:  # whole units only: a rep with 0.97 of room has none
        room = np.floor(room + 1e-9)
    share = _fill(np.where(free, np.maximum(remaining, 0.0), 0.0), room, abs(delta))
    if integer:
        share = _whole(share, room)
    signed = share if delta >= 0 else -share
    for moved in np.flatnonzero(signed):
        targets[moved] = _spread(targets[moved], float(signed[moved]), from_month, integer)
    absorbed = targets.sum(axis=1) - totals
    absorbed[list(subjects)] = 0.0
    return Absorption(targets=targets, absorbed=absorbed, relief=delta - float(absorbed.sum()))


def prorate(months: FloatArray, kept: FloatArray, *, integer: bool) -> FloatArray:
    """Months scaled by the share of each month kept (a leaver's days before leaving, the days
    outside an absence): ``kept`` in [0, 1] per month; whole numbers stay whole (rounded
    down: a partial month never asks more than its days)."""
    out = np.asarray(months, dtype=np.float64) * np.clip(kept, 0.0, 1.0)
    return np.floor(out + 1e-9) if integer else out
