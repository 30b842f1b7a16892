"""Exports of targets, monthly actuals and import reports to CSV and XLSX.

CSV is UTF-8 with a byte-order mark (Excel then reads Chinese names correctly) and holds the
main table; XLSX holds every table of the export, one sheet each (an import report has its
issues, proposals and files).

Every export is limited to the caller's scope: actuals and targets hold only the reps the
caller may see (filtered in the query), and an import report needs the import permission.
Text cells that a spreadsheet would run as a formula are neutralised (see ``inert``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import imports as repo
from backend.services.access import Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode
from backend.services.imports import get_run
from backend.services.planning.common import PUBLISHED, plans_workflow

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
    session: AsyncSession,
    *,
    principal: Principal,
    what: ExportKind,
    format: ExportFormat,
    run_id: int | None = None,
) -> ExportFile:
    """One file with the requested table(s), holding only what ``principal`` may see.

    >>> # await export(session, principal=SYSTEM, what="actuals", format="xlsx")
    """
    _check_allowed(principal, what)
    if what == "actuals":
        sheets = [await _actuals(session, principal.scope)]
        stem = "actuals"
    elif what == "targets":
        sheets = [await _targets(session, principal)]
        stem = "targets"
    else:
        if run_id is None:
            raise DomainError.single(ErrorCode.INVALID, "name the import run", "runId")
        sheets = await _report(session, run_id, principal)
        stem = f"import-{run_id}-report"
    data = _xlsx(sheets) if format == "xlsx" else _csv(sheets[0])
    return ExportFile(f"{stem}.{format}", CONTENT_TYPES[format], data)


def _check_allowed(principal: Principal, what: ExportKind) -> None:
    """Exporting needs the export permission; an import report also the import permission."""
    if principal.scope.nothing or not principal.can(Action.EXPORT_DATA):
        raise DomainError.single(ErrorCode.FORBIDDEN, "you may not export data", "what")
    if what == "import_report" and not principal.can(Action.IMPORT_DATA):
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "import reports need the permission to import data", "what"
        )


async def _actuals(session: AsyncSession, scope: Scope) -> Sheet:
    found = await repo.actual_rows(session, scope_path=scope.org_path, scope_rep_id=scope.rep_id)
    header = ("rep_external_id", "rep_name", "team", "metric", "month", "value")
    return Sheet("actuals", header, [tuple(r) for r in found])


async def _targets(session: AsyncSession, principal: Principal) -> Sheet:
    """Targets in scope; drafts and submitted plans only for those who plan or approve (the
    same rule as reading a plan)."""
    scope = principal.scope
    found = await repo.target_rows(
        session,
        scope_path=scope.org_path,
        scope_rep_id=scope.rep_id,
        plan_statuses=None if plans_workflow(principal) else PUBLISHED,
    )
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
    return Sheet("targets", header, [tuple(r) for r in found])


async def _report(session: AsyncSession, run_id: int, viewer: Principal) -> list[Sheet]:
    report = (await get_run(session, run_id, viewer, field="runId")).report
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


#: First characters that make a spreadsheet treat a text cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading ``'``; others unchanged.

    Numbers, dates and booleans are left as they are: a negative number is not text.

    >>> inert("=1+2"), inert("-1"), inert(-1.5), inert("Li Na")
    ("'=1+2", "'-1", -1.5, 'Li Na')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sheet.header)
    writer.writerows([inert(v) for v in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for sheet in sheets:
        out = book.create_sheet(sheet.name)
        out.append(list(sheet.header))
        for row in sheet.rows:
            out.append([_xlsx_cell(out, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(out: Any, value: Any) -> Any:
    """Text as an explicit string cell: openpyxl would otherwise store ``=...`` as a formula."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(out, value=inert(value))
    cell.data_type = "s"
    return cell
