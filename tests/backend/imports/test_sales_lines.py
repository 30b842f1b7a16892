"""Sales lines end to end on the database: territories become reps hired at the history start,
cancelled lines are excluded and counted, actuals per month, unusable files fail with the
reason, CRM without a stage, the SAP bikes export through the CLI, and a 10,000-line export."""

from __future__ import annotations

import asyncio
import csv
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, func, select
from typer.testing import CliRunner

from backend.cli import app
from backend.db.models import Metric, MonthlyActual, Rep
from backend.services import imports
from backend.services.imports import runs
from backend.services.imports.options import Choices, apply
from backend.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"
SAP = Path(__file__).resolve().parents[3] / "data" / "sap-bikes"
AS_OF = date(2024, 6, 1)


async def _import(session, name: str, data: bytes, choices: Choices, *, dry_run: bool = False):
    principal = runs.system_principal("tester")
    run = await runs.create_run(
        session, actor="tester", source="test", files=[imports.UploadedFile(name, data)]
    )
    await apply(session, run=run, principal=principal, choices=choices)
    run = await runs.execute(
        session, principal=principal, run_id=run.id, dry_run=dry_run, as_of=AS_OF
    )
    await session.commit()
    return run


async def _revenue_by_month(session) -> dict[str, float]:
    metric = (await session.exec(select(Metric).where(Metric.code == "revenue"))).one()
    rows = await session.exec(
        select(MonthlyActual.month, func.sum(MonthlyActual.value))
        .where(MonthlyActual.metric_id == metric.id)
        .group_by(col(MonthlyActual.month))
    )
    return {m.isoformat()[:7]: round(v, 2) for m, v in rows.all() if v}


async def test_territories_become_reps_hired_at_the_history_start(session):
    data = (FIXTURES / "territory_lines.csv").read_bytes()
    run = await _import(session, "territory_lines.csv", data, Choices())
    assert run.status == "committed", run.message
    (summary,) = run.report["files"]
    assert summary["kind"] == "sales_lines"
    assert (summary["imported"], summary["excluded"], summary["rejected"]) == (3, 1, 0)
    reps = {r.name: r for r in (await session.exec(select(Rep))).all()}
    assert set(reps) == {"North-1", "South-7"}
    # South-7 first sold in June 2023: its hire date is the history start, not that order.
    assert {r.hire_date for r in reps.values()} == {date(2023, 1, 10)}
    problems = [i["problem"] for i in run.report["issues"]]
    assert any("history start 2023-01-10" in p for p in problems)
    assert any("1 cancelled lines" in p for p in problems)
    assert await _revenue_by_month(session) == {
        "2023-01": 100.0,
        "2023-06": 70.0,
        "2024-02": 1000.0,
    }


async def test_day_first_date_times_are_imported(session):
    data = (FIXTURES / "dates_dmy_time.csv").read_bytes()
    run = await _import(session, "d.csv", data, Choices(kinds={"": "sales_lines"}))
    assert run.status == "committed", run.message
    assert run.counts["imported"] == 3 and run.counts["actuals_written"] > 0
    assert await _revenue_by_month(session) == {"2024-01": 300.0, "2024-02": 300.0}


async def test_a_run_that_can_use_no_row_fails_with_the_reason(session):
    data = (FIXTURES / "all_rejected.csv").read_bytes()
    run = await _import(session, "bad.csv", data, Choices(kinds={"": "sales_lines"}), dry_run=True)
    assert run.status == "failed"
    assert "0 of 2 rows can be used" in run.message and "not a number" in run.message


async def test_ambiguous_dates_fail_the_dry_run_until_a_format_is_chosen(session):
    data = (FIXTURES / "dates_ambiguous.csv").read_bytes()
    run = await _import(session, "a.csv", data, Choices(kinds={"": "sales_lines"}), dry_run=True)
    assert run.status == "failed" and "dmy or mdy" in run.message
    run = await _import(
        session, "a.csv", data, Choices(kinds={"": "sales_lines"}, date_formats={"": "dmy"})
    )
    assert run.status == "committed", run.message
    assert await _revenue_by_month(session) == {
        "2024-01": 100.0,
        "2024-02": 200.0,
        "2024-03": 300.0,
    }


async def test_crm_without_a_stage_column_imports_won_deals(session):
    await _import(
        session,
        "reps.csv",
        b"name\nAnn Lee\nBob Ray\n",
        Choices(kinds={"": "hr"}, columns={"name": "name", "hire_date": "x"}),
    )
    data = (FIXTURES / "crm_won_only.csv").read_bytes()
    choices = Choices(
        kinds={"": "crm"},
        columns={"external_id": "deal", "rep": "agent", "closed_on": "closed", "value": "value"},
        constants={"created_on": "2024-01-01"},
    )
    run = await _import(session, "won.csv", data, choices)
    assert run.status == "committed", run.message
    assert run.counts["imported"] == 2
    assert await _revenue_by_month(session) == {"2024-01": 100.0, "2024-02": 200.0}


@pytest.fixture
def cli_database(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _sap_expected() -> dict[str, float]:
    """Non-cancelled net amounts summed per month, straight from the CSV."""
    out: dict[str, float] = defaultdict(float)
    with (SAP / "SalesOrders.csv").open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["LIFECYCLESTATUS"] != "X":
                day = row["CREATEDAT"]
                out[f"{day[:4]}-{day[4:6]}"] += float(row["NETAMOUNT"])
    return {m: round(v, 2) for m, v in out.items()}


SAP_ARGS = [
    "--source", "sap",
    "--kind", "Employees.csv=hr",
    "--kind", "SalesOrders.csv=sales_lines",
    "--map", "EMPLOYEEID=external_id",
    "--map", "NAME_FIRST + NAME_LAST=name",
    "--map", "VALIDITY_STARTDATE=hire_date",
    "--map", "CREATEDBY=rep",
    "--map", "CREATEDAT=date",
    "--map", "NETAMOUNT=amount",
    "--map", "LIFECYCLESTATUS=status",
    "--map", "SALESORDERID=order_id",
    "--map", "PARTNERID=customer",
]  # fmt: skip


def _in_database(url: str, work):
    from backend.db.engine import create_engine, session_factory

    async def run():
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _sap_state(session):
    reps = (await session.exec(select(Rep))).all()
    return [r.external_id for r in reps], await _revenue_by_month(session)


def test_sap_bikes_import_through_the_cli(cli_database):
    files = [str(SAP / "Employees.csv"), str(SAP / "SalesOrders.csv")]
    runner = CliRunner()
    result = runner.invoke(app, ["import", *files, *SAP_ARGS, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "DRY_RUN" in result.output and "excluded    3" in result.output
    result = runner.invoke(app, ["import", *files, *SAP_ARGS])
    assert result.exit_code == 0, result.output
    assert "COMMITTED" in result.output
    rep_ids, revenue = _in_database(cli_database, _sap_state)
    assert len(rep_ids) == 14
    assert all(r.startswith("00000000") for r in rep_ids)  # leading zeros kept
    assert revenue == _sap_expected()
    # The same export next month maps itself from the saved mappings: nothing changes.
    result = runner.invoke(app, ["import", *files, "--source", "sap"])
    assert result.exit_code == 0, result.output
    assert "created     0  updated     0  unchanged   331" in result.output


async def test_ten_thousand_order_lines_with_doubled_quotes(session):
    lines = ["Order ID,Order Date,Territory,Product Name,Sales"]
    lines += [
        f"{i:06d},{i % 28 + 1:02d}-{i % 12 + 1:02d}-2023 10:{i % 60:02d},T{i % 25},"
        f'"Chair ""{i % 40}"", grey",{i % 90 + 10}'
        for i in range(10_000)
    ]
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    dry = await _import(session, "big.csv", data, Choices(), dry_run=True)
    done = await _import(session, "big.csv", data, Choices())
    elapsed = time.perf_counter() - started
    assert dry.status == "dry_run" and done.status == "committed", done.message
    assert done.counts["rows"] == 10_000 and done.counts["imported"] == 10_000
    expected = sum(i % 90 + 10 for i in range(10_000))
    assert sum((await _revenue_by_month(session)).values()) == expected
    print(f"10,000 lines: dry run + commit {elapsed:.1f} s")
    assert elapsed < 30
