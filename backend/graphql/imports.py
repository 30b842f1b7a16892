"""Imports over GraphQL: upload -> suggested mapping -> adjust -> dry run -> confirm fixes ->
commit -> history; and exports of actuals, targets and import reports as base64 files.

Every mutation runs through ``atomic`` (one transaction; a refusal changes nothing). The
file itself travels as a GraphQL multipart upload (``Upload`` scalar).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncGenerator
from enum import Enum
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from backend.db.models import ImportFile as ImportFileModel
from backend.db.models import ImportRun as ImportRunModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic, or_graphql_error, query_id
from backend.graphql.types.common import UserError, parse_id
from backend.services import exports
from backend.services import imports as service
from backend.services.errors import DomainError, ErrorCode
from backend.services.imports.fields import KINDS
from backend.services.imports.mapping import MappingSpec, suggest_mapping
from backend.services.imports.parsing import date_columns

MAX_ISSUES_PAGE = 1000


@strawberry.enum(description="What a file holds.")
class ImportKind(Enum):
    ORG = "org"
    HR = "hr"
    ACCOUNTS = "accounts"
    PRODUCTS = "products"
    CRM = "crm"
    SALES_LINES = "sales_lines"
    INVOICES = "invoices"
    PAYMENTS = "payments"
    SATISFACTION = "satisfaction"


@strawberry.enum(description="What to export.")
class ExportKind(Enum):
    ACTUALS = "actuals"
    TARGETS = "targets"
    IMPORT_REPORT = "import_report"


@strawberry.enum(description="File format of an export.")
class ExportFormat(Enum):
    CSV = "csv"
    XLSX = "xlsx"


@strawberry.type(description="A field a file of some kind can carry.")
class ImportField:
    name: str = strawberry.field(description="Field name, used in mappings.")
    type: str = strawberry.field(description="text, date, number or integer.")
    required: bool = strawberry.field(description="Rows without it are rejected.")
    description: str = strawberry.field(description="What the field means.")


@strawberry.type(description="A kind of import file and its fields.")
class ImportKindInfo:
    kind: ImportKind = strawberry.field(description="The kind.")
    description: str = strawberry.field(description="What such a file holds.")
    fields: list[ImportField] = strawberry.field(description="Its fields.")


@strawberry.type(description="One field mapped to one column of the file.")
class FieldMapping:
    field: str = strawberry.field(description="Our field.")
    column: str = strawberry.field(description="The file's column.")


@strawberry.type(description="A column suggested for a field from the column names (fuzzy).")
class MappingSuggestion:
    field: str = strawberry.field(description="Our field.")
    column: str = strawberry.field(description="Suggested column.")
    score: float = strawberry.field(description="Name similarity, 0..100.")


@strawberry.input(description="One field mapped to one column.")
class FieldMappingInput:
    field: str = strawberry.field(description="Our field.")
    column: str = strawberry.field(description="The file's column.")


@strawberry.type(description="A value given for a field: a constant, a default or a format.")
class FieldValue:
    field: str = strawberry.field(description="Our field.")
    value: str = strawberry.field(description="The value.")


@strawberry.input(description="A value for a field: a constant (or default), or a date format.")
class FieldValueInput:
    field: str = strawberry.field(description="Our field.")
    value: str = strawberry.field(description="The value.")


def _pairs(mapping: dict[str, Any]) -> list[FieldMapping]:
    columns = MappingSpec.of(mapping).columns
    return [FieldMapping(field=k, column=v) for k, v in columns.items()]


def _values(values: dict[str, str]) -> list[FieldValue]:
    return [FieldValue(field=k, value=v) for k, v in values.items()]


@strawberry.type(description="An uploaded file of an import run.")
class ImportFile:
    model: strawberry.Private[ImportFileModel]

    @strawberry.field(description="Id (for setImportMapping).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="File name as uploaded.")
    def file_name(self) -> str:
        return self.model.file_name

    @strawberry.field(description="SHA-256 of the content.")
    def sha256(self) -> str:
        return self.model.sha256

    @strawberry.field(description="Size in bytes.")
    def size_bytes(self) -> int:
        return self.model.size_bytes

    @strawberry.field(description="Detected or chosen kind; null if not recognised.")
    def kind(self) -> ImportKind | None:
        return ImportKind(self.model.kind) if self.model.kind else None

    @strawberry.field(description="The mapping in use (saved, suggested or adjusted).")
    def mapping(self) -> list[FieldMapping]:
        return _pairs(self.model.mapping)

    @strawberry.field(
        description="Constants of the mapping: the value of a field without a column, or the "
        "default of a mapped column's blank cells (e.g. stage = won)."
    )
    def constants(self) -> list[FieldValue]:
        return _values(MappingSpec.of(self.model.mapping).constants)

    @strawberry.field(
        description="Date formats of the mapping (dmy, mdy, ymd, yyyymmdd, excel or a "
        "strptime format), by date field; a field not listed is detected from its column."
    )
    def date_formats(self) -> list[FieldValue]:
        return _values(MappingSpec.of(self.model.mapping).date_formats)

    @strawberry.field(
        description="What the mapping must answer before the rows can be used, e.g. a date "
        "column whose every value reads both day-first and month-first (set its date format)."
    )
    def questions(self) -> list[str]:
        if not self.model.kind:
            return []
        table = service.runs.header_of(self.model)
        spec = MappingSpec.of(self.model.mapping)
        return [d.question for d in date_columns(table, self.model.kind, spec) if d.question]

    @strawberry.field(description="The file's columns, in order.")
    def columns(self) -> list[str]:
        return list(service.runs.header_of(self.model).header)

    @strawberry.field(description="Suggested columns for the fields of a kind (default: own).")
    def suggestions(self, kind: ImportKind | None = None) -> list[MappingSuggestion]:
        chosen = kind.value if kind else self.model.kind
        if not chosen:
            return []
        header = service.runs.header_of(self.model).header
        return [
            MappingSuggestion(field=s.field, column=s.column, score=s.score)
            for s in suggest_mapping(header, chosen)
        ]

    @strawberry.field(description="The first rows as text (at most 20).")
    def preview(self, rows: int = 5) -> list[list[str | None]]:
        table = service.runs.header_of(self.model)
        return [[None if c is None else str(c) for c in row] for row in table.rows[: min(rows, 20)]]


@strawberry.type(description="A problem of one row (row null: of the whole file).")
class ImportIssue:
    file: str = strawberry.field(description="File name.")
    row: int | None = strawberry.field(description="Line in the file (the header is line 1).")
    field: str | None = strawberry.field(description="Our field at fault.")
    severity: str = strawberry.field(description="error (rejected), warning, fixed or info.")
    problem: str = strawberry.field(description="What is wrong.")
    value: str | None = strawberry.field(description="The value as found.")
    suggestion: str = strawberry.field(description="Suggested fix.")
    fix_id: str | None = strawberry.field(description="The proposal that applies (if any).")
    code: str | None = strawberry.field(
        default=None,
        description="Why, for machines: OUT_OF_SCOPE (the row touches something outside your "
        "scope: refused); null for a problem of the data itself.",
    )


@strawberry.type(description="A fix found by cleansing, applied only once accepted.")
class ImportProposal:
    id: str = strawberry.field(description="Pass it in acceptedFixes to apply it.")
    file: str = strawberry.field(description="File name.")
    field: str = strawberry.field(description="kind.field, e.g. crm.product.")
    kind: str = strawberry.field(description="near_duplicate, unknown_reference, vocabulary...")
    value: str | None = strawberry.field(description="The value found.")
    replacement: str = strawberry.field(description="The proposed value.")
    score: float = strawberry.field(description="Confidence in percent, 0..100.")
    rows: int = strawberry.field(description="Rows concerned.")
    reason: str = strawberry.field(description="Why it is proposed.")
    accepted: bool = strawberry.field(description="Applied in this run's last pass.")


@strawberry.type(description="Rows created, updated and unchanged of one entity.")
class EntityCount:
    entity: str = strawberry.field(description="e.g. deal, rep, customer.")
    created: int = strawberry.field(description="New rows.")
    updated: int = strawberry.field(description="Changed rows.")
    unchanged: int = strawberry.field(description="Rows already up to date.")


@strawberry.type(description="One import: who, when, files, status, counts and the report.")
class ImportRun:
    model: strawberry.Private[ImportRunModel]

    @strawberry.field(description="Id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Source system; mappings are saved per source.")
    def source(self) -> str:
        return self.model.source

    @strawberry.field(description="Who ran it.")
    def actor(self) -> str:
        return self.model.actor

    @strawberry.field(description="uploaded, dry_run, committed or failed.")
    def status(self) -> str:
        return self.model.status

    @strawberry.field(description="When it was uploaded.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="When the last dry run or commit ended.")
    def finished_at(self) -> dt.datetime | None:
        return self.model.finished_at

    @strawberry.field(description="Why it failed, if it did.")
    def message(self) -> str:
        return self.model.message

    @strawberry.field(description="Totals: rows, imported, fixed, duplicates, rejected, ...")
    def counts(self) -> JSON:
        return JSON(self.model.counts)

    @strawberry.field(description="Created/updated/unchanged per entity.")
    def entities(self) -> list[EntityCount]:
        items = self.model.counts.get("entities", {}).items()
        return [EntityCount(entity=k, **v) for k, v in items]

    @strawberry.field(description="Proposed fixes of the last pass.")
    def proposals(self) -> list[ImportProposal]:
        return [ImportProposal(**p) for p in self.model.report.get("proposals", [])]

    @strawberry.field(description="Number of issues, optionally of one severity.")
    def issue_count(self, severity: str | None = None) -> int:
        return len(_issues(self.model, severity))

    @strawberry.field(description="A page of the per-row report.")
    def issues(
        self, severity: str | None = None, offset: int = 0, limit: int = 100
    ) -> list[ImportIssue]:
        page = _issues(self.model, severity)[offset : offset + min(limit, MAX_ISSUES_PAGE)]
        return [ImportIssue(**i) for i in page]

    @strawberry.field(description="The run's files.")
    async def files(self, info: Info) -> list[ImportFile]:
        async with info.context.db() as session:
            return [
                ImportFile(model=f) for f in await service.files_of(session, self.model.id or 0)
            ]


def _issues(run: ImportRunModel, severity: str | None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = run.report.get("issues", [])
    return [i for i in items if severity is None or i["severity"] == severity]


@strawberry.type(description="A file to download, base64-encoded.")
class ExportedFile:
    file_name: str = strawberry.field(description="Suggested file name.")
    content_type: str = strawberry.field(description="MIME type.")
    base64: str = strawberry.field(description="The content, base64.")


@strawberry.type(description="Result of an import mutation.")
class ImportRunPayload:
    run: ImportRun | None = strawberry.field(description="The run; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Result of setImportMapping.")
class ImportFilePayload:
    file: ImportFile | None = strawberry.field(description="The file; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.input(description="Files to import from one source.")
class UploadImportInput:
    source: str = strawberry.field(description="Source system, e.g. `crm`, `sap`, `hr`.")
    files: list[Upload] = strawberry.field(description="CSV or XLSX files (multipart).")


@strawberry.input(description="Choose a file's kind and map its columns.")
class SetImportMappingInput:
    run_id: strawberry.ID = strawberry.field(description="The run.")
    file_id: strawberry.ID = strawberry.field(description="The file.")
    kind: ImportKind = strawberry.field(description="What the file holds.")
    mapping: list[FieldMappingInput] = strawberry.field(description="Field -> column.")
    constants: list[FieldValueInput] = strawberry.field(
        default_factory=list,
        description="Constants (a field without a column) or defaults (a mapped column's "
        "blank cells), e.g. stage = won.",
    )
    date_formats: list[FieldValueInput] = strawberry.field(
        default_factory=list,
        description="Date format by date field: dmy, mdy, ymd, yyyymmdd, excel, a pattern "
        "such as dd-mm-yyyy hh:mm, or a strptime format.",
    )


@strawberry.input(description="Dry-run or commit a run with the fixes you accept.")
class RunImportInput:
    run_id: strawberry.ID = strawberry.field(description="The run.")
    accepted_fixes: list[str] = strawberry.field(
        default_factory=list, description="Ids of the proposals to apply."
    )
    accept_all_fixes: bool = strawberry.field(default=False, description="Apply every proposal.")


async def _read(upload: Any, budget: int) -> service.UploadedFile:
    data = await upload.read(budget + 1)
    if len(data) > budget:
        service.runs.check_size([service.UploadedFile("", data)], budget)
    return service.UploadedFile(str(getattr(upload, "filename", "upload")), data)


async def _uploaded(files: list[Any]) -> list[service.UploadedFile]:
    out: list[service.UploadedFile] = []
    for upload in files:
        budget = service.MAX_IMPORT_BYTES - sum(len(f.data) for f in out)
        out.append(await _read(upload, budget))
    return out


def _run_payload(run: ImportRunModel | None, errors: list[UserError]) -> ImportRunPayload:
    return ImportRunPayload(run=ImportRun(model=run) if run else None, errors=errors)


@strawberry.type(description="Imports and exports.")
class ImportQuery:
    @strawberry.field(description="The kinds of file that can be imported, with their fields.")
    def import_kinds(self) -> list[ImportKindInfo]:
        return [
            ImportKindInfo(
                kind=ImportKind(k.name),
                description=k.description,
                fields=[
                    ImportField(
                        name=f.name, type=f.type, required=f.required, description=f.description
                    )
                    for f in k.fields
                ],
            )
            for k in KINDS.values()
        ]

    @strawberry.field(
        description="Import history, newest first: your own runs (every run for a company-wide "
        "principal); 1 to 500 per page."
    )
    async def import_runs(
        self, info: Info, source: str | None = None, offset: int = 0, limit: int = 50
    ) -> list[ImportRun]:
        async with info.context.db() as session:
            runs = await service.list_runs(
                session,
                viewer=info.context.principal,
                source=source,
                offset=offset,
                limit=limit,
            )
            return [ImportRun(model=r) for r in runs]

    @strawberry.field(
        description="One import run, or null: missing, or someone else's (only its uploader "
        "and company-wide principals see a run, its files and its report)."
    )
    async def import_run(self, info: Info, id: strawberry.ID) -> ImportRun | None:
        async with info.context.db() as session:
            run = await session.get(ImportRunModel, query_id(id))
            visible = run is not None and service.runs.can_see(run, info.context.principal)
            return ImportRun(model=run) if run is not None and visible else None

    @strawberry.field(description="Saved column mappings (set by committed imports).")
    async def import_mappings(self, info: Info, source: str | None = None) -> list[JSON]:
        async with info.context.db() as session:
            rows = await service.list_mappings(session, source=source)
            return [JSON({"source": m.source, "kind": m.kind, "mapping": m.mapping}) for m in rows]

    @strawberry.field(description="Actuals, targets or an import report as a CSV/XLSX file.")
    async def export_file(
        self,
        info: Info,
        what: ExportKind,
        format: ExportFormat = ExportFormat.CSV,
        run_id: strawberry.ID | None = None,
    ) -> ExportedFile:
        async with info.context.db() as session:
            file = await or_graphql_error(
                exports.export(
                    session,
                    principal=info.context.principal,
                    what=what.value,
                    format=format.value,
                    run_id=query_id(run_id, "runId") if run_id else None,
                )
            )
        encoded = base64.b64encode(file.data).decode()
        return ExportedFile(
            file_name=file.file_name, content_type=file.content_type, base64=encoded
        )


@strawberry.type(description="Import mutations.")
class ImportMutation:
    @strawberry.mutation(description="Upload files; each gets a detected kind and a mapping.")
    async def upload_import(self, info: Info, input: UploadImportInput) -> ImportRunPayload:
        try:
            files = await _uploaded(input.files)
        except DomainError as refusal:
            return _run_payload(None, [UserError.from_problem(p) for p in refusal.problems])
        run, errors = await atomic(
            info,
            lambda s: service.create_run(
                s, actor=info.context.actor, source=input.source, files=files
            ),
        )
        return _run_payload(run, errors)

    @strawberry.mutation(description="Set a file's kind and column mapping.")
    async def set_import_mapping(
        self, info: Info, input: SetImportMappingInput
    ) -> ImportFilePayload:
        file, errors = await atomic(
            info,
            lambda s: service.set_mapping(
                s,
                principal=info.context.principal,
                run_id=parse_id(input.run_id, "runId"),
                file_id=parse_id(input.file_id, "fileId"),
                kind=input.kind.value,
                mapping=MappingSpec(
                    {m.field: m.column for m in input.mapping},
                    {c.field: c.value for c in input.constants},
                    {d.field: d.value for d in input.date_formats},
                ).to_json(),
            ),
        )
        return ImportFilePayload(file=ImportFile(model=file) if file else None, errors=errors)

    @strawberry.mutation(description="Report what a commit would do; changes no business data.")
    async def dry_run_import(self, info: Info, input: RunImportInput) -> ImportRunPayload:
        return await _execute(info, input, dry_run=True)

    @strawberry.mutation(description="Import all or nothing; the report says what happened.")
    async def commit_import(self, info: Info, input: RunImportInput) -> ImportRunPayload:
        return await _execute(info, input, dry_run=False)


async def _execute(info: Info, input: RunImportInput, *, dry_run: bool) -> ImportRunPayload:
    async def run_import(session: Any) -> ImportRunModel:
        run_id = parse_id(input.run_id, "runId")
        return await service.execute(
            session,
            principal=info.context.principal,
            run_id=run_id,
            dry_run=dry_run,
            accepted_fixes=input.accepted_fixes,
            accept_all=input.accept_all_fixes,
            progress=service.progress_channel.reporter(run_id),
        )

    run, errors = await atomic(info, run_import)
    if run is not None and run.status == "failed":
        errors = [UserError(field=None, code=ErrorCode.INVALID, message=run.message)]
    return _run_payload(run, errors)


@strawberry.type(description="Progress of a running dry run or commit of an import.")
class ImportProgress:
    run_id: strawberry.ID = strawberry.field(description="The import run.")
    phase: str = strawberry.field(
        description="parsed, loading <file>, aggregating, done (the last step)."
    )
    done: int = strawberry.field(description="Units of the phase done (rows, files).")
    total: int = strawberry.field(description="Units of the phase in all.")
    fraction: float = strawberry.field(description="done / total, 0 to 1.")


async def import_progress(
    info: Info, run_id: strawberry.ID
) -> AsyncGenerator[ImportProgress, None]:
    """Steps of a dry run or commit of an import run that the caller may see (else NOT_FOUND)."""
    rid = query_id(run_id, "runId")
    async with info.context.db() as session:
        await or_graphql_error(service.get_run(session, rid, info.context.principal, field="runId"))
    async for event in service.progress_channel.subscribe(rid):
        yield ImportProgress(
            run_id=strawberry.ID(str(rid)),
            phase=event.stage,
            done=event.done,
            total=event.total,
            fraction=event.fraction,
        )
