"""The demo's current month: actuals recorded week by week up to today, as an integration would.

The synthetic company's history ends with the last whole month, so without this the active
plan's current month would show nothing sold. Each rep keeps their pace of the year so far
(actual / target of the months before, within [0.4, 1.5]) times some noise, follows the
target's phasing inside the month, and one rep in ten has a slow start (a third of their pace),
so a manager opening the dashboard finds reps clearly behind and the alert rules have cases.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Plan
from backend.db.repositories import tracking as repo
from backend.services.access import SYSTEM
from backend.services.tracking.actuals import MAX_ENTRIES, EntryInput, record_actuals
from solver.planning.months import add_months, month_start

METRICS = ("revenue", "new_customers")
SLOW_SHARE = 0.1
SLOW_FACTOR = 1 / 3
PACE_RANGE = (0.4, 1.5)


async def record_month_to_date(
    session: AsyncSession, *, plan: Plan, as_of: date, seed: int = 7
) -> int:
    """Record the current month's actuals up to ``as_of`` (one entry per rep, metric and week);
    nothing when ``as_of`` lies outside the plan's period. Returns the entries written."""
    if not plan.period_start <= as_of <= plan.period_end or plan.id is None:
        return 0
    rng = np.random.default_rng(seed)
    entries: list[EntryInput] = []
    for metric in (await repo.metrics_by_codes(session, METRICS)).values():
        entries += await _metric_entries(session, plan, metric, as_of, rng)
    for start in range(0, len(entries), MAX_ENTRIES):
        outcome = await record_actuals(
            session, principal=SYSTEM, entries=entries[start : start + MAX_ENTRIES], today=as_of
        )
        assert not outcome.problems, outcome.problems[:3]
    return len(entries)


async def _metric_entries(
    session: AsyncSession, plan: Plan, metric: Metric, as_of: date, rng: np.random.Generator
) -> list[EntryInput]:
    month = month_start(as_of)
    targets: dict[int, float] = {}
    earlier: dict[int, float] = defaultdict(float)
    plan_id = plan.id or 0
    for rep_id, target_month, value in await repo.target_values(session, plan_id, metric.id or 0):
        if target_month == month:
            targets[rep_id] = value
        elif target_month < month:
            earlier[rep_id] += value
    sold: dict[int, float] = defaultdict(float)
    for rep_id, _, value in await repo.monthly_values(
        session, metric.id or 0, plan.period_start, add_months(month, -1)
    ):
        sold[rep_id] += value if rep_id in targets else 0.0
    out: list[EntryInput] = []
    for rep_id in sorted(targets):
        pace = _pace(sold[rep_id], earlier[rep_id], rng)
        out += _weeks(metric, rep_id, targets[rep_id] * pace, month, as_of, rng)
    return out


def _pace(sold: float, target: float, rng: np.random.Generator) -> float:
    pace = float(np.clip(sold / target, *PACE_RANGE)) if target > 0 else 1.0
    return pace * (SLOW_FACTOR if rng.random() < SLOW_SHARE else 1.0)


def _weeks(
    metric: Metric,
    rep_id: int,
    month_value: float,
    month: date,
    as_of: date,
    rng: np.random.Generator,
) -> list[EntryInput]:
    """The month's value spread evenly over its days, summed per ISO week up to ``as_of``."""
    days_in_month = (add_months(month, 1) - month).days
    out = []
    start = month
    while start <= as_of:
        end = min(start + timedelta(days=6 - start.weekday()), as_of)
        expected = month_value * ((end - start).days + 1) / days_in_month
        value = (
            float(rng.poisson(expected))
            if metric.is_integer
            else round(expected * float(rng.lognormal(0.0, 0.25)), 2)
        )
        if value > 0:
            key = f"demo-{metric.code}-{rep_id}-{end.isoformat()}"
            out.append(EntryInput(key, metric.code, end, value, rep_id=rep_id))
        start = end + timedelta(days=1)
    return out
