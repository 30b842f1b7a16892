"""Reading an uploaded XLSX's first sheet within fixed limits, whatever the file declares.

An XLSX is a zip of XML, and a small one can claim to be huge: ``<dimension ref="A1:XFD5001"/>``
makes openpyxl's read-only mode pad every row to 16,384 cells (a 42.6 KB file took 19 s and
1.2 GB), and a member can inflate a thousandfold. So the archive's declared sizes are checked
before anything is parsed (``zipfile`` never inflates a member past its declared size: it stops
there and fails the CRC), the sheet's declared dimension is ignored, and rows, columns and cells
are counted while they stream, refusing at the first limit passed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from backend.services.errors import DomainError, ErrorCode, FieldProblem


@dataclass(frozen=True)
class SheetLimits:
    """The most an uploaded sheet may hold; far above any real HR, CRM or ERP file."""

    rows: int = 500_000  # row positions, blank rows included
    columns: int = 1_000
    cells: int = 2_000_000
    uncompressed_bytes: int = 100 * 1024 * 1024


LIMITS = SheetLimits()


class SheetTooLarge(DomainError):
    """An upload beyond a reading limit, refused before or while reading (never half-read)."""

    @classmethod
    def beyond(cls, file_name: str, what: str) -> SheetTooLarge:
        return cls([FieldProblem(ErrorCode.INVALID, f"{file_name}: {what}", "files")])


def sheet_rows(file_name: str, data: bytes, limits: SheetLimits = LIMITS) -> list[tuple[Any, ...]]:
    """The values of the first sheet's rows, each as wide as its last real cell.

    >>> # sheet_rows("hr.xlsx", data)[0]  ->  ('employee_id', 'name', 'team')
    """
    check_archive(file_name, data, limits)
    book = _open(file_name, data)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size is a claim, not a fact
        return list(_capped(file_name, sheet.iter_rows(values_only=True), limits))
    finally:
        book.close()


def check_archive(file_name: str, data: bytes, limits: SheetLimits = LIMITS) -> None:
    """Refuse an archive whose members declare more than the limit once uncompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _unreadable(file_name, exc) from None
    if declared > limits.uncompressed_bytes:
        raise SheetTooLarge.beyond(
            file_name,
            f"the file unpacks to {declared:,} bytes, above the limit of "
            f"{limits.uncompressed_bytes:,} bytes",
        )


def _open(file_name: str, data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise _unreadable(file_name, exc) from None


def _unreadable(file_name: str, exc: Exception) -> DomainError:
    return DomainError.single(
        ErrorCode.INVALID, f"{file_name}: not a readable XLSX file ({exc})", "files"
    )


def _capped(
    file_name: str, rows: Iterable[tuple[Any, ...]], limits: SheetLimits
) -> Iterator[tuple[Any, ...]]:
    cells = 0
    for n, row in enumerate(rows, start=1):
        if n > limits.rows:
            raise SheetTooLarge.beyond(file_name, f"more than the limit of {limits.rows:,} rows")
        if len(row) > limits.columns:
            raise SheetTooLarge.beyond(
                file_name,
                f"row {n} has {len(row):,} columns, above the limit of {limits.columns:,}",
            )
        cells += len(row)
        if cells > limits.cells:
            raise SheetTooLarge.beyond(file_name, f"more than the limit of {limits.cells:,} cells")
        yield row
