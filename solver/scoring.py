"""Capability and potential scores per rep (0-100), with every component kept.

Each component is a percentile rank (0-100) of a raw figure among reps of the same rank, so
seniors are compared with seniors. Missing raw figures score the neutral 50.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CAPABILITY = {"attainment": 0.4, "acquisition": 0.25, "conversion": 0.2, "collection": 0.15}
POTENTIAL = {"trajectory": 0.4, "growth": 0.3, "territory": 0.3}


def _wide(actuals: pd.DataFrame, metric: str) -> pd.DataFrame:
    part = actuals[actuals["metric_code"] == metric]
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


def raw_components(actuals: pd.DataFrame, reps: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """Raw figures per rep: attainment vs rank baseline, acquisition, conversion, collection,
    trajectory (recent slope), growth (last 6 months vs the 6 before), territory (region mean)."""
    revenue = _wide(actuals, "revenue")
    base = reps.set_index("rep_id")["rank_code"].map(
        ranks.set_index("rank_code")["baseline_revenue"]
    )
    nc_base = reps.set_index("rep_id")["rank_code"].map(
        ranks.set_index("rank_code")["baseline_new_customers"]
    )
    recent = revenue.iloc[:, -6:].mean(axis=1)
    before = revenue.iloc[:, -12:-6].mean(axis=1)
    out = pd.DataFrame(index=reps["rep_id"].to_numpy())
    out["attainment"] = (revenue.iloc[:, -12:].mean(axis=1) / base).reindex(out.index)
    out["acquisition"] = (
        _wide(actuals, "new_customers").iloc[:, -12:].mean(axis=1) / nc_base
    ).reindex(out.index)
    out["conversion"] = (
        _wide(actuals, "conversion_rate").iloc[:, -12:].mean(axis=1).reindex(out.index)
    )
    out["collection"] = (
        _wide(actuals, "collection_rate").iloc[:, -12:].mean(axis=1).reindex(out.index)
    )
    out["trajectory"] = _slope(revenue, 12).reindex(out.index)
    out["growth"] = (recent / before.where(before > 0)).reindex(out.index)
    region = reps.set_index("rep_id")["region_code"]
    out["territory"] = (
        recent.reindex(out.index).groupby(region.reindex(out.index)).transform("mean")
    )
    return out


def score_reps(actuals: pd.DataFrame, reps: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """rep_id, one 0-100 column per component, and the weighted ``capability``/``potential``.

    >>> # score_reps(company.monthly_actuals, company.reps, company.ranks)
    """
    raw = raw_components(actuals, reps, ranks)
    rank = reps.set_index("rep_id")["rank_code"].reindex(raw.index)
    scores = raw.groupby(rank).rank(pct=True).mul(100.0).fillna(50.0)
    scores["capability"] = sum(scores[c] * w for c, w in CAPABILITY.items())
    scores["potential"] = sum(scores[c] * w for c, w in POTENTIAL.items())
    return scores.rename_axis("rep_id").reset_index()
