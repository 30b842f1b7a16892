"""Exact polishing and sum-preserving integer rounding over the goal nodes.

Both walk the goal nodes deepest first. A node's nearest goal descendants already meet their
goals, so the node only adjusts its free reps (those under no deeper goal node) to close
``G_g - sum_children G_c - sum_free T_r``.
"""

from __future__ import annotations

import numpy as np

from solver.decompose.tree import Membership
from solver.types import FloatArray, IntArray


def _residual(member: Membership, goals: FloatArray, values: FloatArray, g: int) -> float:
    free, kids = member.free[g], member.children[g]
    return float(goals[g] - goals[kids].sum() - values[free].sum())


def polish(
    values: FloatArray, lo: FloatArray, hi: FloatArray, member: Membership, goals: FloatArray
) -> FloatArray:
    """Remove the solver's tolerance-level residuals, proportionally to each rep's slack."""
    out = np.clip(values.copy(), lo, hi)
    for g in member.order.tolist():
        free = member.free[g]
        resid = _residual(member, goals, out, g)
        slack = (hi[free] - out[free]) if resid > 0 else (out[free] - lo[free])
        slack = np.where(np.isfinite(slack), slack, 1.0)
        total = float(slack.sum())
        if resid != 0.0 and total > 0.0:
            out[free] = np.clip(out[free] + resid * slack / total, lo[free], hi[free])
    return out


def round_to_goals(
    values: FloatArray, lo: FloatArray, hi: FloatArray, member: Membership, goals: FloatArray
) -> tuple[FloatArray, list[int]]:
    """Largest-remainder rounding inside each goal node, within integer bounds.

    Returns the integer values and the goal nodes (positions) whose residual could not be
    placed (empty when every goal is met).
    """
    out = np.clip(np.floor(values + 1e-7), lo, hi)
    frac = values - out
    owned = np.zeros(len(values), dtype=bool)
    failed: list[int] = []
    for g in member.order.tolist():
        free = member.free[g]
        owned[free] = True
        units = round(_residual(member, goals, out, g))
        if units and not _place_units(out, frac, lo, hi, free, units):
            failed.append(g)
    rest = ~owned
    out[rest] = np.clip(np.round(values[rest]), lo[rest], hi[rest])
    return out, failed


def _place_units(
    out: FloatArray, frac: FloatArray, lo: FloatArray, hi: FloatArray, free: IntArray, units: int
) -> bool:
    """Add (or remove) ``units`` ones to the free reps with the largest (smallest) remainders."""
    step = 1.0 if units > 0 else -1.0
    room = (out[free] + step <= hi[free]) if units > 0 else (out[free] + step >= lo[free])
    candidates = free[room]
    key = -frac[candidates] if units > 0 else frac[candidates]
    chosen = candidates[np.argsort(key, kind="stable")[: abs(units)]]
    out[chosen] += step
    return len(chosen) == abs(units)


def spread_integer(totals: FloatArray, share: FloatArray) -> FloatArray:
    """Split integer totals over months by the shares, largest remainder per rep."""
    raw = share * totals[:, None]
    base = np.floor(raw + 1e-9)
    missing = np.rint(totals - base.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(raw - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(share.shape[1])[None, :], axis=1)
    out: FloatArray = base + (rank < missing[:, None])
    return out
