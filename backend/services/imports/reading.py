"""Reading uploaded CSV and XLSX files into a header and rows of raw cells.

CSV is read the way a data engineer would read it: the encoding from the bytes (see
``encodings``), the delimiter from the header line alone (the one that splits it into the most
columns, counted with quoting honoured), then every record with the full RFC 4180 quoting rules
(quoted delimiters and line breaks, doubled quotes ``""`` inside quoted text) by pandas' C
parser. Every cell stays text: ``0000000004`` keeps its zeros, ``NA`` is not a missing value.
A ragged file (a row with more cells than the header) is read with the same rules by Python's
``csv`` module so no row is dropped; the extra cells are kept and reported by the parser.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from backend.services.errors import DomainError, ErrorCode
from backend.services.imports.encodings import decode
from backend.services.imports.xlsx import sheet_rows

Cell = str | float | int | date | datetime | None
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Table:
    """A file's header and data rows; ``lines[i]`` is the file line of ``rows[i]`` (the header
    is line 1); ``overflow`` holds the row indexes that had more cells than the header."""

    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    encoding: str = ""
    delimiter: str = ""
    lines: list[int] = field(default_factory=list)
    overflow: frozenset[int] = frozenset()

    def line(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else index + 2


def read_table(file_name: str, data: bytes) -> Table:
    """Parse CSV (any common encoding, see ``encodings``) or XLSX (first sheet, within
    ``xlsx.LIMITS``).

    >>> read_table("a.csv", b'x,y\\n1,"say ""hi"", twice"\\n').rows
    [('1', 'say "hi", twice')]
    """
    if file_name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return _read_xlsx(file_name, data)
    return _read_csv(file_name, data)


def sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most columns (comma on a tie)."""
    best, width = ",", 1
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter, quotechar='"'), [])
        if len(cells) > width:
            best, width = delimiter, len(cells)
    return best


def _read_csv(file_name: str, data: bytes) -> Table:
    text, encoding = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first.strip():
        raise DomainError.single(ErrorCode.INVALID, f"{file_name}: the file has no header", "files")
    delimiter = sniff_delimiter(first)
    records = _records(text, delimiter)
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise DomainError.single(ErrorCode.INVALID, f"{file_name}: the file has no header", "files")
    header = _trim_header(tuple(cell.strip() for cell in records[0][1]))
    rows: list[tuple[Cell, ...]] = []
    lines: list[int] = []
    overflow: set[int] = set()
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            overflow.add(len(rows))
        rows.append(_pad(tuple(cells), len(header)))
        lines.append(line)
    return Table(header, rows, encoding, delimiter, lines, frozenset(overflow))


def _trim_header(header: tuple[str, ...]) -> tuple[str, ...]:
    """Drop trailing unnamed columns (``A,B,,,``): exports often pad the header with commas."""
    end = len(header)
    while end > 1 and not header[end - 1]:
        end -= 1
    return header[:end]


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each record with the file line it starts on (1-based)."""
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quotechar='"',
            doublequote=True,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError:
        return _records_ragged(text, delimiter)
    except pd.errors.EmptyDataError:
        return []
    values = frame.to_numpy(dtype=object).tolist()
    if any("\n" in str(cell) or "\r" in str(cell) for row in values for cell in row):
        return _records_ragged(text, delimiter)  # quoted line breaks: count lines exactly
    return [(n + 1, ["" if c is None else str(c) for c in row]) for n, row in enumerate(values)]


def _records_ragged(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    out: list[tuple[int, list[str]]] = []
    line = 1
    for row in reader:
        out.append((line, row))
        line = reader.line_num + 1
    return out


def _read_xlsx(file_name: str, data: bytes) -> Table:
    values = sheet_rows(file_name, data)
    if not values:
        raise DomainError.single(ErrorCode.INVALID, f"{file_name}: the sheet is empty", "files")
    header = _trim_header(tuple("" if c is None else str(c).strip() for c in values[0]))
    rows: list[tuple[Cell, ...]] = []
    lines: list[int] = []
    for n, row in enumerate(values[1:]):
        if any(c not in (None, "") for c in row):
            rows.append(_pad(tuple(_cell(c) for c in row), len(header)))
            lines.append(n + 2)
    return Table(header, rows, "xlsx", "", lines)


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, str | float | int | date | datetime):
        return value
    return str(value)


def _pad(row: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    return row[:width] + (None,) * (width - len(row))
