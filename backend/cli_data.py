"""The data commands of `quotient`: import files (or the bundled Maven sample) and export."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

T = TypeVar("T")
MAVEN_DIR = Path(__file__).resolve().parent.parent / "data" / "maven-crm"
MAVEN_FILES = ("sales_teams.csv", "products.csv", "accounts.csv", "sales_pipeline.csv")


def register(app: typer.Typer) -> None:
    """Add `import` and `export` to the main command."""
    app.command("import")(import_command)
    app.command("export")(export_command)


def _with_session(work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(session)`` on the configured database (migrated first), then commit."""
    from backend.db.engine import create_engine, session_factory
    from backend.db.migrate import upgrade_to_head
    from backend.settings import get_settings

    async def run() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            await upgrade_to_head(engine)
            async with session_factory(engine)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


def import_command(
    files: Annotated[list[str], typer.Argument(help="CSV/XLSX files, or `maven-sample`.")],
    source: Annotated[
        str, typer.Option(help="Source system (mappings are saved per source).")
    ] = "",
    dry_run: Annotated[bool, typer.Option(help="Report only; change nothing.")] = False,
    accept_fixes: Annotated[
        bool | None,
        typer.Option(
            "--accept-fixes/--no-accept-fixes",
            help="Apply every proposed fix (default: yes for maven-sample, no otherwise).",
        ),
    ] = None,
    as_of: Annotated[str, typer.Option(help="Import date (YYYY-MM-DD), default today.")] = "",
    show: Annotated[int, typer.Option(help="Rows shown per kind of problem.")] = 5,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="What the files hold (sales_lines, crm, hr, ...): KIND for every file, or "
            "FILE=KIND for one (repeatable). Default: detected from the columns.",
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='A column for a field: "COLUMN=field" (repeatable; "A + B=field" joins two '
            "columns). Applies to the files that have the column.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A constant for a field without a column, or the default of a mapped "
            'column\'s blank cells: "field=value", e.g. stage=won (repeatable).',
        ),
    ] = None,
    date_format: Annotated[
        list[str] | None,
        typer.Option(
            "--date-format",
            help="Date format: FMT for every date column, or field=FMT; FMT is dmy, mdy, ymd, "
            "yyyymmdd, excel, a pattern such as dd-mm-yyyy hh:mm, or a strptime format.",
        ),
    ] = None,
) -> None:
    """Import HR, org, CRM, sales-line, ERP or survey files (dry-run first if you like) and
    print the report.

    `quotient import maven-sample` imports the bundled Maven CRM sample, prints its cleansing
    report and then the 2018-Q1 monthly revenue targets per agent.

    The kind of each file and its mapping are detected (or taken from the mapping saved for
    the same source when the columns match); --kind, --map, --set and --date-format override
    them, and a committed run saves them for the next import from the same source.
    """
    from backend.services import imports
    from backend.services.errors import DomainError

    sample = files == ["maven-sample"]
    paths = [MAVEN_DIR / name for name in MAVEN_FILES] if sample else [Path(f) for f in files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise typer.BadParameter(f"no such file: {', '.join(missing)}")
    uploads = [imports.UploadedFile(p.name, p.read_bytes()) for p in paths]
    accept = sample if accept_fixes is None else accept_fixes
    day = date.fromisoformat(as_of) if as_of else None
    choices = _choices(kind or [], map_ or [], set_ or [], date_format or [])

    async def work(session: Any) -> Any:
        run = await _run(
            session,
            source=source or ("maven-crm" if sample else "files"),
            uploads=uploads,
            choices=choices,
            dry_run=dry_run,
            accept_all=accept,
            as_of=day,
        )
        targets = None
        if sample and not dry_run and run.status == "committed":
            targets = await _maven_targets(session)
        return run, targets

    try:
        run, targets = _with_session(work)
    except DomainError as refusal:
        for problem in refusal.problems:
            typer.echo(f"refused: {problem.field or ''} {problem.message}", err=True)
        raise typer.Exit(1) from None
    print_report(run, show=show)
    if targets is not None:
        print_targets(targets)
    if run.status == "failed":
        raise typer.Exit(1)


def _choices(kinds: list[str], maps: list[str], sets: list[str], formats: list[str]) -> Any:
    """The command's mapping options, checked before anything is read."""
    from backend.services.imports import dates
    from backend.services.imports.fields import KINDS
    from backend.services.imports.mapping import parse_assignments
    from backend.services.imports.options import Choices

    by_file: dict[str, str] = {}
    for item in kinds:
        name, _, chosen = item.rpartition("=")
        if chosen not in KINDS:
            raise typer.BadParameter(f"--kind {item!r}: a kind is one of {', '.join(KINDS)}")
        by_file[name.strip()] = chosen
    date_formats: dict[str, str] = {}
    for item in formats:
        name, sep, fmt = item.partition("=")
        field, fmt = (name.strip(), fmt) if sep and "%" not in name else ("", item)
        try:
            dates.normalise_format(fmt)
        except ValueError as exc:
            raise typer.BadParameter(f"--date-format: {exc}") from None
        date_formats[field] = fmt.strip()
    try:
        columns, constants = parse_assignments(maps, "map"), parse_assignments(sets, "set")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return Choices(by_file, columns, constants, date_formats)


async def _run(
    session: Any,
    *,
    source: str,
    uploads: list[Any],
    choices: Any,
    dry_run: bool,
    accept_all: bool,
    as_of: date | None,
) -> Any:
    """Upload, apply the mapping options, then dry-run or commit (the CLI is company-wide)."""
    from backend.services.imports import runs
    from backend.services.imports.options import apply

    principal = runs.system_principal("cli")
    run = await runs.create_run(session, actor="cli", source=source, files=uploads)
    assert run.id is not None
    await apply(session, run=run, principal=principal, choices=choices)
    return await runs.execute(
        session,
        principal=principal,
        run_id=run.id,
        dry_run=dry_run,
        accept_all=accept_all,
        as_of=as_of,
        progress=_progress,
    )


def _progress(phase: str, done: int, total: int) -> None:
    """Progress on stderr: every 2,000 rows of a large file, and at the end of each file."""
    if phase.startswith("loading") and (done == total or done % 2000 == 0):
        typer.echo(f"  {phase}: {done}/{total} rows", err=True)


async def _maven_targets(session: Any) -> Any:
    from backend.services.imports import maven_targets

    return await maven_targets.sample_targets(session)


def print_report(run: Any, *, show: int) -> None:
    report, counts = run.report, run.counts
    typer.echo(f"\nImport run {run.id} ({run.source}): {run.status.upper()} {run.message}")
    for f in report.get("files", []):
        excluded = f" excluded {f['excluded']:>4}" if f.get("excluded") else ""
        typer.echo(
            f"  {f['name']:<22} {f['kind']:<11} rows {f['rows']:>5}  imported {f['imported']:>5}"
            f"  fixed {f['fixed']:>5}  duplicates {f['duplicates']:>3}  rejected {f['rejected']:>4}"
            + excluded
        )
        mapped = ", ".join(f"{k}={v!r}" for k, v in f.get("mapping", {}).items())
        typer.echo(f"    mapping: {mapped}")
        for question in f.get("questions", []):
            typer.echo(f"    QUESTION: {question} (answer with --date-format)")
    for entity, c in counts.get("entities", {}).items():
        typer.echo(
            f"  {entity:<20} created {c['created']:>5}  updated {c['updated']:>5}"
            f"  unchanged {c['unchanged']:>5}"
        )
    typer.echo(f"  monthly actuals written: {counts.get('actuals_written', 0)}")
    typer.echo("\nProposed fixes (cleansing):")
    for p in report.get("proposals", []):
        state = "APPLIED" if p["accepted"] else "not applied"
        typer.echo(
            f"  [{p['id']}] {p['field']}: {p['value']!r} -> {p['replacement']!r} "
            f"({p['kind']}, score {p['score']}, {p['rows']} rows) {state}: {p['reason']}"
        )
    _print_issues(report.get("issues", []), show)


def _print_issues(issues: list[dict[str, Any]], show: int) -> None:
    groups: Counter[tuple[str, str, str, str]] = Counter()
    rows: dict[tuple[str, str, str, str], list[str]] = {}
    for i in issues:
        group = (i["severity"], i["file"], i["field"] or "-", _shape(i["problem"]))
        groups[group] += 1
        rows.setdefault(group, []).append(str(i["row"]) if i["row"] else "")
    typer.echo("\nIssues (severity, file, field, problem, count, first rows):")
    order = {"error": 0, "warning": 1, "fixed": 2, "info": 3}
    for group, n in sorted(groups.items(), key=lambda g: (order[g[0][0]], -g[1])):
        sample = ", ".join(r for r in rows[group][:show] if r)
        typer.echo(f"  {group[0]:<7} {group[1]} {group[2]}: {group[3]} x{n}  rows {sample}")


def _shape(problem: str) -> str:
    return problem if len(problem) < 110 else problem[:107] + "..."


def print_targets(targets: Any) -> None:
    months = [m.strftime("%Y-%m") for m in targets.months]
    common = (
        f"equal difficulty at P(achieve) {targets.probability:.3f}"
        if targets.probability is not None
        else "strategy ideals within bounds"
    )
    typer.echo(
        f"\n2018-Q1 revenue targets per agent (plan {targets.plan_id}): goal {targets.goal:,.2f}"
        f" (last quarter {targets.last_quarter_actual:,.2f} x 1.05); {common};"
        f" forecast: {targets.forecast_method}; {targets.relaxations} soft constraint(s) gave"
    )
    typer.echo(f"  {'agent':<22} {'history':>7} " + " ".join(f"{m:>18}" for m in months))
    for a in sorted(targets.agents, key=lambda a: -a.total):
        cells = " ".join(
            f"{v:>11,.2f} P={p:.2f}" for v, p in zip(a.months, a.probabilities, strict=True)
        )
        typer.echo(f"  {a.name:<22} {a.history_months:>5}mo {cells}")
    total = sum(a.total for a in targets.agents)
    typer.echo(f"  {'total':<22} {'':>7} {total:>18,.2f}")


def export_command(
    what: Annotated[str, typer.Argument(help="actuals, targets or import-report.")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    format: Annotated[str, typer.Option(help="csv or xlsx.")] = "csv",
    run: Annotated[int | None, typer.Option(help="Import run id (for import-report).")] = None,
) -> None:
    """Export targets, monthly actuals or an import report to CSV or XLSX."""
    from backend.services import exports
    from backend.services.access import SYSTEM
    from backend.services.errors import DomainError

    kinds: dict[str, Literal["actuals", "targets", "import_report"]] = {
        "actuals": "actuals",
        "targets": "targets",
        "import-report": "import_report",
    }
    if what not in kinds or format not in ("csv", "xlsx"):
        raise typer.BadParameter("export actuals|targets|import-report --format csv|xlsx")
    fmt: Literal["csv", "xlsx"] = "xlsx" if format == "xlsx" else "csv"

    async def work(session: Any) -> Any:
        # The command line is the operator: the system principal, so the whole company.
        return await exports.export(
            session, principal=SYSTEM, what=kinds[what], format=fmt, run_id=run
        )

    try:
        file = _with_session(work)
    except DomainError as refusal:
        typer.echo(f"refused: {refusal}", err=True)
        raise typer.Exit(1) from None
    out.write_bytes(file.data)
    typer.echo(f"wrote {out} ({len(file.data):,} bytes)")
