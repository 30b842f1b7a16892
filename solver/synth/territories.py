"""Seeded long panels of zero-heavy territories: monthly sales as a compound Poisson process.

Real order-line exports of a retailer by territory look nothing like a steady sales force:
most territories have a sale in only some months (half of all territory-months are empty),
and sizes span orders of magnitude (one territory sells 100x another). Such a panel is
generated here, each territory ``i`` and month ``t``:

- orders ``N ~ Poisson(rate_i * season_t * trend_i(t))``, with rates log-uniform over
  ``rate_range`` (a territory with 0.3 orders a month is empty three months in four, one with
  4 almost never);
- each order's value log-normal around the territory's ``order_size_i`` (log-normal over
  territories with ``size_spread``, loosely correlated with the rate), with ``order_spread``;
- a shared seasonality (an annual wave and a year-end peak) and a per-territory trend.

The expected value ``rate * season * trend * E[order]`` is kept as ``truth`` for evaluation.
The frames are the ones ``solver.evaluate.History`` holds (one rank, regions by territory).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class TerritoryConfig:
    """Shape of a zero-heavy territory panel; every draw from ``seed``."""

    territories: int = 50
    months: int = 48
    seed: int = 0
    start: str = "2015-01-01"
    rate_range: tuple[float, float] = (0.08, 5.0)
    size_spread: float = 1.2
    order_spread: float = 0.9
    season_amplitude: float = 0.25
    year_end_peak: float = 0.4
    trend_spread: float = 0.1
    regions: int = 4


@dataclass(frozen=True, eq=False)
class TerritoryPanel:
    """``monthly_actuals`` (rep_id, month, metric_code, value), ``reps``, ``ranks`` and
    ``truth`` (rep_id, month, expected_revenue), as ``solver.evaluate.History`` takes them."""

    monthly_actuals: pd.DataFrame
    reps: pd.DataFrame
    ranks: pd.DataFrame
    truth: pd.DataFrame

    @property
    def zero_share(self) -> float:
        """Share of territory-months without a sale."""
        return float((self.monthly_actuals["value"] == 0.0).mean())


def generate_territories(config: TerritoryConfig) -> TerritoryPanel:
    """A panel of ``config.territories`` x ``config.months`` monthly sales (zeros included).

    >>> panel = generate_territories(TerritoryConfig(territories=30, months=36, seed=1))
    >>> len(panel.monthly_actuals), 0.3 < panel.zero_share < 0.7
    (1080, True)
    """
    rng = np.random.default_rng(config.seed)
    n, m = config.territories, config.months
    low, high = np.log(config.rate_range[0]), np.log(config.rate_range[1])
    log_rate = rng.uniform(low, high, n)
    # Order sizes loosely follow the rate (a busy territory also places larger orders).
    centred = (log_rate - log_rate.mean()) / max(log_rate.std(), 1e-9)
    log_size = np.log(500.0) + config.size_spread * (
        0.4 * centred + np.sqrt(1 - 0.16) * rng.standard_normal(n)
    )
    months = pd.date_range(config.start, periods=m, freq="MS")
    phase = rng.uniform(0, 2 * np.pi)
    calendar = months.month.to_numpy()
    season = (
        1.0
        + config.season_amplitude * np.sin(2 * np.pi * calendar / 12 + phase)
        + config.year_end_peak * (calendar >= 11)
    )
    slope = rng.normal(0.0, config.trend_spread, n) / 12.0  # log growth per month
    t = np.arange(m) - (m - 1)
    intensity = np.exp(log_rate)[:, None] * season[None, :] * np.exp(slope[:, None] * t[None, :])
    orders = rng.poisson(intensity)
    sigma = config.order_spread
    mean_order = np.exp(log_size + sigma**2 / 2)
    value = np.zeros((n, m))
    total = int(orders.sum())
    draws = rng.lognormal(0.0, sigma, total)
    owner = np.repeat(np.arange(n * m), orders.ravel())
    np.add.at(value.ravel(), owner, draws)
    value *= np.exp(log_size)[:, None]
    value = np.round(value, 2)
    rep_ids = np.arange(1, n + 1, dtype=np.int64)
    grid = pd.MultiIndex.from_product([rep_ids, months], names=["rep_id", "month"])
    actuals = pd.DataFrame(
        {
            "rep_id": grid.get_level_values(0).to_numpy(np.int64),
            "month": grid.get_level_values(1),
            "metric_code": "revenue",
            "value": value.ravel(),
        }
    )
    truth = pd.DataFrame(
        {
            "rep_id": actuals["rep_id"],
            "month": actuals["month"],
            "expected_revenue": (intensity * mean_order[:, None]).ravel(),
        }
    )
    reps = pd.DataFrame(
        {
            "rep_id": rep_ids,
            "rank_code": "T",
            "region_code": [f"R{k % config.regions + 1}" for k in range(n)],
            "hire_date": months[0],
            "leave_date": pd.NaT,
        }
    )
    ranks = pd.DataFrame({"rank_code": ["T"], "level": [1]})
    return TerritoryPanel(actuals, reps, ranks, truth)
