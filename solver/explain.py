"""Validate and explain targets: extreme-value flags and additive, readable components."""

from __future__ import annotations

import numpy as np
import pandas as pd


def flag_extremes(
    targets: pd.DataFrame,
    *,
    history_ratio: float = 2.0,
    peer_z: float = 3.0,
    baseline_range: tuple[float, float] = (0.5, 2.0),
) -> pd.DataFrame:
    """Flags per target row (rep_id, value, history, rank_code, baseline):

    - ``vs_history``: value / history outside ``[1/ratio, ratio]``;
    - ``vs_peers``: |z| of value among the same rank above ``peer_z``;
    - ``vs_baseline``: value / baseline outside ``baseline_range``.
    """
    out = targets[["rep_id"]].copy()
    ratio = targets["value"] / targets["history"].where(targets["history"] > 0)
    out["vs_history"] = (ratio > history_ratio) | (ratio < 1.0 / history_ratio)
    grouped = targets.groupby("rank_code")["value"]
    z = (targets["value"] - grouped.transform("mean")) / grouped.transform("std").replace(0, np.nan)
    out["vs_peers"] = z.abs() > peer_z
    base = targets["value"] / targets["baseline"].where(targets["baseline"] > 0)
    out["vs_baseline"] = (base < baseline_range[0]) | (base > baseline_range[1])
    out["flagged"] = out[["vs_history", "vs_peers", "vs_baseline"]].any(axis=1)
    return out


def explain_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Additive components that sum exactly to each target.

    Input columns: rep_id, value, baseline (rank baseline), coefficient (product of region /
    product / market coefficients), forecast (the rep's forecast), ideal (strategy value),
    binding (the bound family the value sits on, "" if none). Components:
    ``rank_baseline + coefficients + history + strategy + constraint = value``.
    """
    adjusted = targets["baseline"] * targets["coefficient"]
    out = pd.DataFrame(
        {
            "rep_id": targets["rep_id"],
            "rank_baseline": targets["baseline"],
            "coefficients": adjusted - targets["baseline"],
            "history": targets["forecast"] - adjusted,
            "strategy": targets["ideal"] - targets["forecast"],
            "constraint": targets["value"] - targets["ideal"],
            "binding": targets["binding"],
        }
    )
    out["value"] = targets["value"]
    return out
