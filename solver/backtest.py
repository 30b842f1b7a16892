"""Backtest measures: WAPE, pinball loss, interval coverage, calibration and target reach."""

from __future__ import annotations

import numpy as np
import pandas as pd

from solver.probability import prob_at_least
from solver.types import FloatArray, QuantileTable


def wape(actual: FloatArray, forecast: FloatArray) -> float:
    """Weighted absolute percentage error: sum |a - f| / sum |a|."""
    ok = ~(np.isnan(actual) | np.isnan(forecast))
    return float(np.abs(actual[ok] - forecast[ok]).sum() / max(np.abs(actual[ok]).sum(), 1e-12))


def pinball(actual: FloatArray, table: QuantileTable) -> float:
    """Mean pinball (quantile) loss over reps and levels."""
    diff = actual[:, None] - table.values
    q = table.levels[None, :]
    loss = np.maximum(q * diff, (q - 1.0) * diff)
    return float(np.nanmean(loss))


def reliability(actual: FloatArray, table: QuantileTable) -> pd.DataFrame:
    """Observed share of actuals below each quantile vs its nominal level."""
    ok = ~np.isnan(actual)
    observed = (actual[ok, None] <= table.values[ok]).mean(axis=0)
    return pd.DataFrame({"level": table.levels, "observed": observed})


def calibration_summary(actual: FloatArray, table: QuantileTable) -> dict[str, float]:
    """ECE over the levels and coverage of the central intervals the table holds."""
    rel = reliability(actual, table)
    out = {"ece": float((rel["observed"] - rel["level"]).abs().mean())}
    levels, ok = table.levels, ~np.isnan(actual)
    for j in range(len(levels) // 2):
        k = len(levels) - 1 - j
        inside = (actual[ok] >= table.values[ok, j]) & (actual[ok] <= table.values[ok, k])
        out[f"coverage_{levels[k] - levels[j]:.2f}"] = float(inside.mean())
    return out


def seasonal_naive(history: FloatArray, horizon: int) -> FloatArray:
    """Same month last year (the last value when history is shorter than a year)."""
    if history.shape[1] >= 12:
        idx = history.shape[1] - 12 + np.arange(horizon) % 12
        out: FloatArray = history[:, idx]
        return out
    return np.repeat(history[:, -1:], horizon, axis=1)


def moving_average(history: FloatArray, horizon: int, window: int = 3) -> FloatArray:
    """Mean of the last ``window`` observed months, flat over the horizon."""
    mean = np.nanmean(history[:, -window:], axis=1)
    return np.repeat(mean[:, None], horizon, axis=1)


def share_reaching(
    targets: FloatArray, table: QuantileTable, actual: FloatArray | None = None
) -> dict[str, float]:
    """Expected share of reps at target (mean achievement probability) and, given actuals,
    the realised share."""
    out = {"expected_share": float(prob_at_least(table, targets).mean())}
    if actual is not None:
        ok = ~np.isnan(actual)
        out["realised_share"] = float((actual[ok] >= targets[ok]).mean())
    return out
