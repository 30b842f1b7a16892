"""Simulated target periods: the solver's targets held against what the reps then sold.

Each origin is one period (its ``horizon`` months). The goal is the sum of the reps' median
period forecasts times an uplift; equal difficulty spreads it so that every rep has the same
achievement probability, the *design point*. Measures are taken over reps employed for the
whole period (a leaver's partial period says nothing about the target).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.evaluate.forecasts import OriginForecast
from solver.probability import quantile_at
from solver.strategies import equal_difficulty, history_floor
from solver.types import Allocation, FloatArray, RepBounds

TENURE_BANDS = (6, 12, 36)
TENURE_LABELS = ("<6m", "6-12m", "1-3y", "3y+")


@dataclass(frozen=True, eq=False)
class PeriodTargets:
    """One simulated period: a row per rep employed over it (``frame``) and the design point.

    ``frame``: rep_id, target, actual, probability, reached, within_20pct, rank, region, tenure,
    and ``truth`` (expected period value) when known.
    """

    origin: int
    design_point: float
    goal: float
    frame: pd.DataFrame


def _tenure_band(months: FloatArray) -> list[str]:
    which = np.digitize(np.nan_to_num(months, nan=0.0), TENURE_BANDS)
    return [TENURE_LABELS[i] for i in which]


def set_targets(
    forecast: OriginForecast,
    reps: pd.DataFrame,
    hire_index: FloatArray,
    *,
    uplift: float,
    design_point: float | None = None,
) -> PeriodTargets:
    """Equal-difficulty targets for ``uplift`` x the sum of median forecasts, then realised.

    Reps who sold in the trailing year have the planning core's floor from it
    (``solver.strategies.history_floor``): no zero target for a rep with sales history.

    With ``design_point`` the goal is instead the one every rep reaches with that probability:
    ``sum_i Q_i(1 - design_point)``.
    """
    table = forecast.period
    horizon = forecast.actual.shape[1]
    if design_point is None:
        goal = uplift * float(quantile_at(table, 0.5).sum())
    else:
        goal = float(quantile_at(table, 1.0 - design_point).sum())
    bounds = None
    if forecast.trailing_total is not None and forecast.trailing_months is not None:
        floor = history_floor(forecast.trailing_total, forecast.trailing_months, horizon)
        lo = np.nan_to_num(floor, nan=0.0)
        if lo.sum() <= goal:  # a goal below the floors: no floors (the goal is hard)
            bounds = RepBounds(table.rep_ids, lo, np.full(table.n, np.inf))
    with np.errstate(over="ignore"):  # exp of far-below-support gaps; np.where drops them
        allocation = equal_difficulty(table, goal, bounds)
    if not isinstance(allocation, Allocation):
        raise ValueError(f"equal difficulty failed: {allocation.summary()}")
    assert allocation.probability is not None and allocation.rep_probability is not None
    attrs = reps.set_index("rep_id").reindex(forecast.rep_ids)
    frame = pd.DataFrame(
        {
            "rep_id": forecast.rep_ids,
            "target": allocation.values,
            "actual": forecast.actual.sum(axis=1),  # NaN when the rep left during the period
            "probability": allocation.rep_probability,
            "median": quantile_at(table, 0.5),
            "rank": attrs["rank_code"].to_numpy(),
            "region": attrs["region_code"].to_numpy(),
            "tenure": _tenure_band(forecast.origin - hire_index[forecast.rows]),
            "trailing": np.nan if forecast.trailing_total is None else forecast.trailing_total,
        }
    )
    if forecast.truth is not None:
        frame["truth"] = forecast.truth.sum(axis=1)
    frame = frame[frame["actual"].notna()].reset_index(drop=True)
    frame["reached"] = frame["actual"] >= frame["target"]
    ratio = frame["actual"] / frame["target"].where(frame["target"] > 0)
    frame["within_20pct"] = (ratio - 1.0).abs() <= 0.2
    # The level the goal was set at; the search finds it again only to float precision.
    level = allocation.probability if design_point is None else design_point
    return PeriodTargets(forecast.origin, level, goal, frame)


def group_gaps(
    frame: pd.DataFrame, column: str, *, min_size: int = 30
) -> tuple[float, pd.DataFrame]:
    """Share reaching target per group (``mean``, ``size``) and the spread (max - min) over the
    groups of at least ``min_size`` reps."""
    stats = frame.groupby(column)["reached"].agg(["mean", "size"])
    shares = stats.loc[stats["size"] >= min_size, "mean"]
    gap = float(shares.max() - shares.min()) if len(shares) > 1 else 0.0
    return gap, stats


def ratchet(first: PeriodTargets, second: PeriodTargets) -> dict[str, float]:
    """Target change from one period to the next after a beat vs after a miss.

    Changes are relative to the median change over all reps (which carries the seasonality and
    the company's growth); the asymmetry is the mean change after a beat minus after a miss.
    With ``truth``, the same contrast on the expected values says how much of it was earned.
    """
    both = first.frame.merge(second.frame, on="rep_id", suffixes=("_1", "_2"))
    both = both[(both["target_1"] > 0) & (both["target_2"] > 0)]
    change = both["target_2"] / both["target_1"]
    change = change / change.median() - 1.0
    beat = both["reached_1"].to_numpy(bool)
    out = {
        "after_beat": float(change[beat].mean()),
        "after_miss": float(change[~beat].mean()),
    }
    out["asymmetry"] = out["after_beat"] - out["after_miss"]
    if "truth_1" in both:
        true_change = both["truth_2"] / both["truth_1"].where(both["truth_1"] > 0)
        true_change = true_change / true_change.median() - 1.0
        out["truth_asymmetry"] = float(true_change[beat].mean() - true_change[~beat].mean())
        # Selection: reps who beat were, on average, under-forecast (their expected value was
        # above the median forecast), so part of the asymmetry is the next forecast catching
        # up with them, not a reaction to luck. The excess is what remains.
        error = both["truth_1"] / both["median_1"].where(both["median_1"] > 0)
        error = error / error.median() - 1.0
        out["selection"] = float(error[beat].mean() - error[~beat].mean())
        out["excess"] = out["asymmetry"] - out["selection"]
    return out
