"""The import use cases: upload, adjust the mapping, dry run, commit, history.

A run keeps its files, so a UI can upload, look at the suggested mapping, change it, dry-run
as often as it likes, confirm proposed fixes and commit. A dry run changes no business data
(the work is done in a savepoint that is rolled back); a commit is all or nothing (a failure
rolls the savepoint back and the run is recorded as failed).

A run, its files and its report are the uploader's: only they and company-wide principals see
it; anyone else is told it does not exist. Its rows change only what the caller's scope covers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ImportFile, ImportMapping, ImportRun, OrgUnit
from backend.db.repositories import imports as repo
from backend.services import aggregation, audit
from backend.services.access import SYSTEM, Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode, Problems, not_found
from backend.services.imports.fields import KINDS
from backend.services.imports.loading import Progress
from backend.services.imports.mapping import detect_kind, mapping_problems, suggest_mapping
from backend.services.imports.pipeline import Options, SourceFile, run_pipeline
from backend.services.imports.reading import Table, read_table
from backend.services.imports.report import Report
from backend.services.progress import ProgressChannel

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
EDITABLE = ("uploaded", "dry_run", "failed")


@dataclass(frozen=True)
class UploadedFile:
    name: str
    data: bytes


# Live progress of dry runs and commits, by import run id (the `importProgress` subscription).
progress_channel = ProgressChannel()


def no_progress(phase: str, done: int, total: int) -> None:
    """The default progress callback: ignore."""


def _now() -> datetime:
    return datetime.now(UTC)


def check_size(files: Sequence[UploadedFile], max_bytes: int) -> None:
    """Refuse an upload over the cap with a readable error naming the sizes."""
    total = sum(len(f.data) for f in files)
    if total > max_bytes:
        raise DomainError.single(
            ErrorCode.INVALID,
            f"the upload is {total / 1e6:.1f} MB; imports are capped at {max_bytes / 1e6:.1f} MB "
            "per run: split the file",
            "files",
        )


async def create_run(
    session: AsyncSession,
    *,
    actor: str,
    source: str,
    files: Sequence[UploadedFile],
    max_bytes: int = MAX_IMPORT_BYTES,
) -> ImportRun:
    """Store the files of a new run with each file's detected kind and suggested mapping."""
    problems = Problems()
    if not source.strip():
        problems.invalid("source", "name the source system, e.g. `crm` or `sap`")
    if not files:
        problems.invalid("files", "upload at least one file")
    if len(files) > MAX_FILES:
        problems.invalid("files", f"at most {MAX_FILES} files per run")
    problems.raise_if_any()
    check_size(files, max_bytes)
    tables = [read_table(f.name, f.data) for f in files]
    run = ImportRun(source=source.strip(), actor=actor, status="uploaded")
    session.add(run)
    await session.flush()
    assert run.id is not None
    for position, (upload, table) in enumerate(zip(files, tables, strict=True)):
        kind = detect_kind(table.header) or ""
        mapping = await _initial_mapping(session, run.source, kind, table) if kind else {}
        session.add(
            ImportFile(
                run_id=run.id,
                position=position,
                file_name=upload.name,
                sha256=hashlib.sha256(upload.data).hexdigest(),
                size_bytes=len(upload.data),
                kind=kind,
                mapping=mapping,
                data=upload.data,
            )
        )
    await session.flush()
    return run


async def _initial_mapping(
    session: AsyncSession, source: str, kind: str, table: Table
) -> dict[str, str]:
    """The mapping saved for this source and kind if it fits the header, else the suggestion."""
    saved = await repo.saved_mapping(session, source, kind)
    if saved is not None and not mapping_problems(saved.mapping, table.header, kind):
        return dict(saved.mapping)
    return {s.field: s.column for s in suggest_mapping(table.header, kind)}


def sees_every_run(viewer: Principal) -> bool:
    """Company-wide principals (admin, HQ planner) see every run; others only their own."""
    scope = viewer.scope
    return scope.org_path is None and scope.rep_id is None and not scope.nothing


def can_see(run: ImportRun, viewer: Principal) -> bool:
    return sees_every_run(viewer) or (viewer.is_authenticated and run.actor == viewer.username)


async def get_run(
    session: AsyncSession, run_id: int, viewer: Principal | None = None, *, field: str = "id"
) -> ImportRun:
    """A run ``viewer`` may see (``None``: a trusted internal caller, e.g. the CLI); someone
    else's is NOT_FOUND, like a missing one, so ids leak nothing."""
    run = await session.get(ImportRun, run_id)
    if run is None or (viewer is not None and not can_see(run, viewer)):
        raise not_found("Import run", run_id, field=field)
    return run


def system_principal(actor: str) -> Principal:
    """The caller of a trusted entry point (the CLI, scripts): the whole company, as ``actor``."""
    return Principal(
        username=actor,
        role=SYSTEM.role,
        actions=frozenset(Action),
        scope=SYSTEM.scope,
        user_id=0,
        via="system",
    )


async def files_of(session: AsyncSession, run_id: int) -> Sequence[ImportFile]:
    return await repo.run_files(session, run_id)


def header_of(file: ImportFile) -> Table:
    return read_table(file.file_name, file.data)


async def set_mapping(
    session: AsyncSession,
    *,
    principal: Principal,
    run_id: int,
    file_id: int,
    kind: str,
    mapping: dict[str, str],
) -> ImportFile:
    """Change a file's kind and mapping before the run is committed."""
    run = await get_run(session, run_id, principal, field="runId")
    file = await session.get(ImportFile, file_id)
    if file is None or file.run_id != run_id:
        raise not_found("Import file", file_id, field="fileId")
    problems = Problems()
    if run.status not in EDITABLE:
        problems.invalid("runId", f"the run is {run.status}; start a new run")
    if kind not in KINDS:
        problems.invalid("kind", f"kind must be one of {', '.join(KINDS)}")
    else:
        for problem in mapping_problems(mapping, header_of(file).header, kind):
            problems.invalid("mapping", problem)
    problems.raise_if_any()
    file.kind, file.mapping = kind, dict(mapping)
    return file


async def _sources(session: AsyncSession, run: ImportRun) -> list[SourceFile]:
    files = await repo.run_files(session, run.id or 0)
    problems = Problems()
    for f in files:
        if not f.kind:
            problems.invalid("mapping", f"{f.file_name}: choose what kind of file this is")
        else:
            for problem in mapping_problems(f.mapping, header_of(f).header, f.kind):
                problems.invalid("mapping", f"{f.file_name}: {problem}")
    problems.raise_if_any()
    return [SourceFile(f.file_name, f.kind, dict(f.mapping), f.data) for f in files]


async def execute(
    session: AsyncSession,
    *,
    principal: Principal,
    run_id: int,
    dry_run: bool,
    accepted_fixes: Sequence[str] = (),
    accept_all: bool = False,
    as_of: date | None = None,
    revenue_source: aggregation.RevenueSource = "deals",
    progress: Progress = no_progress,
) -> ImportRun:
    """Dry-run or commit a run. The business changes happen in a savepoint: rolled back after a
    dry run or a failure, kept on success. The run itself always records the outcome.

    Each row is checked against the principal's scope, at the dry run and again at the commit
    (a rep may have moved in between): rows outside it are refused and change nothing."""
    actor = principal.username
    run = await get_run(session, run_id, principal, field="runId")
    if run.status not in EDITABLE:
        raise DomainError.single(
            ErrorCode.CONFLICT, f"import run {run_id} is already {run.status}", "runId"
        )
    sources = await _sources(session, run)
    options = Options(
        actor=actor,
        as_of=as_of or date.today(),
        accepted=frozenset(accepted_fixes),
        accept_all=accept_all,
        dry_run=dry_run,
        revenue_source=revenue_source,
        scope=principal.scope,
    )
    events = list(session.info.get("pending_events", []))
    savepoint = await session.begin_nested()
    try:
        report = await run_pipeline(session, sources, options, progress)
    except (DomainError, SQLAlchemyError, ValueError) as failure:
        await savepoint.rollback()
        session.info["pending_events"] = events
        return _finish(run, "failed", Report(dry_run=dry_run), message=_reason(failure))
    if dry_run:
        await savepoint.rollback()
        session.info["pending_events"] = events
        return _finish(run, "dry_run", report, accepted=_accepted(report))
    await savepoint.commit()
    await _save_mappings(session, run, sources, actor)
    await audit.record(
        session,
        actor=actor,
        action="import",
        entity="import_run",
        entity_id=run.id,
        before=None,
        after={"source": run.source, "changes": report.changes},
        reason=", ".join(s.name for s in sources),
        org_path=await _org_path_of(session, principal.scope),
    )
    return _finish(run, "committed", report, accepted=_accepted(report))


async def _org_path_of(session: AsyncSession, scope: Scope) -> str | None:
    """Where a run's own audit row belongs: the uploader's subtree (the root for the company),
    so only those who see that part of the company hear of it."""
    if scope.org_path is not None:
        return scope.org_path
    query = select(OrgUnit).where(col(OrgUnit.parent_id).is_(None)).order_by(col(OrgUnit.id))
    root = (await session.exec(query)).first()
    return root.path if root else None


def _accepted(report: Report) -> list[str]:
    return [p.id for p in report.proposals if p.accepted]


def _reason(failure: Exception) -> str:
    text = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
    return f"the import failed and changed nothing: {text[:500]}"


def _finish(
    run: ImportRun,
    status: str,
    report: Report,
    *,
    accepted: list[str] | None = None,
    message: str = "",
) -> ImportRun:
    run.status = status
    run.report = report.to_json()
    run.counts = report.totals()
    run.accepted_fixes = accepted or []
    run.finished_at = _now()
    run.message = message
    return run


async def _save_mappings(
    session: AsyncSession, run: ImportRun, sources: list[SourceFile], actor: str
) -> None:
    """The mappings of a committed run become the defaults for its source."""
    for source in sources:
        saved = await repo.saved_mapping(session, run.source, source.kind)
        if saved is None:
            saved = ImportMapping(source=run.source, kind=source.kind)
            session.add(saved)
        if saved.mapping != source.mapping:
            saved.mapping, saved.updated_at, saved.updated_by = dict(source.mapping), _now(), actor
    await session.flush()


async def list_runs(
    session: AsyncSession,
    *,
    viewer: Principal,
    source: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Sequence[ImportRun]:
    """Runs ``viewer`` may see, newest first: every run company-wide, else their own."""
    if sees_every_run(viewer):
        return await repo.runs_page(session, source=source, offset=offset, limit=limit)
    if not viewer.is_authenticated:
        return []
    query = select(ImportRun).where(ImportRun.actor == viewer.username)
    if source is not None:
        query = query.where(ImportRun.source == source)
    query = query.order_by(col(ImportRun.id).desc()).offset(offset).limit(limit)
    return (await session.exec(query)).all()


async def list_mappings(session: AsyncSession, *, source: str | None) -> Sequence[ImportMapping]:
    return await repo.mappings_of(session, source)


async def import_files(
    session: AsyncSession,
    *,
    actor: str,
    source: str,
    files: Sequence[UploadedFile],
    dry_run: bool,
    accept_all: bool = False,
    as_of: date | None = None,
    progress: Progress = no_progress,
    max_bytes: int = MAX_IMPORT_BYTES,
    principal: Principal | None = None,
) -> ImportRun:
    """Upload and dry-run or commit in one call, with the suggested mappings (CLI, scripts).

    Without a ``principal`` the caller is trusted with the whole company (the CLI)."""
    run = await create_run(session, actor=actor, source=source, files=files, max_bytes=max_bytes)
    assert run.id is not None
    return await execute(
        session,
        principal=principal or system_principal(actor),
        run_id=run.id,
        dry_run=dry_run,
        accept_all=accept_all,
        as_of=as_of,
        progress=progress,
    )
