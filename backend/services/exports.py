"""Exports of targets, monthly actuals and import reports to CSV and XLSX.

CSV is UTF-8 with a byte-order mark (Excel then reads Chinese names correctly) and holds the
main table; XLSX holds every table of the export, one sheet each (an import report has its
issues, proposals and files).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import imports as repo
from backend.services.errors import DomainError, ErrorCode
from backend.services.imports import get_run

ExportKind = Literal["actuals", "targets", "import_report"]
ExportFormat = Literal["csv", "xlsx"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class ExportFile:
    file_name: str
    content_type: str
    data: bytes


async def export(
    session: AsyncSession, *, what: ExportKind, format: ExportFormat, run_id: int | None = None
) -> ExportFile:
    """One file with the requested table(s).

    >>> # await export(session, what="actuals", format="xlsx")
    """
    if what == "actuals":
        sheets = [await _actuals(session)]
        stem = "actuals"
    elif what == "targets":
        sheets = [await _targets(session)]
        stem = "targets"
    else:
        if run_id is None:
            raise DomainError.single(ErrorCode.INVALID, "name the import run", "runId")
        sheets = await _report(session, run_id)
        stem = f"import-{run_id}-report"
    data = _xlsx(sheets) if format == "xlsx" else _csv(sheets[0])
    return ExportFile(f"{stem}.{format}", CONTENT_TYPES[format], data)


async def _actuals(session: AsyncSession) -> Sheet:
    rows = [tuple(r) for r in await repo.actual_rows(session)]
    header = ("rep_external_id", "rep_name", "team", "metric", "month", "value")
    return Sheet("actuals", header, rows)


async def _targets(session: AsyncSession) -> Sheet:
    rows = [tuple(r) for r in await repo.target_rows(session)]
    header = (
        "plan",
        "rep_external_id",
        "rep_name",
        "metric",
        "month",
        "value",
        "suggested",
        "probability",
        "locked",
    )
    return Sheet("targets", header, rows)


async def _report(session: AsyncSession, run_id: int) -> list[Sheet]:
    report = (await get_run(session, run_id)).report
    return [
        _dicts("issues", report.get("issues", []), ISSUE_COLUMNS),
        _dicts("proposals", report.get("proposals", []), PROPOSAL_COLUMNS),
        _dicts("files", report.get("files", []), FILE_COLUMNS),
    ]


ISSUE_COLUMNS = ("file", "row", "field", "severity", "problem", "value", "suggestion", "fix_id")
PROPOSAL_COLUMNS: tuple[str, ...] = ("id", "file", "field", "kind", "value", "replacement")
PROPOSAL_COLUMNS += ("score", "rows", "accepted", "reason")
FILE_COLUMNS = ("name", "kind", "rows", "imported", "fixed", "duplicates", "rejected")


def _dicts(name: str, items: Sequence[dict[str, Any]], columns: tuple[str, ...]) -> Sheet:
    return Sheet(name, columns, [tuple(item.get(c) for c in columns) for item in items])


def _csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sheet.header)
    writer.writerows(sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        out = book.create_sheet(sheet.name)
        out.append(list(sheet.header))
        for row in sheet.rows:
            out.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
