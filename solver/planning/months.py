"""Calendar-month arithmetic, the one place it is done.

A month is represented by its first day (``date(y, m, 1)``); any day of it is accepted.

>>> add_months(date(2026, 11, 15), 3)
datetime.date(2027, 2, 1)
>>> months_between(date(2025, 12, 31), date(2026, 3, 1))
3
"""

from __future__ import annotations

from datetime import date


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(day: date) -> date:
    """The first day of the day's month (a plain ``date`` even for a Timestamp)."""
    return date(day.year, day.month, 1)


def add_months(day: date, n: int) -> date:
    """The first day of the month ``n`` months after the day's month (``n`` may be negative)."""
    total = _index(day) + n
    return date(total // 12, total % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s (negative when earlier)."""
    return _index(end) - _index(start)


def month_range(start: date, end: date) -> list[date]:
    """Every month from ``start``'s to ``end``'s, inclusive (empty when ``end`` is earlier)."""
    return [add_months(start, k) for k in range(months_between(start, end) + 1)]


def year_earlier(day: date) -> date:
    """The same month a year earlier."""
    return add_months(day, -12)
