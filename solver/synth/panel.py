"""The latent rep x month model that drives every fact.

Expected revenue = rank baseline x ability x territory potential x seasonality x ramp x growth
trend x regional shock x share of the month employed. It is realised as deals: a Poisson number
of decisions per month, each won with a rep- and deal-specific probability, with a lognormal
value; the value scale is solved so that the expectation is exactly the expected revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.synth.model import Calendar, FloatArr, IntArr
from solver.synth.reference import (
    PRODUCT_MIX,
    SEASONALITY,
    SEGMENT_MIX_BY_RANK,
    SEGMENT_VALUE,
    SEGMENT_WIN,
    product_arrays,
    ranks_table,
)
from solver.synth.workforce import _ABILITY_SD, Workforce, employed_fraction

DEALS_PER_MONTH = 4.0
NEW_CUSTOMER_SHARE = 0.55
_BASE_WIN = 0.27
_COMPANY_GROWTH = 0.06  # per year
_LUCK_SD = 0.25


@dataclass(frozen=True)
class Panel:
    """Rep (rows) x month (columns, history then pipeline horizon) latent state."""

    employed: FloatArr
    tenure_months: IntArr
    rank: IntArr
    ability: FloatArr
    ramp: FloatArr
    season: FloatArr  # per month
    shock: FloatArr
    expected_revenue: FloatArr
    expected_deals: FloatArr
    win_prob: FloatArr
    value_scale: FloatArr
    deals: FloatArr  # Poisson mean after the rep-month luck


def ramp_curve(tenure_months: IntArr) -> FloatArr:
    """Share of full productivity by tenure month: ~5% in month 0, ~95% after six months."""
    return 1.0 - 0.95 * np.exp(-tenure_months / 2.2)


def deal_mix_constants() -> tuple[FloatArr, FloatArr]:
    """Per rank: E[win modifier x relative value] and E[win modifier] over products/segments."""
    rel_price, product_win, _ = product_arrays()
    seg_value = SEGMENT_MIX_BY_RANK @ (SEGMENT_WIN * SEGMENT_VALUE)
    seg_win = SEGMENT_MIX_BY_RANK @ SEGMENT_WIN
    return (
        seg_value * float(PRODUCT_MIX @ (product_win * rel_price)),
        seg_win * float(PRODUCT_MIX @ product_win),
    )


def _tenure(work: Workforce, calendar: Calendar) -> IntArr:
    mid = calendar.month_start[:-1] + calendar.month_length // 2
    months = np.floor((mid[None, :] - work.hire_day[:, None]) / 30.44)
    return np.clip(months, 0, None).astype(np.int64)


def build_panel(
    rng: np.random.Generator,
    work: Workforce,
    calendar: Calendar,
    seat_potential: FloatArr,
    region_shock: FloatArr,
) -> Panel:
    """Latent state per rep-month; ``region_shock`` is rep x month already."""
    t = np.arange(calendar.total_months)
    employed = employed_fraction(work, calendar)
    tenure = _tenure(work, calendar)
    mid = calendar.month_start[:-1] + calendar.month_length // 2
    rank = work.rank_on(mid)
    years = (t - calendar.months / 2)[None, :] / 12.0
    ability = np.exp(_ABILITY_SD * work.ability_z[:, None] + work.growth[:, None] * years)
    ramp = ramp_curve(tenure)
    season = SEASONALITY[calendar.month_of_year - 1]
    trend = np.exp(_COMPANY_GROWTH * years)
    baseline = ranks_table()["baseline_revenue"].to_numpy(np.float64)[rank]
    expected = (
        baseline * ability * seat_potential[work.seat][:, None] * season * ramp * trend
        * region_shock * employed
    )  # fmt: skip
    deals_mean = DEALS_PER_MONTH * np.sqrt(season * region_shock) * ramp**0.7 * employed
    win = np.clip(_BASE_WIN * np.sqrt(ability) * ramp**0.3, 0.02, 0.65)
    value_k, _ = deal_mix_constants()
    denom = deals_mean * win * value_k[rank]
    scale = np.divide(expected, denom, out=np.zeros_like(expected), where=denom > 0)
    luck = rng.lognormal(-(_LUCK_SD**2) / 2, _LUCK_SD, expected.shape)
    return Panel(
        employed=employed,
        tenure_months=tenure,
        rank=rank,
        ability=ability,
        ramp=ramp,
        season=season,
        shock=region_shock,
        expected_revenue=expected,
        expected_deals=deals_mean,
        win_prob=win,
        value_scale=scale,
        deals=deals_mean * luck,
    )


def expected_new_customers(panel: Panel) -> FloatArr:
    """Wins on first deals with new prospects (ignores later first wins of old prospects)."""
    _, win_k = deal_mix_constants()
    return panel.expected_deals * NEW_CUSTOMER_SHARE * panel.win_prob * win_k[panel.rank]
