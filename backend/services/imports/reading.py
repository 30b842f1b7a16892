"""Reading uploaded CSV and XLSX files into a header and rows of raw cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from backend.services.errors import DomainError, ErrorCode
from backend.services.imports.xlsx import sheet_rows

Cell = str | float | int | date | datetime | None


@dataclass(frozen=True)
class Table:
    """A file's header and data rows; ``rows[i]`` is file line ``i + 2`` (after the header)."""

    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def read_table(file_name: str, data: bytes) -> Table:
    """Parse CSV (UTF-8 with or without BOM, else GB18030) or XLSX (first sheet, within
    ``xlsx.LIMITS``).

    >>> read_table("a.csv", b"x,y\\n1,2\\n").rows
    [('1', '2')]
    """
    if file_name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _read_xlsx(file_name, data)
    return _read_csv(file_name, data)


def _decode(file_name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError.single(
        ErrorCode.INVALID, f"{file_name}: not UTF-8 or GB18030 text", "files"
    )  # pragma: no cover - gb18030 decodes any byte string


def _read_csv(file_name: str, data: bytes) -> Table:
    text = _decode(file_name, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    lines = [row for row in reader]
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise DomainError.single(ErrorCode.INVALID, f"{file_name}: the file has no header", "files")
    header = tuple(cell.strip() for cell in lines[0])
    rows = [_pad(tuple(row), len(header)) for row in lines[1:] if any(c.strip() for c in row)]
    return Table(header, rows)


def _read_xlsx(file_name: str, data: bytes) -> Table:
    values = sheet_rows(file_name, data)
    if not values:
        raise DomainError.single(ErrorCode.INVALID, f"{file_name}: the sheet is empty", "files")
    header = tuple("" if c is None else str(c).strip() for c in values[0])
    rows = [
        _pad(tuple(_cell(c) for c in row), len(header))
        for row in values[1:]
        if any(c not in (None, "") for c in row)
    ]
    return Table(header, rows)


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | float | int | date | datetime):
        return value
    return str(value)


def _pad(row: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    return row[:width] + (None,) * (width - len(row))
