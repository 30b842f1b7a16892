"""Configuration, result containers and the month calendar of a synthetic company."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]
BoolArr = NDArray[np.bool_]
AnyArr = NDArray[Any]

#: Months simulated past the history so that deals still open at ``as_of`` exist.
PIPELINE_HORIZON = 6


@dataclass(frozen=True)
class CompanyConfig:
    """What to generate: size, history length, end of history and seed.

    ``n_reps`` is the number of reps employed at ``as_of`` (the active headcount, one per seat);
    leavers in the history come on top as additional rep records.

    >>> CompanyConfig(n_reps=50, seed=1).months
    36
    """

    n_reps: int = 300
    months: int = 36
    as_of: datetime.date | None = None
    seed: int = 7
    currency: str = "CNY"


@dataclass(frozen=True)
class SyntheticCompany:
    """All tables of one generated company; ``truth`` is for evaluation only."""

    metrics: pd.DataFrame
    regions: pd.DataFrame
    org_units: pd.DataFrame
    ranks: pd.DataFrame
    product_lines: pd.DataFrame
    products: pd.DataFrame
    reps: pd.DataFrame
    rank_history: pd.DataFrame
    customers: pd.DataFrame
    deals: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    satisfaction: pd.DataFrame
    monthly_actuals: pd.DataFrame
    truth: pd.DataFrame
    territories: pd.DataFrame
    shocks: pd.DataFrame


@dataclass(frozen=True)
class GenerationStats:
    """What a chunked write produced and what it cost."""

    n_reps: int  # employed at ``as_of``; ``rows["reps"]`` also counts the leavers
    rows: dict[str, int]
    seconds: float
    peak_memory_mb: float
    chunks: int = 1


@dataclass(frozen=True)
class Calendar:
    """Month boundaries as day numbers (days since 1970-01-01).

    Months ``0 .. months-1`` are history; the ``horizon`` months after them are simulated only
    to leave a realistic open pipeline at ``as_of``.
    """

    month_start: IntArr  # months + horizon + 1 boundaries
    months: int
    horizon: int

    @property
    def start_day(self) -> int:
        return int(self.month_start[0])

    @property
    def as_of_day(self) -> int:
        return int(self.month_start[self.months])

    @property
    def total_months(self) -> int:
        return self.months + self.horizon

    @property
    def month_length(self) -> IntArr:
        return np.diff(self.month_start)

    @property
    def month_of_year(self) -> IntArr:
        months = self.month_start[:-1].astype("datetime64[D]").astype("datetime64[M]")
        return (months.astype(np.int64) % 12 + 1).astype(np.int64)

    def month_index(self, days: IntArr) -> IntArr:
        """Index of the month holding each day (-1 before the history)."""
        return np.searchsorted(self.month_start, days, side="right").astype(np.int64) - 1


def build_calendar(config: CompanyConfig) -> Calendar:
    """History = the ``months`` whole months before the month of ``as_of``."""
    as_of = config.as_of or datetime.date.today()
    end = np.datetime64(as_of.replace(day=1), "M")
    months = end - config.months + np.arange(config.months + PIPELINE_HORIZON + 1)
    days = months.astype("datetime64[D]").astype(np.int64)
    return Calendar(month_start=days, months=config.months, horizon=PIPELINE_HORIZON)
