"""Per-rep bounds from the constraint families, and the necessary conditions checked upfront."""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.decompose.tree import Membership
from solver.types import Conflict

LOWER = {"floor": "floor", "band_lo": "band"}
UPPER = {"ceiling": "ceiling", "band_hi": "band", "cap": "cap"}


def effective_bounds(cells: pd.DataFrame, *, integer: bool) -> pd.DataFrame:
    """``lo``/``hi`` per cell and the family that sets each; a lock fixes both.

    ``lo = max(0, floor, band_lo)``, ``hi = min(ceiling, band_hi, cap)``; integer metrics round
    the bounds inward (``ceil(lo)``, ``floor(hi)``) so that any rounding stays inside.
    """
    lower = cells.reindex(columns=list(LOWER)).astype(float).fillna(0.0).clip(lower=0.0)
    upper = cells.reindex(columns=list(UPPER)).astype(float).fillna(np.inf)
    out = pd.DataFrame(index=cells.index)
    out["lo"] = lower.max(axis=1)
    out["hi"] = upper.min(axis=1)
    out["lo_family"] = lower.idxmax(axis=1).map(LOWER).where(out["lo"] > 0.0, "")
    out["hi_family"] = upper.idxmin(axis=1).map(UPPER).where(np.isfinite(out["hi"]), "")
    if integer:
        out["lo"] = np.ceil(out["lo"] - 1e-9)
        out["hi"] = np.floor(out["hi"] + 1e-9)
    lock = cells["lock"].astype(float) if "lock" in cells else pd.Series(np.nan, cells.index)
    locked = lock.notna()
    out.loc[locked, ["lo", "hi"]] = np.repeat(lock[locked].to_numpy()[:, None], 2, axis=1)
    out.loc[locked, ["lo_family", "hi_family"]] = "lock"
    return out


def rep_conflicts(cells: pd.DataFrame, bounds: pd.DataFrame, metric: str) -> list[Conflict]:
    """A rep whose lower bound exceeds its upper bound, naming both families."""
    lo, hi = bounds["lo"].to_numpy(), bounds["hi"].to_numpy()
    fam_lo, fam_hi = bounds["lo_family"].tolist(), bounds["hi_family"].tolist()
    reps = cells["rep_id"].tolist()
    out = []
    for i in np.flatnonzero(lo > hi + 1e-9)[:50].tolist():
        gap = float(lo[i] - hi[i])
        msg = (
            f"rep {reps[i]} {metric}: {fam_lo[i]} minimum {lo[i]:.6g} exceeds "
            f"{fam_hi[i]} maximum {hi[i]:.6g} by {gap:.6g}"
        )
        out.append(Conflict("bounds", f"rep {reps[i]}", metric, gap, msg))
    return out


def goal_conflicts(
    member: Membership, goals: np.ndarray, bounds: pd.DataFrame, metric: str
) -> list[Conflict]:
    """Each goal node: child goals plus free reps' bounds must bracket its goal.

    For a goal node ``g`` with nearest goal descendants ``C`` and free reps ``F``:
    ``sum_C G_c + sum_F lo_r <= G_g <= sum_C G_c + sum_F hi_r``.
    """
    lo, hi = bounds["lo"].to_numpy(), bounds["hi"].to_numpy()
    locked = (bounds["lo_family"] == "lock").to_numpy()
    out = []
    for g, node in enumerate(member.nodes.tolist()):
        kids, free = member.children[g], member.free[g]
        base = float(goals[kids].sum())
        low, high = base + lo[free].sum(), base + hi[free].sum()
        where = f"node {node}"
        if low > goals[g] + 1e-9 * max(1.0, abs(goals[g])):
            fam = "lock" if base + lo[free][locked[free]].sum() > goals[g] else "floor"
            fam = "goal" if base > goals[g] else fam
            msg = (
                f"{where} {metric}: the goal {goals[g]:.6g} is below the sum of lower bounds"
                f" ({fam}) {low:.6g} by {low - goals[g]:.6g}"
            )
            out.append(Conflict(fam, where, metric, float(low - goals[g]), msg))  # type: ignore[arg-type]
        if high < goals[g] - 1e-9 * max(1.0, abs(goals[g])):
            msg = (
                f"{where} {metric}: the goal {goals[g]:.6g} exceeds the sum of upper bounds"
                f" {high:.6g} by {goals[g] - high:.6g}"
            )
            out.append(Conflict("ceiling", where, metric, float(goals[g] - high), msg))
    return out
