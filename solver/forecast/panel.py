"""The rep x month panel as dense matrices (rows = reps, columns = months).

Dense matrices make lags and rolling windows plain column slices, which keeps feature building
for 100,000 reps x 24 months well under a second per month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.types import FloatArray, IntArray

# Win-probability weights of open stages; a deal open in the past has an unknown stage then.
STAGE_WEIGHTS = {"prospecting": 0.1, "qualified": 0.25, "proposal": 0.5, "negotiation": 0.75}
PAST_OPEN_WEIGHT = 0.3


@dataclass(frozen=True, eq=False)
class Panel:
    """Target ``y`` with exogenous matrices and static rep attributes, NaN where unobserved.

    ``hire_index`` is the hire month as a column position (may be negative), ``leave_index``
    the last employed column (a large number while employed).
    """

    rep_ids: IntArray
    months: pd.DatetimeIndex
    y: FloatArray
    conversion: FloatArray
    pipeline: FloatArray
    rank_level: FloatArray
    region: FloatArray
    hire_index: FloatArray
    leave_index: FloatArray


def _month_index(dates: pd.Series, start: pd.Timestamp) -> FloatArray:
    dt = pd.to_datetime(dates)
    index = (dt.dt.year - start.year) * 12 + (dt.dt.month - start.month)
    out: FloatArray = np.asarray(index.astype("Float64").to_numpy(np.float64, na_value=np.nan))
    return out


def _wide(long: pd.DataFrame, metric: str, reps: IntArray, months: pd.DatetimeIndex) -> FloatArray:
    part = long[long["metric_code"] == metric]
    wide = part.pivot_table(index="rep_id", columns="month", values="value", aggfunc="sum")
    return wide.reindex(index=reps, columns=months).to_numpy(dtype=np.float64)


def pipeline_matrix(deals: pd.DataFrame, reps: IntArray, months: pd.DatetimeIndex) -> FloatArray:
    """Stage-weighted value of deals open at the start of each month (difference arrays)."""
    n, t = len(reps), len(months)
    row = pd.Index(reps).get_indexer(pd.Index(deals["rep_id"]))
    start = _month_index(deals["created_on"], months[0]) + 1
    end = _month_index(deals["closed_on"], months[0])
    open_now = deals["closed_on"].isna().to_numpy()
    end = np.where(open_now, t - 1, end)
    weight = deals["stage"].map(STAGE_WEIGHTS).fillna(PAST_OPEN_WEIGHT).to_numpy(np.float64)
    value = deals["value"].to_numpy(np.float64) * np.where(open_now, weight, PAST_OPEN_WEIGHT)
    ok = (row >= 0) & (start <= end) & (end >= 0) & (start <= t - 1)
    diff = np.zeros((n, t + 1))
    np.add.at(diff, (row[ok], np.clip(start[ok], 0, t).astype(int)), value[ok])
    np.add.at(diff, (row[ok], np.clip(end[ok] + 1, 0, t).astype(int)), -value[ok])
    out: FloatArray = np.cumsum(diff, axis=1)[:, :t]
    return out


def build_panel(
    actuals: pd.DataFrame,
    reps: pd.DataFrame,
    *,
    ranks: pd.DataFrame | None = None,
    deals: pd.DataFrame | None = None,
    metric: str = "revenue",
) -> Panel:
    """Matrices from the long ``monthly_actuals`` (rep_id, month, metric_code, value) and reps.

    Months with no actual while the rep was employed count as zero; outside employment NaN.
    """
    rep_ids = reps["rep_id"].to_numpy(dtype=np.int64)
    months = pd.date_range(actuals["month"].min(), actuals["month"].max(), freq="MS")
    y = _wide(actuals, metric, rep_ids, months)
    hire = _month_index(reps["hire_date"], months[0])
    leave_raw = reps["leave_date"] if "leave_date" in reps else pd.Series(pd.NaT, index=reps.index)
    leave: FloatArray = _month_index(leave_raw, months[0])
    leave = np.where(np.isnan(leave), 1e9, leave).astype(np.float64)
    col = np.arange(len(months))[None, :]
    employed = (col >= np.floor(hire)[:, None]) & (col <= leave[:, None])
    y = np.where(employed, np.nan_to_num(y, nan=0.0), np.nan)
    level = np.zeros(len(reps))
    if ranks is not None and "rank_code" in reps:
        level = reps["rank_code"].map(ranks.set_index("rank_code")["level"]).to_numpy(np.float64)
    region: FloatArray = np.asarray(
        reps["region_code"].astype("category").cat.codes, dtype=np.float64
    )
    pipe = np.zeros_like(y) if deals is None else pipeline_matrix(deals, rep_ids, months)
    conv = _wide(actuals, "conversion_rate", rep_ids, months)
    return Panel(rep_ids, months, y, conv, pipe, level, region, hire, leave)
