"""Import runs: dry run, commit, fixes, atomicity, idempotency, size cap, saved mappings."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from backend.db.models import (
    AuditEntry,
    Customer,
    Deal,
    ImportMapping,
    ImportRun,
    MonthlyActual,
    OrgUnit,
    Rank,
    Rep,
)
from backend.services import imports
from backend.services.errors import DomainError
from backend.services.imports.loading import Loader
from tests.backend.imports.samples import PIPELINE, sample_files

AS_OF = date(2018, 1, 2)
BUSINESS_TABLES = (Rep, Deal, Customer, OrgUnit, Rank, MonthlyActual)


async def count(session, model) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def business_counts(session) -> dict[str, int]:
    return {m.__name__: await count(session, m) for m in BUSINESS_TABLES}


async def run_sample(session, *, dry_run: bool, accept_all: bool = True):
    run = await imports.import_files(
        session,
        actor="tester",
        source="maven",
        files=sample_files(),
        dry_run=dry_run,
        accept_all=accept_all,
        as_of=AS_OF,
    )
    await session.commit()
    return run


def issues(run, **match):
    return [i for i in run.report["issues"] if all(i.get(k) == v for k, v in match.items())]


class TestDryRun:
    async def test_changes_no_business_data_but_reports_everything(self, session):
        run = await run_sample(session, dry_run=True)
        assert run.status == "dry_run"
        assert await business_counts(session) == {m.__name__: 0 for m in BUSINESS_TABLES}
        assert run.counts["entities"]["deal"]["created"] == 4
        proposals = {(p["value"], p["replacement"]) for p in run.report["proposals"]}
        assert ("GTXPro", "GTX Pro") in proposals
        assert ("technolgy", "technology") in proposals

    async def test_reports_each_bad_row_with_field_problem_and_suggestion(self, session):
        run = await run_sample(session, dry_run=True)
        [bad] = issues(run, row=6, field="value")
        assert bad["severity"] == "error"
        assert "abbreviated" in bad["problem"]
        assert bad["suggestion"] == "write the full amount"


class TestCommit:
    async def test_imports_every_row_or_reports_it(self, session):
        run = await run_sample(session, dry_run=False)
        assert run.status == "committed"
        pipeline = next(f for f in run.report["files"] if f["name"] == "sales_pipeline.csv")
        assert pipeline["rows"] == 5
        assert pipeline["imported"] + pipeline["fixed"] + pipeline["rejected"] == 5
        assert pipeline["rejected"] == 1  # D5: "$1.2k" is not guessed
        assert await count(session, Deal) == 4
        fixed = issues(run, row=2, field="product", severity="fixed")
        assert fixed and fixed[0]["value"] == "GTXPro" and fixed[0]["suggestion"] == "GTX Pro"

    async def test_keeps_agents_without_deals_with_a_default_rank(self, session):
        await run_sample(session, dry_run=False)
        zoe = (await session.exec(select(Rep).where(Rep.name == "Zoe Newhire"))).one()
        assert zoe.hire_date == date(2017, 1, 5)  # no deals: the history start, not AS_OF
        rank = await session.get(Rank, zoe.rank_id)
        assert rank.code == "JR"
        team = await session.get(OrgUnit, zoe.team_id)
        assert team.kind == "team" and team.name == "Team Cara Losch"
        anna = (await session.exec(select(Rep).where(Rep.name == "Anna Snelling"))).one()
        assert anna.hire_date == date(2017, 1, 5)  # the history start (also her first deal)

    async def test_unaccepted_reference_fixes_reject_their_rows(self, session):
        run = await run_sample(session, dry_run=False, accept_all=False)
        [error] = issues(run, row=2, field="product", severity="error")
        assert error["problem"] == "unknown product 'GTXPro'"
        assert await count(session, Deal) == 3

    async def test_the_same_files_twice_change_nothing(self, session):
        await run_sample(session, dry_run=False)
        before = await business_counts(session)
        again = await run_sample(session, dry_run=False)
        assert again.counts["changes"] == 0
        assert again.counts["actuals_written"] == 0
        assert await business_counts(session) == before

    async def test_a_failure_before_the_first_batch_changes_nothing(self, session, monkeypatch):
        async def explode(self, parsed):
            raise IntegrityError("INSERT rep", {}, Exception("boom"))

        monkeypatch.setattr(Loader, "hr", explode)
        run = await run_sample(session, dry_run=False)
        assert run.status == "failed"
        assert "changed nothing" in run.message
        assert await business_counts(session) == {m.__name__: 0 for m in BUSINESS_TABLES}
        assert await count(session, ImportRun) == 1
        assert await count(session, AuditEntry) == 0

    async def test_a_failure_midway_keeps_the_batches_written_and_interrupts_the_run(
        self, session, monkeypatch
    ):
        """Commits write in batches (tests/backend/imports/test_interrupted.py): the files
        before the failing one are kept, and the run can be resumed or discarded."""

        async def explode(self, parsed):
            raise IntegrityError("INSERT deal", {}, Exception("boom"))

        monkeypatch.setattr(Loader, "crm", explode)
        run = await run_sample(session, dry_run=False)
        assert run.status == "interrupted"
        assert "boom" in run.message and "resume" in run.message
        counts = await business_counts(session)
        assert counts["Deal"] == 0 and counts["Rep"] == 3
        assert await count(session, ImportRun) == 1

    async def test_records_who_when_which_files_and_saves_the_mapping(self, session):
        run = await run_sample(session, dry_run=False)
        assert run.actor == "tester" and run.finished_at is not None
        files = await imports.files_of(session, run.id)
        assert [len(f.sha256) for f in files] == [64] * 4
        saved = (await session.exec(select(ImportMapping).where(ImportMapping.kind == "crm"))).one()
        assert saved.mapping["rep"] == "sales_agent"


async def test_an_upload_over_the_cap_is_refused_with_a_clear_error(session):
    with pytest.raises(DomainError, match="capped at"):
        await imports.import_files(
            session,
            actor="t",
            source="s",
            files=sample_files(),
            dry_run=True,
            max_bytes=100,
        )


async def test_reads_xlsx_like_csv(session):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in PIPELINE.splitlines():
        sheet.append(line.split(",") if '"' not in line else [line])
    buffer = io.BytesIO()
    book.save(buffer)
    run = await imports.create_run(
        session,
        actor="t",
        source="crm",
        files=[imports.UploadedFile("deals.xlsx", buffer.getvalue())],
    )
    [file] = await imports.files_of(session, run.id)
    assert file.kind == "crm"
    assert file.mapping["rep"] == "sales_agent"


async def test_near_duplicate_names_in_one_column_are_proposed(session):
    hr = "sales_agent,manager,regional_office\nAnna Snelling,Dustin,Central\n"
    hr += "Anna Snelling,Dustin,Central\nAnna Sneling,Dustin,Central\nMoses Frase,Dustin,Centrl\n"
    run = await imports.import_files(
        session,
        actor="t",
        source="hr",
        files=[imports.UploadedFile("hr.csv", hr.encode())],
        dry_run=True,
    )
    proposals = {(p["field"], p["value"], p["replacement"]) for p in run.report["proposals"]}
    assert ("hr.name", "Anna Sneling", "Anna Snelling") in proposals
    assert ("hr.region", "Centrl", "Central") in proposals
    assert all(p["kind"] == "near_duplicate" for p in run.report["proposals"])
    assert run.counts["duplicates"] == 1  # the repeated Anna Snelling row
