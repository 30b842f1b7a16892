"""Date formats decided per column, over ALL of its values, never guessed cell by cell.

A column is read in one format: ISO (``2017-03-01``, with or without a time), ``d/m/y`` or
``m/d/y`` (any of ``/ - .`` as separator, a 2- or 4-digit year, an optional ``hh:mm[:ss]``),
``YYYYMMDD``, an Excel serial number, ``2017年3月1日`` or a month name (``5 Jan 2017``,
``Jan 5, 2017``). When every ``a/b/yyyy`` value has both parts <= 12 the column is ambiguous:
the mapping asks day-first or month-first, and the answer is stored with the mapping.

A user gives a format as a name (``dmy``, ``mdy``, ``ymd``, ``yyyymmdd``, ``excel``), a
pattern (``dd-mm-yyyy hh:mm``, ``MM/DD/YYYY``) or a ``strptime`` format (``%d-%m-%Y %H:%M``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backend.services.imports.reading import Cell

ISO = "ymd"
DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
COMPACT = "yyyymmdd"
EXCEL = "excel"
CJK = "cjk"
MONTH_NAME = "month_name"
NAMED = (ISO, DAY_FIRST, MONTH_FIRST, COMPACT, EXCEL, CJK, MONTH_NAME)

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
_AB_Y = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?$")
_CJK = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?" + _TIME + "$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_D_MON_Y = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})" + _TIME + "$")
_MON_D_Y = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + "$")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_EXCEL_EPOCH = date(1899, 12, 30)
_PATTERN_TOKENS = (
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("mm", "%m"),
    ("dd", "%d"),
    ("hh", "%H"),
    ("ss", "%S"),
)
_ALIASES = {
    "iso": ISO,
    "ymd": ISO,
    "y-m-d": ISO,
    "dmy": DAY_FIRST,
    "d/m/y": DAY_FIRST,
    "day-first": DAY_FIRST,
    "dayfirst": DAY_FIRST,
    "mdy": MONTH_FIRST,
    "m/d/y": MONTH_FIRST,
    "month-first": MONTH_FIRST,
    "monthfirst": MONTH_FIRST,
    "yyyymmdd": COMPACT,
    "excel": EXCEL,
    "serial": EXCEL,
}


class DateError(ValueError):
    """A value that is not a date in the column's format."""


def normalise_format(text: str) -> str:
    """A user's format as a named format or a ``strptime`` format; ValueError if unusable.

    >>> normalise_format("dd-mm-yyyy hh:mm"), normalise_format("DMY"), normalise_format("%Y%m%d")
    ('%d-%m-%Y %H:%M', 'dmy', 'yyyymmdd')
    """
    raw = text.strip()
    if raw.lower() in _ALIASES:
        return _ALIASES[raw.lower()]
    if "%" in raw:
        fmt = raw
    else:
        fmt, rest = "", raw.lower()
        while rest:
            for token, directive in _PATTERN_TOKENS:
                if rest.startswith(token):
                    fmt, rest = fmt + directive, rest[len(token) :]
                    break
            else:
                if rest[0].isalnum():
                    raise ValueError(f"{text!r} is not a date format (e.g. dd/mm/yyyy, ymd)")
                fmt, rest = fmt + rest[0], rest[1:]
        # "mm" after an hour is minutes
        fmt = re.sub(r"(%H\W?)%m", r"\1%M", fmt)
    if fmt == "%Y%m%d":
        return COMPACT
    if ("%d" not in fmt and "%j" not in fmt) or ("%m" not in fmt and "%b" not in fmt):
        raise ValueError(f"{text!r} has no day or no month (e.g. dd/mm/yyyy)")
    return fmt


def parse(cell: Cell, fmt: str) -> date:
    """``cell`` read in the column's format ``fmt`` (a named or a ``strptime`` format)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if fmt in (EXCEL, ISO, DAY_FIRST, MONTH_FIRST):
            return _serial(float(cell))
        cell = str(int(cell)) if float(cell).is_integer() else str(cell)
    text = " ".join(str(cell).split())
    if fmt not in NAMED:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            raise DateError(f"{text!r} is not a date in the format {fmt}") from None
    found = _read(text, fmt)
    if found is None:
        raise DateError(f"{text!r} is not a date in the column's format ({describe(fmt)})")
    return found


def describe(fmt: str) -> str:
    return {
        ISO: "YYYY-MM-DD",
        DAY_FIRST: "day/month/year",
        MONTH_FIRST: "month/day/year",
        COMPACT: "YYYYMMDD",
        EXCEL: "Excel serial numbers",
        CJK: "YYYY年M月D日",
        MONTH_NAME: "day and month name",
    }.get(fmt, fmt)


def _read(text: str, fmt: str) -> date | None:
    if fmt == ISO:
        m = _ISO.match(text)
        return _ymd(int(m[1]), int(m[2]), int(m[3])) if m else None
    if fmt in (DAY_FIRST, MONTH_FIRST):
        m = _AB_Y.match(text)
        if m is None:
            return None
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        return _ymd(year, b, a) if fmt == DAY_FIRST else _ymd(year, a, b)
    if fmt == COMPACT:
        m = _COMPACT.match(text)
        return _ymd(int(m[1]), int(m[2]), int(m[3])) if m else None
    if fmt == EXCEL:
        return _serial(float(text)) if _SERIAL.match(text) else None
    if fmt == CJK:
        m = _CJK.match(text)
        return _ymd(int(m[1]), int(m[2]), int(m[3])) if m else None
    if fmt == MONTH_NAME:
        m = _D_MON_Y.match(text)
        if m and m[2].lower() in _MONTHS:
            return _ymd(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        m = _MON_D_Y.match(text)
        if m and m[1].lower() in _MONTHS:
            return _ymd(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _ymd(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2200:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _serial(value: float) -> date:
    if not 20_000 <= value <= 80_000:
        raise DateError(f"{value:g} is not a date (Excel serials run 20000..80000)")
    return _EXCEL_EPOCH + timedelta(days=int(value))


@dataclass(frozen=True)
class Detection:
    """A column's format: ``format`` fits ``fits`` of ``values`` distinct values; ``ambiguous``
    when day-first and month-first read every value (then ``format`` is None: ask)."""

    format: str | None
    fits: int
    values: int
    ambiguous: bool = False
    native: bool = False  # the cells are dates already (XLSX)

    @property
    def question(self) -> str | None:
        if not self.ambiguous:
            return None
        return (
            "every date in this column reads both as day/month/year and as month/day/year "
            "(no day above 12): choose dmy or mdy"
        )


def detect(cells: Iterable[Cell]) -> Detection:
    """The format reading the most distinct values of a column (ties: ISO, then named order).

    >>> detect(["01-02-2018 10:15", "13-02-2018 09:00"]).format
    'dmy'
    >>> detect(["01/02/2018", "03/04/2018"]).ambiguous
    True
    """
    texts: set[str] = set()
    native = 0
    numbers: set[float] = set()
    for cell in cells:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        if isinstance(cell, date):
            native += 1
        elif isinstance(cell, int | float) and not isinstance(cell, bool):
            numbers.add(float(cell))
        else:
            texts.add(" ".join(str(cell).split()))
    if not texts and not numbers:
        return Detection(None, native, native, native=native > 0)
    total = len(texts) + len(numbers)
    fits: dict[str, int] = {}
    for fmt in NAMED:
        n = sum(1 for t in texts if _read(t, fmt) is not None)
        if fmt == EXCEL:
            n += sum(1 for v in numbers if 20_000 <= v <= 80_000)
        elif fmt == COMPACT:
            n += sum(1 for v in numbers if v.is_integer() and _read(str(int(v)), fmt))
        fits[fmt] = n
    best = max(NAMED, key=lambda f: (fits[f], -NAMED.index(f)))
    if fits[best] == 0:
        return Detection(None, 0, total)
    slashed = sum(1 for t in texts if _AB_Y.match(t))
    if best in (DAY_FIRST, MONTH_FIRST) and fits[DAY_FIRST] == fits[MONTH_FIRST] == slashed:
        return Detection(None, fits[best], total, ambiguous=True)
    if best == ISO and fits[COMPACT] > fits[ISO]:
        best = COMPACT
    return Detection(best, fits[best], total)
