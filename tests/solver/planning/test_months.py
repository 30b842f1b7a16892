from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from solver.planning.months import add_months, month_range, months_between


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(-400, 400))
def test_adding_months_is_undone_by_counting_them(day: date, n: int) -> None:
    later = add_months(day, n)
    assert later.day == 1 and months_between(day, later) == n


def test_a_fiscal_year_has_twelve_months_across_the_new_year() -> None:
    months = month_range(date(2026, 4, 1), date(2027, 3, 31))
    assert len(months) == 12 and months[-1] == date(2027, 3, 1)
