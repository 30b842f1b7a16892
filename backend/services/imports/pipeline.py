"""One pass over a run's files: parse, cleanse (propose), validate, load, aggregate, report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import MonthlyActual
from backend.services import aggregation
from backend.services.access import EVERYTHING, Scope
from backend.services.errors import DomainError, ErrorCode
from backend.services.imports import cleansing as c
from backend.services.imports import sales_lines
from backend.services.imports import validation as v
from backend.services.imports.catalog import Catalog
from backend.services.imports.fields import APPLY_ORDER, SECTORS
from backend.services.imports.loading import Loader, Progress
from backend.services.imports.parsing import ParsedFile, Record, parse_file
from backend.services.imports.reading import read_table
from backend.services.imports.report import OUT_OF_SCOPE, FileReport, Issue, Proposal, Report


@dataclass(frozen=True)
class SourceFile:
    """A file to import with its kind and column mapping (field -> column)."""

    name: str
    kind: str
    mapping: dict[str, Any]
    data: bytes


@dataclass(frozen=True)
class Options:
    actor: str
    as_of: date
    accepted: frozenset[str] = frozenset()
    accept_all: bool = False
    dry_run: bool = True
    revenue_source: aggregation.RevenueSource = "deals"
    scope: Scope = EVERYTHING  # what the rows may change: each row outside it is refused


async def run_pipeline(
    session: AsyncSession, files: Sequence[SourceFile], options: Options, progress: Progress
) -> Report:
    """Everything an import does, in the caller's transaction; the caller keeps or drops it."""
    parsed = [parse_file(f.name, read_table(f.name, f.data), f.kind, f.mapping) for f in files]
    progress("parsed", len(parsed), len(parsed))
    catalog = await Catalog.load(session, options.scope)
    report = Report(dry_run=options.dry_run)
    report.proposals = _proposals(parsed, catalog, options.as_of)
    for proposal in report.proposals:
        proposal.accepted = options.accept_all or proposal.id in options.accepted
    c.apply_accepted(parsed, report.proposals)
    c.flag_unaccepted(parsed, report.proposals)
    _validate(parsed, report)
    report.issues += _reps_without_deals(parsed)
    loader = Loader(
        session,
        actor=options.actor,
        catalog=catalog,
        report=report,
        as_of=options.as_of,
        progress=progress,
    )
    loader.history_start = await history_start(session, parsed)
    for kind in APPLY_ORDER:
        for one in parsed:
            if one.kind == kind == "sales_lines":
                await sales_lines.load(loader, one)
            elif one.kind == kind:
                await getattr(loader, kind)(one)
    _refuse_unusable(parsed)
    for entity, n in catalog.created.items():
        report.count(entity).created += n
    progress("aggregating", 0, 1)
    report.actuals_written = await loader.aggregate(options.revenue_source)
    report.touched_reps = len({rep for rep, _ in loader.pairs})
    report.touched_months = sorted({m.isoformat()[:7] for _, m in loader.pairs})
    _summarise(parsed, files, report)
    progress("done", 1, 1)
    return report


def _proposals(parsed: list[ParsedFile], catalog: Catalog, as_of: date) -> list[Proposal]:
    names = {
        entity: c.Vocabulary(
            catalog.vocabulary(entity).canonical
            | {c.key(n): n for n in _file_values(parsed, kind, "name")}
        )
        for entity, kind in (("rep", "hr"), ("customer", "accounts"), ("product", "products"))
    }
    segments = c.Vocabulary.of(SECTORS)
    out: list[Proposal] = []
    for one in parsed:
        if one.kind == "hr":
            out += c.near_duplicates(one, "name", catalog.vocabulary("rep"))
            out += [p for f in ("manager", "region", "team") for p in c.near_duplicates(one, f)]
            if catalog.ranks:
                out += c.unknown_references(one, "rank", catalog.vocabulary("rank"), "rank")
        elif one.kind == "accounts":
            out += c.near_duplicates(one, "name", catalog.vocabulary("customer"))
            out += c.against_vocabulary(one, "segment", segments) + c.near_duplicates(
                one, "segment"
            )
        elif one.kind == "products":
            out += c.near_duplicates(one, "name", catalog.vocabulary("product"))
            out += c.near_duplicates(one, "line")
        elif one.kind in ("crm", "invoices", "satisfaction", "sales_lines"):
            out += _reference_proposals(one, names)
            out += v.default_proposals(one, as_of=as_of)
    unique: dict[tuple[str, str, str | None], Proposal] = {}
    for proposal in out:
        unique.setdefault((proposal.file, proposal.field, proposal.value), proposal)
    return list(unique.values())


def _reference_proposals(one: ParsedFile, names: dict[str, c.Vocabulary]) -> list[Proposal]:
    out = c.unknown_references(one, "rep", names["rep"], "rep")
    out += c.unknown_references(one, "customer", names["customer"], "account")
    if one.kind == "crm":
        out += c.unknown_references(one, "product", names["product"], "product")
        out += c.against_vocabulary(one, "stage", v.STAGE_VOCABULARY)
    return out


def _file_values(parsed: list[ParsedFile], kind: str, field: str) -> list[str]:
    return [
        r.values[field] for p in parsed if p.kind == kind for r in p.records if r.values.get(field)
    ]


def _validate(parsed: list[ParsedFile], report: Report) -> None:
    for one in parsed:
        v.check_required(one)
        if one.kind == "sales_lines":
            v.check_sales_lines(one)
        if one.kind == "crm":
            report.issues += v.check_deals(one)
        elif one.kind == "invoices":
            v.check_dates(one, "issued_on", "due_on")
        v.mark_duplicates(one)


def _reps_without_deals(parsed: list[ParsedFile]) -> list[Issue]:
    """HR rows naming a rep with no deal in this run's CRM files: kept, reported (new hires?)."""
    if not any(p.kind in ("crm", "sales_lines") for p in parsed):
        return []
    sellers = {c.key(r) for r in _file_values(parsed, "crm", "rep")}
    for one in parsed:
        if one.kind == "sales_lines":
            sellers |= sales_lines.seller_keys(one)
    return [
        Issue(
            one.name,
            record.row,
            "name",
            "info",
            "no deals in this import: kept as a rep (a new hire?)",
            value=record.values["name"],
        )
        for one in parsed
        if one.kind == "hr"
        for record in one.records
        if record.values.get("name")
        and not {c.key(record.values["name"]), c.key(record.values.get("external_id") or "")}
        & sellers
    ]


#: The dates of each kind of file that date sales (a deal engaged or closed, a line, an invoice).
SALES_DATES = {
    "crm": ("created_on", "closed_on"),
    "sales_lines": ("date",),
    "invoices": ("issued_on",),
}


async def history_start(session: AsyncSession, parsed: Sequence[ParsedFile]) -> date | None:
    """The earliest date of the company's sales data: this run's usable rows (a defaulted
    engage date does not count) and the months of the actuals already stored. None when
    there is none. A new rep without a hire date is hired then (see ``Loader._hire_date``)."""
    days = [
        day
        for one in parsed
        for record in one.records
        if record.ok
        for name in SALES_DATES.get(one.kind, ())
        if isinstance(day := record.values.get(name), date)
        and not (name == "created_on" and _defaulted(record))
    ]
    stored = (await session.exec(select(func.min(MonthlyActual.month)))).one()
    if stored is not None:
        days.append(stored)
    return min(days, default=None)


def _defaulted(record: Record) -> bool:
    return any(i.field == "created_on" and i.severity == "fixed" for i in record.issues)


def _summarise(parsed: list[ParsedFile], files: Sequence[SourceFile], report: Report) -> None:
    for one, source in zip(parsed, files, strict=True):
        summary = FileReport(one.name, one.kind, rows=len(one.records), mapping=source.mapping)
        summary.ignored_columns = one.ignored_columns
        summary.date_formats = dict(one.date_formats)
        summary.questions = list(one.questions)
        report.issues += one.notes
        for record in one.records:
            report.issues += record.issues
            if record.excluded is not None:
                summary.excluded += 1
            elif record.duplicate:
                summary.duplicates += 1
            elif record.errors:
                summary.rejected += 1
            elif record.fixes:
                summary.fixed += 1
            else:
                summary.imported += 1
        if one.ignored_columns:
            report.issues.append(
                Issue(
                    one.name,
                    None,
                    None,
                    "info",
                    f"columns not imported: {', '.join(one.ignored_columns)}",
                )
            )
        report.files.append(summary)


def _refuse_unusable(parsed: list[ParsedFile]) -> None:
    """A file of which no row can be used fails the run with the reasons (a dry run that would
    import nothing is not a success): the questions to answer, then the commonest problems."""
    reasons = []
    for one in parsed:
        candidates = [r for r in one.records if r.excluded is None]
        if not candidates or any(r.ok or r.duplicate or _refused(r) for r in candidates):
            continue  # rows refused for the caller's scope are reported, not a failed file
        problems: Counter[str] = Counter(
            f"{i.field or 'row'}: {_shape(i.problem)}"
            for r in candidates
            for i in r.issues
            if i.severity == "error"
        )
        top = "; ".join(f"{p} (x{n})" for p, n in problems.most_common(3))
        asked = " ".join(f"Answer first: {q}." for q in one.questions)
        reasons.append(f"{one.name}: 0 of {len(candidates)} rows can be used. {asked} {top}")
    if reasons:
        message = " | ".join(" ".join(r.split()) for r in reasons)
        raise DomainError.single(ErrorCode.INVALID, message, "files")


def _refused(record: Record) -> bool:
    return any(i.code == OUT_OF_SCOPE for i in record.issues)


def _shape(problem: str) -> str:
    """A problem without its quoted value, so rows with the same fault count together."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "…", problem)[:160]
