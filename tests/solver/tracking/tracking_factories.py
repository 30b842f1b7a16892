"""Keyword-only factories for the tracking tests: reps whose months come from a known model.

``FactorModel`` is the ground truth the tests simulate from: a rep's month ``m`` is
``level * season_m * exp(sigma (sqrt(rho) F + sqrt(1 - rho) e_m) - sigma^2 / 2)`` with ``F`` the
rep's own factor (shared by its months) and ``e_m`` the month's noise, and is zero with
probability ``zero`` (independently per month). Its ``ForecastDistribution`` is read off
simulated draws, as a calibrated forecaster would give it: quantiles of each month and of the
period total at the planner's levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from solver.planning.distribution import ForecastDistribution

LEVELS = np.round(np.arange(0.05, 0.951, 0.05), 2)


@dataclass(frozen=True)
class FactorModel:
    months: int = 12
    level: float = 100.0
    sigma: float = 0.4
    rho: float = 0.3
    zero: float = 0.0
    season: float = 0.0

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Realised months, ``size`` x ``months``."""
        m = np.arange(self.months)
        shape = self.level * (1.0 + self.season * np.sin(2 * np.pi * m / 12))
        common = np.sqrt(self.rho) * rng.standard_normal((size, 1))
        own = np.sqrt(1.0 - self.rho) * rng.standard_normal((size, self.months))
        months = shape * np.exp(self.sigma * (common + own) - self.sigma**2 / 2)
        sold = rng.random((size, self.months)) >= self.zero
        return np.where(sold, months, 0.0)

    def distribution(self, *, seed: int = 0, draws: int = 20_000) -> ForecastDistribution:
        """The forecast a calibrated model would give: quantiles of simulated draws."""
        sample = self.draw(np.random.default_rng(seed), draws)
        total = sample.sum(axis=1)
        return ForecastDistribution.quantiles(
            LEVELS,
            np.quantile(total, LEVELS),
            np.quantile(sample, LEVELS, axis=0).T,
            float(total.mean()),
        )


def make_models(*, count: int, months: int = 12, seed: int = 0) -> list[FactorModel]:
    """``count`` models spanning sizes, spreads, dependence, zero shares and seasonality."""
    rng = np.random.default_rng(seed)
    return [
        FactorModel(
            months=months,
            level=float(rng.lognormal(np.log(100.0), 0.8)),
            sigma=float(rng.uniform(0.15, 0.8)),
            rho=float(rng.uniform(0.0, 0.7)),
            zero=float(rng.choice([0.0, 0.0, rng.uniform(0.05, 0.45)])),
            season=float(rng.uniform(0.0, 0.5)),
        )
        for _ in range(count)
    ]


def make_quantile_distribution(
    *, months: int = 4, median: float = 25.0, spread: float = 0.3, period_spread: float = 0.2
) -> ForecastDistribution:
    """Log-normal quantiles of equal months around ``median`` and a period total whose
    relative spread is ``period_spread`` (between independent and fully dependent months)."""
    levels = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
    z = norm.ppf(levels)
    monthly = np.tile(median * np.exp(spread * z), (months, 1))
    period = median * months * np.exp(period_spread * z)
    return ForecastDistribution.quantiles(levels, period, monthly)
