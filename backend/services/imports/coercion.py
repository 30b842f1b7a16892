"""Type coercion of raw cells: dates in several formats, numbers with separators and currency.

Each parser returns the value or raises ``CoercionError`` with a readable reason and, where one
is safe, a suggestion; nothing ambiguous (``$1.2k``, ``3/4/2017`` without evidence) is guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from backend.services.imports.reading import Cell

_CURRENCY = re.compile(
    r"^(?:[¥￥$€£₩₹]|RMB|CNY|USD|EUR|GBP|US\$)\s*|\s*(?:[¥￥$€£₩₹]|元|RMB|CNY|USD|EUR|GBP)$"
)
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")
_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_ABBREVIATED = re.compile(r"^[+-]?\d+(?:\.\d+)?\s*(?:[kKmMbB]|万|亿|千)$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_CJK = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)


class CoercionError(ValueError):
    """A cell that cannot be read as its field's type."""

    def __init__(self, problem: str, suggestion: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.suggestion = suggestion


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_text(cell: Cell) -> str:
    """Trimmed text with inner runs of spaces collapsed."""
    return " ".join(str(cell).split())


def parse_number(cell: Cell) -> float:
    """A number from ``1234.5``, ``"¥1,234.50"``, ``"1.234,50 €"``, ``"(12)"`` (negative).

    >>> parse_number("¥1,234.50"), parse_number("$ 980"), parse_number("(1,000)")
    (1234.5, 980.0, -1000.0)
    """
    if isinstance(cell, bool):
        raise CoercionError("a true/false value is not a number")
    if isinstance(cell, int | float):
        return float(cell)
    text = parse_text(cell).replace("\u00a0", "").replace(" ", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    text = _CURRENCY.sub("", text).strip()
    text = _CURRENCY.sub("", text).strip()
    if _ABBREVIATED.match(text):
        raise CoercionError(
            f"{cell!r} is an abbreviated amount; it is not guessed", "write the full amount"
        )
    if _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "").replace(",", ".")
    if not _PLAIN.match(text):
        raise CoercionError(f"{cell!r} is not a number")
    value = float(text)
    return -value if negative else value


def parse_date(cell: Cell, *, day_first: bool | None = None) -> date:
    """A date from ISO, ``2017/3/1``, ``2017年3月1日``, ``20170301``, an Excel serial, or
    ``d/m/yyyy`` / ``m/d/yyyy`` when ``day_first`` is known (see ``day_first_evidence``).

    >>> parse_date("2017年3月1日"), parse_date("13/03/2017")
    (datetime.date(2017, 3, 1), datetime.date(2017, 3, 13))
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float):
        return _excel_serial(float(cell))
    text = parse_text(cell)
    for pattern in (_ISO, _CJK, _COMPACT):
        match = pattern.match(text)
        if match:
            return _ymd(text, int(match[1]), int(match[2]), int(match[3]))
    match = _DAY_FIRST_OR_MONTH_FIRST.match(text)
    if match:
        a, b, year = int(match[1]), int(match[2]), int(match[3])
        if a > 12 or (day_first and b <= 12):
            return _ymd(text, year, b, a)
        if b > 12 or day_first is False:
            return _ymd(text, year, a, b)
        raise CoercionError(
            f"{text!r} could be day/month or month/day", "use YYYY-MM-DD in this column"
        )
    if _PLAIN.match(text):
        return _excel_serial(float(text))
    raise CoercionError(f"{text!r} is not a date", "use YYYY-MM-DD")


def day_first_evidence(cells: list[Cell]) -> bool | None:
    """True if some ``a/b/yyyy`` cell has a > 12, False if some has b > 12, else None."""
    for cell in cells:
        if isinstance(cell, str):
            match = _DAY_FIRST_OR_MONTH_FIRST.match(cell.strip())
            if match and int(match[1]) > 12:
                return True
            if match and int(match[2]) > 12:
                return False
    return None


def _ymd(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CoercionError(f"{text!r} is not a valid calendar date") from None


def _excel_serial(value: float) -> date:
    if not 20_000 <= value <= 80_000 or value != int(value):
        raise CoercionError(f"{value:g} is not a date", "use YYYY-MM-DD")
    return _EXCEL_EPOCH + timedelta(days=int(value))
