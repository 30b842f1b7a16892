"""The import use cases: upload, adjust the mapping, dry run, commit, history.

A run keeps its files, so a UI can upload, look at the suggested mapping, change it, dry-run
as often as it likes, confirm proposed fixes and commit. A dry run changes no business data:
it does all a commit does where the changes are thrown away, and only the run records its
outcome (``dry_run`` or ``failed``, the report) in the caller's session. On SQLite that place
is a private copy of the database (``engine.private_copy``: the online backup API into a
temporary file, dropped afterwards), so the dry run holds no write lock on the database: a
savepoint held SQLite's only write lock from its first write to the request's end (12-18 s
for 50,000 lines, past the busy timeout: a sign-in meanwhile failed with "database is
locked"). The caller's uncommitted writes (the CLI uploads the run in the same transaction)
are committed first, so the copy has them and no lock is held. On PostgreSQL the dry run runs
in a savepoint of the caller's session that is rolled back: it locks only the rows it writes.

A commit writes in batches of ``BATCH_ROWS`` rows, then the actuals of the rep-months touched
in batches of whole reps (``aggregation.PAIRS_PER_BATCH`` rep-months), each its own short
transaction, so other requests (a sign-in, a query) keep working while it runs; its last
transaction (the mappings saved, the audit row, the run's report) reads before it writes. The
run is ``committing`` meanwhile, its ``checkpoint`` updated with each batch. If the commit
stops between batches (an error, a cancelled request, a crash: the start-up marks a run left
``committing`` as ``interrupted``), what the batches wrote stays; the run is ``interrupted``
and can be resumed (the upserts are idempotent: the same files are applied again and end in
the state an uninterrupted commit reaches) or discarded (the rows written are kept and their
actuals recomputed; nothing else happens). A failure before the first batch is kept changes
nothing: the run is ``failed``.

A run, its files and its report are the uploader's: only they and company-wide principals see
it; anyone else is told it does not exist. Its rows change only what the caller's scope covers.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import in_transaction, is_sqlite, private_copy
from backend.db.models import ImportFile, ImportMapping, ImportRun, OrgUnit
from backend.db.repositories import imports as repo
from backend.services import aggregation, audit
from backend.services.access import SYSTEM, Action, Principal, Scope
from backend.services.alerts.jobs import request_evaluation
from backend.services.errors import DomainError, ErrorCode, Problems, not_found
from backend.services.imports.fields import KINDS
from backend.services.imports.loading import BATCHES, Loader, Pair, Progress
from backend.services.imports.mapping import detect_kind, mapping_problems, suggest_mapping
from backend.services.imports.pipeline import Options, SourceFile, run_pipeline
from backend.services.imports.reading import Table, read_table
from backend.services.imports.report import Report
from backend.services.progress import ProgressChannel

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
EDITABLE = ("uploaded", "dry_run", "failed")
RESUMABLE = ("interrupted",)

# Runs being committed by this process (the start-up sweep and a resume leave them alone).
_committing: set[int] = set()


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
    """Store the files of a new run with each file's detected kind and suggested mapping. A
    file whose kind is not recognised from its columns takes the kind (and mapping) of a mapping
    saved for the source that fits its header, as the CLI does (``options.saved_kind``)."""
    # options imports this module (files_of, set_mapping): imported here, not at the top.
    from backend.services.imports.options import saved_kind

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
        kind = detect_kind(table.header) or await saved_kind(session, run.source, table.header)
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
    """Dry-run or commit a run (see the module's docstring: a dry run's changes are made on a
    private copy of a SQLite database or in a savepoint on PostgreSQL, and thrown away; a
    commit's are kept batch by batch). The run itself always records the outcome.

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
    if not dry_run:
        return await _commit(session, principal, run, sources, options, progress, pairs=set())
    if await _lock_free(session):
        async with private_copy(session) as copy:
            outcome = await _dry_run(copy, sources, options, progress)
    else:
        events = list(session.info.get("pending_events", []))
        savepoint = await session.begin_nested()
        try:
            outcome = await _dry_run(session, sources, options, progress)
        finally:
            await savepoint.rollback()  # before the run records the outcome: it expires `run`
            session.info["pending_events"] = events
    if isinstance(outcome, Exception):
        return _finish(run, "failed", Report(dry_run=True), message=_reason(outcome))
    return _finish(run, "dry_run", outcome, accepted=_accepted(outcome))


async def _lock_free(session: AsyncSession) -> bool:
    """Whether a dry run goes to a private copy of the database: on SQLite, once ``session``
    holds no transaction (its uncommitted writes, e.g. the CLI's upload of the run, are
    committed first, as a commit does). On PostgreSQL (or a session joined to an outer
    transaction it cannot end) it runs in a savepoint of ``session``: PostgreSQL locks only
    the rows written, so other writers (a sign-in) go on."""
    if not is_sqlite(session):
        return False
    await session.flush()
    if await in_transaction(session):
        await session.commit()
    return not await in_transaction(session)


async def _dry_run(
    session: AsyncSession, sources: list[SourceFile], options: Options, progress: Progress
) -> Report | Exception:
    """The pipeline on ``session``, whose changes the caller throws away: its report, or why
    it failed."""
    try:
        return await run_pipeline(session, sources, options, progress)
    except (DomainError, SQLAlchemyError, ValueError) as failure:
        return failure


@dataclass
class _Batches:
    """A commit's BatchWriter: each batch commits with the run's checkpoint."""

    session: AsyncSession
    run: ImportRun
    pairs: set[Pair]
    events_kept: int = 0  # change events of the batches committed (published at the end)
    written: set[Pair] = field(default_factory=set)

    async def write(self, loader: Loader) -> None:
        checkpoint = self.run.checkpoint
        self.run.checkpoint = checkpoint | {
            "batches": checkpoint.get("batches", 0) + 1,
            "rows": loader.rows_done,
            "pairs": _pairs_json(loader.pairs),
            "at": _now().isoformat(),
        }
        await self.session.commit()
        self.events_kept = len(self.session.info.get("pending_events", []))


def _pairs_json(pairs: set[Pair]) -> list[list[Any]]:
    return [[rep, month.isoformat()] for rep, month in sorted(pairs)]


def _pairs_of(checkpoint: dict[str, Any]) -> set[Pair]:
    return {(int(rep), date.fromisoformat(month)) for rep, month in checkpoint.get("pairs", [])}


async def _commit(
    session: AsyncSession,
    principal: Principal,
    run: ImportRun,
    sources: list[SourceFile],
    options: Options,
    progress: Progress,
    *,
    pairs: set[Pair],
) -> ImportRun:
    """Write the run in batches (see the module's docstring); ``pairs`` are the rep-months
    an earlier attempt's batches touched."""
    assert run.id is not None
    previous = run.checkpoint or {}
    run.status, run.message, run.finished_at = "committing", "", None
    run.checkpoint = {
        "options": {
            "as_of": options.as_of.isoformat(),
            "accepted": sorted(options.accepted),
            "accept_all": options.accept_all,
            "revenue_source": options.revenue_source,
        },
        "batches": previous.get("batches", 0),
        "rows": 0,
        "pairs": _pairs_json(pairs),
        "attempts": previous.get("attempts", 0) + 1,
        "at": _now().isoformat(),
    }
    await session.commit()  # the run is `committing` for everyone from now on
    batches = _Batches(session, run, pairs)
    batches.events_kept = len(session.info.get("pending_events", []))
    session.info[BATCHES] = batches
    _committing.add(run.id)
    try:
        report = await run_pipeline(session, sources, options, progress)
        # The last transaction: reads first, and the run's report (a large JSON) made before
        # its first write, so it holds the write lock for the writes only. A failure from here
        # on is rolled back and the run refreshed (`_stopped`).
        org_path = await _org_path_of(session, principal.scope)
        kept = {k: run.checkpoint.get(k) for k in ("batches", "rows", "attempts")}
        run.checkpoint = kept
        _finish(run, "committed", report, accepted=_accepted(report))
        await _save_mappings(session, run, sources, options.actor)
        await audit.record(
            session,
            actor=options.actor,
            action="import",
            entity="import_run",
            entity_id=run.id,
            before=None,
            after={"source": run.source, "changes": report.changes},
            reason=", ".join(s.name for s in sources),
            org_path=org_path,
        )
        await request_evaluation(session)  # the alert rules look at the new actuals
    except (DomainError, SQLAlchemyError, ValueError) as failure:
        return await _stopped(session, run, batches, failure)
    except BaseException:  # cancelled (a client gone, Ctrl-C) or worse: keep what is written
        await asyncio.shield(_stopped_quietly(session, run, batches))
        raise
    finally:
        session.info.pop(BATCHES, None)
        _committing.discard(run.id)
    return run


async def _stopped(
    session: AsyncSession, run: ImportRun, batches: _Batches, failure: BaseException
) -> ImportRun:
    """The batch under way is rolled back; the run is interrupted, or failed if no batch was
    ever kept (then nothing changed)."""
    await session.rollback()
    session.info["pending_events"] = session.info.get("pending_events", [])[: batches.events_kept]
    await session.refresh(run)
    checkpoint = run.checkpoint or {}
    if checkpoint.get("batches"):
        message = _interrupted(checkpoint, _reason(failure, written=True))
        _finish(run, "interrupted", Report(dry_run=False), message=message)
    else:
        run.checkpoint = {}
        _finish(run, "failed", Report(dry_run=False), message=_reason(failure))
    await session.commit()
    return run


async def _stopped_quietly(session: AsyncSession, run: ImportRun, batches: _Batches) -> None:
    """Best effort after a cancellation: if the session cannot record it, the run stays
    ``committing`` and the next start-up marks it interrupted."""
    try:
        await _stopped(session, run, batches, RuntimeError("the commit was cancelled"))
    except Exception:  # the start-up sweep is the fallback
        return


async def resume(
    session: AsyncSession,
    *,
    principal: Principal,
    run_id: int,
    progress: Progress = no_progress,
) -> ImportRun:
    """Commit an interrupted run again with the options of its commit: rows already written
    are unchanged, the others written, and the actuals of every rep-month it touched
    recomputed, so it ends as an uninterrupted commit would have."""
    run = await _interrupted_run(session, principal, run_id, "resumed")
    sources = await _sources(session, run)
    saved = run.checkpoint.get("options") or {}
    options = Options(
        actor=principal.username,
        as_of=date.fromisoformat(saved["as_of"]) if saved.get("as_of") else date.today(),
        accepted=frozenset(saved.get("accepted") or ()),
        accept_all=bool(saved.get("accept_all")),
        dry_run=False,
        revenue_source="invoices" if saved.get("revenue_source") == "invoices" else "deals",
        scope=principal.scope,
    )
    pairs = _pairs_of(run.checkpoint)
    return await _commit(session, principal, run, sources, options, progress, pairs=pairs)


async def discard(session: AsyncSession, *, principal: Principal, run_id: int) -> ImportRun:
    """Give up an interrupted run: what its batches wrote is kept (each row a complete upsert)
    and the actuals of the rep-months they touched are recomputed, so the data agree."""
    run = await _interrupted_run(session, principal, run_id, "discarded")
    checkpoint = run.checkpoint or {}
    saved = checkpoint.get("options") or {}
    source: aggregation.RevenueSource = (
        "invoices" if saved.get("revenue_source") == "invoices" else "deals"
    )
    pairs = _pairs_of(checkpoint)
    written = await aggregation.recompute(session, pairs=pairs, revenue_source=source)
    await audit.record(
        session,
        actor=principal.username,
        action="import_discard",
        entity="import_run",
        entity_id=run.id,
        before={"status": run.status},
        after={"status": "discarded", "batches": checkpoint.get("batches", 0)},
        org_path=await _org_path_of(session, principal.scope),
    )
    run.status, run.finished_at = "discarded", _now()
    run.message = (
        f"discarded after {checkpoint.get('batches', 0)} batch(es) were written; they are kept "
        f"({written} monthly actuals recomputed): import the files again to complete them"
    )
    run.checkpoint = {k: checkpoint.get(k) for k in ("batches", "rows", "attempts")}
    return run


async def _interrupted_run(
    session: AsyncSession, principal: Principal, run_id: int, what: str
) -> ImportRun:
    run = await get_run(session, run_id, principal, field="runId")
    if run.status not in RESUMABLE or run_id in _committing:
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"import run {run_id} is {run.status}: only an interrupted run can be {what}",
            "runId",
        )
    return run


async def mark_interrupted(session: AsyncSession) -> list[int]:
    """At start-up: a run left ``committing`` (the process stopped during its commit) becomes
    ``interrupted``, to be resumed or discarded. Runs this process is committing are skipped
    (one server process per database is assumed: another process's commit is not seen)."""
    marked: list[int] = []
    for run in await repo.runs_with_status(session, "committing"):
        assert run.id is not None
        if run.id in _committing:
            continue
        checkpoint = run.checkpoint or {}
        run.status, run.finished_at = "interrupted", _now()
        run.message = _interrupted(checkpoint, "the server stopped during the commit")
        marked.append(run.id)
    await session.flush()
    return marked


async def sweep_interrupted(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    """``mark_interrupted`` in its own transaction (the app's start-up)."""
    async with sessions() as session:
        marked = await mark_interrupted(session)
        await session.commit()
    return marked


def _interrupted(checkpoint: dict[str, Any], reason: str) -> str:
    rows, n = checkpoint.get("rows", 0), checkpoint.get("batches", 0)
    return (
        f"{reason}; the commit stopped after {n} batch(es) ({rows} rows of this attempt) were "
        "written: resume it to finish, or discard it (what was written is kept)"
    )


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


def _reason(failure: BaseException, *, written: bool = False) -> str:
    """Why a run failed; ``written``: some of its batches may have been kept (the caller says)."""
    text = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
    if written:
        return f"the import failed: {text[:500]}"
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
