"""Weekly figures of a group of reps: actual against expected, week by week (ISO weeks).

Entries are recorded by day, so their weeks are exact. Monthly actuals that come from the
facts (imports) carry no day: within its month that part is spread evenly over the days
elapsed. What was expected by a day is the target's own phasing at that day
(``solver.tracking.elapsed_shares``), so a quiet month expects little.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import tracking as repo
from backend.services.tracking.cache import Cache
from backend.services.tracking.snapshot import Snapshot
from solver.planning.months import add_months, month_start, months_between
from solver.tracking import elapsed_months, elapsed_shares

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
MAX_WEEKS = 53


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday; the current one ends at the as-of day)."""

    start: date
    end: date
    actual: float
    expected: float
    cumulative_actual: float
    cumulative_expected: float


def week_ends(first: date, last: date) -> list[date]:
    """Every Sunday from ``first`` to ``last``, and ``last`` when it is not one.

    >>> [d.day for d in week_ends(date(2026, 11, 1), date(2026, 11, 18))]  # 1 Nov: a Sunday
    [1, 8, 15, 18]
    """
    day = first + timedelta(days=(6 - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=7)
    if not out or out[-1] != last:
        out.append(last)
    return out


_weeks: Cache[tuple[Any, ...], list[Week]] = Cache(64)


async def weekly(
    session: AsyncSession,
    s: Snapshot,
    rows: IntArray,
    *,
    weeks: int,
    path: str | None = None,
    rep_id: int | None = None,
) -> list[Week]:
    """The last ``weeks`` weeks to the as-of day (within the period) of the reps in ``rows``:
    those under ``path`` (every plan rep there) or the one rep ``rep_id``."""
    last = min(s.as_of, add_months(s.months[-1], 1) - timedelta(days=1))
    if last < s.period_start or not len(rows):
        return []
    ends = week_ends(s.period_start, last)[-min(max(weeks, 1), MAX_WEEKS) :]
    first = month_start(_before(ends[0]))
    key = (s.key, path, rep_id, weeks)
    return await _weeks.get(key, lambda: _weekly(session, s, rows, ends, first, path, rep_id))


async def _weekly(
    session: AsyncSession,
    s: Snapshot,
    rows: IntArray,
    ends: list[date],
    first: date,
    path: str | None,
    rep_id: int | None,
) -> list[Week]:
    daily = dict(
        await repo.entry_totals_by_day(
            session,
            plan_id=s.plan_id,
            metric_id=s.metric.id,
            start=max(first, s.period_start),
            end=ends[-1],
            path=path,
            rep_id=rep_id,
        )
    )
    actual = _cumulative_actual(s, rows, [_before(ends[0]), *ends], ends[-1], daily)
    expected = _cumulative_expected(s, rows, [_before(ends[0]), *ends])
    return [
        Week(
            start=end - timedelta(days=end.weekday()),
            end=end,
            actual=float(actual[k + 1] - actual[k]),
            expected=float(expected[k + 1] - expected[k]),
            cumulative_actual=float(actual[k + 1]),
            cumulative_expected=float(expected[k + 1]),
        )
        for k, end in enumerate(ends)
    ]


def _before(end: date) -> date:
    """The Sunday before ``end``'s week."""
    return end - timedelta(days=end.weekday() + 1)


def _cumulative_expected(s: Snapshot, rows: IntArray, ends: list[date]) -> FloatArray:
    targets = s.targets[rows].sum(axis=0)
    at = np.asarray([elapsed_months(s.period_start, len(s.months), d) for d in ends])
    out: FloatArray = elapsed_shares(at, len(s.months)) @ targets
    return out


def _cumulative_actual(
    s: Snapshot, rows: IntArray, ends: list[date], last: date, daily: dict[date, float]
) -> FloatArray:
    """Actual to each day: earlier months whole; then the month's entries to the day, and the
    rest of its actual (the facts' part) pro rata of its days elapsed by ``last``."""
    monthly = s.actuals[rows].sum(axis=0)
    out = np.zeros(len(ends))
    for k, day in enumerate(ends):
        if day < s.period_start:
            continue
        m = months_between(s.period_start, day)
        month_last = min(add_months(day, 1) - timedelta(days=1), last)
        recorded = sum(v for d, v in daily.items() if month_start(d) == month_start(day))
        to_day = sum(v for d, v in daily.items() if month_start(day) <= d <= day)
        facts = monthly[m] - recorded
        out[k] = monthly[:m].sum() + to_day + facts * day.day / month_last.day
    return out
