"""A commit stopped between batches (#11): the run is `interrupted` (at the next start-up after
a crash), and resuming it ends in the state an uninterrupted commit reaches; discarding it
keeps what was written, with consistent actuals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import Deal, ImportRun, Metric, MonthlyActual, Rep
from backend.services import aggregation
from backend.services.errors import DomainError
from backend.services.imports import runs
from backend.services.imports.loading import Loader
from tests.backend.conftest import TEST_SETTINGS
from tests.backend.imports.generated import AS_OF, big_files

ROOT = Path(__file__).resolve().parents[3]
DEALS = 3_000
CRASH = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import date
    from backend.db.engine import create_engine, session_factory
    from backend.services.imports import loading, runs

    loading.BATCH_ROWS = 500
    write, kept = runs._Batches.write, []

    async def write_then_die(self, loader):
        await write(self, loader)
        kept.append(1)
        if len(kept) == 4:  # HR, then 3 batches of deals: the process dies
            os.kill(os.getpid(), signal.SIGKILL)

    runs._Batches.write = write_then_die

    async def main(url, run_id):
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            await runs.execute(session, principal=runs.system_principal("cli"),
                               run_id=run_id, dry_run=False, accept_all=True,
                               as_of=date.fromisoformat(sys.argv[3]))

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)
SYSTEM = runs.system_principal("tester")


async def new_run(session: AsyncSession, deals: int = DEALS) -> int:
    run = await runs.create_run(session, actor="tester", source="big", files=big_files(deals))
    await session.commit()
    assert run.id is not None
    return run.id


async def commit(session: AsyncSession, run_id: int) -> ImportRun:
    run = await runs.execute(
        session, principal=SYSTEM, run_id=run_id, dry_run=False, accept_all=True, as_of=AS_OF
    )
    await session.commit()
    return run


async def state(session: AsyncSession) -> dict[str, Any]:
    """The business data, by natural keys (ids differ between databases)."""
    reps = {r.id: (r.name, r.hire_date) for r in (await session.exec(select(Rep))).all()}
    deals = (await session.exec(select(Deal).order_by(col(Deal.external_id)))).all()
    metrics = {m.id: m.code for m in (await session.exec(select(Metric))).all()}
    actuals = (await session.exec(select(MonthlyActual))).all()
    return {
        "reps": sorted(reps.values()),
        "deals": [
            (d.external_id, reps[d.rep_id][0], d.stage, d.created_on, d.closed_on, d.value)
            for d in deals
        ],
        "actuals": sorted(
            (reps[a.rep_id][0], metrics[a.metric_id], a.month, round(a.value, 6)) for a in actuals
        ),
    }


async def status_of(session: AsyncSession, run_id: int) -> ImportRun:
    run = await session.get(ImportRun, run_id, populate_existing=True)
    assert run is not None
    return run


async def count_deals(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Deal))).one()


@pytest.fixture
async def reference(sqlite_template: Path, tmp_path: Path) -> dict[str, Any]:
    """The state an uninterrupted commit of the same files reaches (on a fresh SQLite)."""
    path = tmp_path / "reference.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with session_factory(engine)() as session:
            run = await commit(session, await new_run(session))
            assert run.status == "committed"
            return await state(session)
    finally:
        await engine.dispose()


async def test_a_run_killed_mid_commit_is_interrupted_at_start_up_and_resumes_to_the_same_state(
    session, database_url, reference
):
    run_id = await new_run(session)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", CRASH, database_url, str(run_id), AS_OF.isoformat()]
    died = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert died.returncode == -9, died.stderr[-2000:]

    run = await status_of(session, run_id)
    assert run.status == "committing" and run.checkpoint["batches"] == 4
    assert await count_deals(session) == 1_500  # the 3 batches kept, the 4th lost with the crash

    app = create_app(TEST_SETTINGS.model_copy(update={"database_url": database_url}))
    async with app.router.lifespan_context(app):
        pass
    run = await status_of(session, run_id)
    assert run.status == "interrupted"
    assert "server stopped" in run.message and "resume" in run.message
    with pytest.raises(DomainError, match="already interrupted"):
        await commit(session, run_id)

    resumed = await runs.resume(session, principal=SYSTEM, run_id=run_id)
    await session.commit()
    assert resumed.status == "committed", resumed.message
    assert resumed.checkpoint["attempts"] == 2
    session.expunge_all()
    assert await state(session) == reference


async def test_an_error_between_batches_interrupts_the_run_and_discard_keeps_consistent_actuals(
    session, monkeypatch
):
    run_id = await new_run(session)
    deal, calls = Loader._deal, []

    def fail_at_2500(self: Loader, record: Any, existing: Any) -> None:
        calls.append(1)
        if len(calls) == 2_500:
            raise ValueError("disk on fire")
        deal(self, record, existing)

    monkeypatch.setattr(Loader, "_deal", fail_at_2500)
    run = await commit(session, run_id)
    assert run.status == "interrupted"
    assert "disk on fire" in run.message and "3 batch(es)" in run.message
    assert await count_deals(session) == 2_000  # two batches of 1,000 deals kept
    monkeypatch.setattr(Loader, "_deal", deal)

    discarded = await runs.discard(session, principal=SYSTEM, run_id=run_id)
    await session.commit()
    assert discarded.status == "discarded" and "kept" in discarded.message
    kept = await state(session)
    months = {(a.rep_id, a.month) for a in (await session.exec(select(MonthlyActual))).all()}
    closed = (await session.exec(select(Deal.rep_id, Deal.closed_on))).all()
    months |= {(rep, day.replace(day=1)) for rep, day in closed if day is not None}
    await aggregation.recompute(session, pairs=months)
    await session.commit()
    assert await state(session) == kept  # the actuals already matched the deals written
    with pytest.raises(DomainError, match="only an interrupted run"):
        await runs.resume(session, principal=SYSTEM, run_id=run_id)


async def test_an_interrupted_run_is_resumed_through_the_api(session, api, monkeypatch):
    run_id = await new_run(session, deals=1_500)
    deal, calls = Loader._deal, []

    def fail_once(self: Loader, record: Any, existing: Any) -> None:
        calls.append(1)
        if len(calls) == 1_200:
            raise ValueError("connection reset")
        deal(self, record, existing)

    monkeypatch.setattr(Loader, "_deal", fail_once)
    assert (await commit(session, run_id)).status == "interrupted"
    monkeypatch.setattr(Loader, "_deal", deal)

    mutation = """mutation($input: InterruptedImportInput!) {
      resumeImport(input: $input) { run { status } errors { code message } } }"""
    body = await api.data(mutation, input={"runId": str(run_id)})
    assert body["resumeImport"] == {"run": {"status": "committed"}, "errors": []}
    assert await count_deals(session) == 1_500
    again = await api.data(
        mutation.replace("resumeImport", "discardImport"), input={"runId": str(run_id)}
    )
    assert again["discardImport"]["errors"][0]["code"] == "CONFLICT"
