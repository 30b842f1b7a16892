"""Potential scores per rep (0-100), with every component kept; planning's ``by_potential``
strategy weights each rep's forecast by it.

Each component is a percentile rank (0-100) of a raw figure among reps of the same rank, so
seniors are compared with seniors. Missing raw figures score the neutral 50.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POTENTIAL = {"trajectory": 0.4, "growth": 0.3, "territory": 0.3}


def _wide(history: pd.DataFrame, metric: str) -> pd.DataFrame:
    part = history[history["metric_code"] == metric]
    return part.pivot_table(index="rep_id", columns="month", values="value").sort_index(axis=1)


def _slope(wide: pd.DataFrame, months: int) -> pd.Series:
    """Least-squares slope of the last ``months`` columns, relative to their mean."""
    block = wide.iloc[:, -months:].to_numpy(np.float64)
    x = np.arange(block.shape[1], dtype=np.float64)
    ok = ~np.isnan(block)
    n = ok.sum(axis=1)
    xm = np.where(ok, x, 0).sum(axis=1) / np.maximum(n, 1)
    ym = np.nansum(block, axis=1) / np.maximum(n, 1)
    cov = np.nansum((x - xm[:, None]) * (block - ym[:, None]), axis=1)
    var = np.where(ok, (x - xm[:, None]) ** 2, 0).sum(axis=1)
    slope = np.where(
        (n >= 3) & (var > 0) & (ym > 0),
        cov / np.maximum(var, 1e-12) / np.maximum(ym, 1e-12),
        np.nan,
    )
    return pd.Series(slope, index=wide.index)


def potential_components(history: pd.DataFrame, reps: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Raw figures per rep of ``metric``: trajectory (relative slope of the last 12 months),
    growth (last 6 months over the 6 before), territory (the region's mean of the last 6).

    ``history``: rep_id, month, metric_code, value; ``reps``: rep_id, region_code.
    """
    wide = _wide(history, metric)
    index = pd.Index(reps["rep_id"].to_numpy(), name="rep_id")
    if wide.empty:
        return pd.DataFrame(np.nan, index=index, columns=list(POTENTIAL))
    recent = wide.iloc[:, -6:].mean(axis=1)
    before = wide.iloc[:, -12:-6].mean(axis=1)
    out = pd.DataFrame(index=index)
    out["trajectory"] = _slope(wide, 12).reindex(index)
    out["growth"] = (recent / before.where(before > 0)).reindex(index)
    region = reps.set_index("rep_id")["region_code"].reindex(index)
    out["territory"] = recent.reindex(index).groupby(region).transform("mean")
    return out


def potential_scores(history: pd.DataFrame, reps: pd.DataFrame, metric: str) -> pd.DataFrame:
    """rep_id, one 0-100 column per component and their weighted ``potential``, in ``reps``
    order (``reps``: rep_id, rank_code, region_code).

    >>> # potential_scores(history, reps, "revenue")["potential"]
    """
    raw = potential_components(history, reps, metric)
    rank = reps.set_index("rep_id")["rank_code"].reindex(raw.index)
    scores = raw.groupby(rank).rank(pct=True).mul(100.0).fillna(50.0)
    scores["potential"] = sum(scores[c] * w for c, w in POTENTIAL.items())
    return scores.rename_axis("rep_id").reset_index()
