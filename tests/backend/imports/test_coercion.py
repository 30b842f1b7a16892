"""Coercion of raw cells: dates in several formats, numbers with separators and currency signs."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from backend.services.imports.coercion import CoercionError, parse_date, parse_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("¥1,234.50", 1234.5),
        ("$1,234", 1234.0),
        ("1.234,50 €", 1234.5),
        ("1234.5元", 1234.5),
        ("CNY 980", 980.0),
        ("(1,000)", -1000.0),
        (" 42 ", 42.0),
        (7, 7.0),
    ],
)
def test_reads_numbers_with_separators_and_currency(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["$1.2k", "3万", "12M"])
def test_refuses_to_guess_abbreviated_amounts(cell):
    with pytest.raises(CoercionError, match="abbreviated"):
        parse_number(cell)


def test_refuses_text_that_is_not_a_number():
    with pytest.raises(CoercionError, match="not a number"):
        parse_number("about 12")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2017-03-01", date(2017, 3, 1)),
        ("2017/3/1", date(2017, 3, 1)),
        ("2017年3月1日", date(2017, 3, 1)),
        ("20170301", date(2017, 3, 1)),
        ("13/03/2017", date(2017, 3, 13)),
        ("03/13/2017", date(2017, 3, 13)),
        (datetime(2017, 3, 1, 10, 30), date(2017, 3, 1)),
        (42795, date(2017, 3, 1)),
    ],
)
def test_reads_dates_in_several_formats(cell, expected):
    assert parse_date(cell) == expected


def test_ambiguous_day_month_is_reported_not_guessed():
    with pytest.raises(CoercionError, match="day/month or month/day"):
        parse_date("03/04/2017")
    assert parse_date("03/04/2017", day_first=True) == date(2017, 4, 3)


def test_impossible_dates_are_refused():
    with pytest.raises(CoercionError, match="not a valid calendar date"):
        parse_date("2017-02-30")
