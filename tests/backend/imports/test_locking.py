"""No long locks (#11): sign-ins and queries made while an import runs all succeed, on SQLite
(WAL, busy timeout) and PostgreSQL.

A commit writes in short batches, the monthly actuals too (batches of whole reps). A dry run on
SQLite works on a private copy of the database, so it holds no write lock on it; on PostgreSQL
it keeps its savepoint, which locks only the rows it writes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import delete, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.app import create_app
from backend.cli_data import MAVEN_DIR, MAVEN_FILES
from backend.db.engine import BUSY_TIMEOUT_S
from backend.db.models import Deal, ImportRun, MonthlyActual
from backend.services import aggregation
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError
from backend.services.imports import UploadedFile, loading, runs
from backend.services.imports.pipeline import Options, run_pipeline
from backend.services.imports.report import Report
from tests.backend.conftest import TEST_SETTINGS
from tests.backend.imports.generated import (
    AS_OF,
    WriteTransactions,
    big_files,
    write_lock_free,
)
from tests.backend.imports.samples import sample_files
from tests.factories import TEST_PASSWORD, make_user, signed_in_headers

SETTINGS = TEST_SETTINGS.model_copy(
    update={"sign_in_limit_per_client": 10_000, "sign_in_limit_per_username": 10_000}
)
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  me { username } errors { code message } } }"""
READ = "{ me { username } importRuns(limit: 5) { id status } reps(first: 20) { totalCount } }"
COMMIT = """mutation($input: RunImportInput!) { commitImport(input: $input) {
  run { id status } errors { code message } } }"""
DRY_RUN = """mutation($input: RunImportInput!) { dryRunImport(input: $input) {
  run { id status } errors { code message } } }"""


async def test_sqlite_connections_run_in_wal_with_a_busy_timeout(engine, database_url):
    if not database_url.startswith("sqlite"):
        return
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == BUSY_TIMEOUT_S * 1000
        assert (await conn.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL


async def test_sign_ins_and_queries_succeed_during_a_commit_of_10000_deals(
    engine, session, database_url
):
    seen = await _under_traffic(engine, session, COMMIT, "commitImport")
    assert seen.payload["data"]["commitImport"]["run"]["status"] == "committed", seen.payload
    assert seen.failures == [], seen.failures[:3]
    assert sum(1 for kind, *_ in seen.outcomes if kind == "signIn") >= 3
    # One transaction for the whole commit held SQLite's write lock for all of it.
    assert len(seen.writes.durations) >= 10 and seen.writes.longest < seen.seconds / 2
    assert await _deals(session) == 10_000
    stored = await session.get(ImportRun, seen.run_id, populate_existing=True)
    assert stored is not None and stored.checkpoint["batches"] >= 10_000 // loading.BATCH_ROWS
    # The actuals of every rep-month touched, in batches of whole reps, each its own write
    # transaction that reads no deal once it has written (one pass over the 10,000 deals in
    # the last transaction held SQLite's lock longer than any batch of rows).
    actuals = [t for t in seen.writes.transactions if "monthly_actual" in t.writes]
    rep_months = len(
        (await session.exec(select(MonthlyActual.rep_id, MonthlyActual.month).distinct())).all()
    )
    assert len(actuals) >= math.ceil(rep_months / aggregation.PAIRS_PER_BATCH) >= 3
    assert [t for t in actuals if t.writes - {"monthly_actual", "import_run"}] == []
    assert [t for t in actuals if "deal" in t.reads_after_write] == []
    seen.print(database_url, "commit")


@dataclass
class Traffic:
    """What happened while an import ran under sign-ins and reads."""

    run_id: int
    payload: dict[str, Any]
    seconds: float
    writes: WriteTransactions
    outcomes: list[tuple[str, float, float, Any]] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[str, float, float, Any]]:
        return [o for o in self.outcomes if "errors" in o[3] or _refused(o)]

    @property
    def sign_ins_during(self) -> int:
        """Sign-ins answered before the import's own answer."""
        return sum(1 for kind, _, ended, _ in self.outcomes if kind == "signIn" and ended < 0)

    def print(self, database_url: str, step: str) -> None:
        print(
            json.dumps(
                {
                    "database": database_url.split(":")[0],
                    f"{step}_s": round(self.seconds, 2),
                    "write_transactions": len(self.writes.durations),
                    "longest_write_s": round(self.writes.longest, 3),
                    "requests": len(self.outcomes),
                    "sign_ins_during": self.sign_ins_during,
                    "slowest_request_s": round(max(o[1] for o in self.outcomes), 3),
                    "failed_requests": len(self.failures),
                }
            )
        )


async def _under_traffic(
    engine: AsyncEngine, session: AsyncSession, mutation: str, field_name: str
) -> Traffic:
    """Upload 10,000 deals, then run ``mutation`` on them over HTTP as an admin while a viewer
    signs in and reads again and again; an outcome's end is relative to the import's answer."""
    admin = await make_user(session, username="admin", role="admin")
    viewer = await make_user(session, username="viewer", role="hq_planner")
    run = await runs.create_run(session, actor="admin", source="big", files=big_files(10_000))
    await session.commit()
    assert run.id is not None
    as_admin = await signed_in_headers(session, user=admin, secret_key=SETTINGS.secret_key)
    as_viewer = await signed_in_headers(session, user=viewer, secret_key=SETTINGS.secret_key)
    app = create_app(SETTINGS, engine=engine)

    def client(headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers)

    outcomes: list[tuple[str, float, float]] = []
    bodies: list[Any] = []
    done = asyncio.Event()

    async def request(kind: str, http: httpx.AsyncClient, body: dict[str, Any]) -> None:
        started = time.perf_counter()
        response = await http.post("/graphql", json=body)
        outcomes.append((kind, started, time.perf_counter()))
        bodies.append(response.json())

    async def traffic() -> None:
        while not done.is_set():
            async with client() as http:
                vars_ = {"u": "viewer", "p": TEST_PASSWORD}
                await request("signIn", http, {"query": SIGN_IN, "variables": vars_})
            async with client(as_viewer) as http:
                await request("read", http, {"query": READ})
            await asyncio.sleep(0.02)

    async def run_import() -> tuple[dict[str, Any], float]:
        async with client(as_admin) as http:
            variables = {"input": {"runId": str(run.id)}}
            response = await http.post("/graphql", json={"query": mutation, "variables": variables})
            answered = time.perf_counter()
            done.set()
            payload: dict[str, Any] = response.json()
            return payload, answered

    with WriteTransactions(engine) as writes:
        started = time.perf_counter()
        (payload, answered), _ = await asyncio.gather(run_import(), traffic())
        seconds = answered - started
    assert field_name in payload.get("data", {}), payload
    return Traffic(
        run_id=run.id,
        payload=payload,
        seconds=seconds,
        writes=writes,
        outcomes=[
            (kind, ended - began, ended - answered, body)
            for (kind, began, ended), body in zip(outcomes, bodies, strict=True)
        ],
    )


def _refused(outcome: tuple[str, float, float, Any]) -> bool:
    kind, _, _, body = outcome
    return kind == "signIn" and bool(body["data"]["signIn"]["errors"])


# --- dry runs ----------------------------------------------------------------------------


async def test_a_dry_run_leaves_sqlite_free_to_write(engine, session, database_url):
    """Whoever else writes (a sign-in) gets SQLite's write lock at once at every step of a dry
    run of 10,000 lines: of an uploaded run (the API) and of one uploaded in the same
    transaction (the CLI). A dry run in a savepoint held it from its first write to the end."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock")
    uploaded = await runs.create_run(session, actor="a", source="big", files=big_files(10_000))
    await session.commit()
    assert uploaded.id is not None
    probes: list[tuple[str, bool]] = []

    def probe(phase: str, _done: int, _total: int) -> None:
        probes.append((phase, write_lock_free(database_url)))

    principal = runs.system_principal("a")
    run = await runs.execute(
        session, principal=principal, run_id=uploaded.id, dry_run=True, progress=probe
    )
    assert run.status == "dry_run", run.message
    await session.commit()
    cli = await runs.import_files(
        session, actor="cli", source="big", files=big_files(10_000), dry_run=True, progress=probe
    )
    assert cli.status == "dry_run", cli.message
    await session.commit()
    assert len(probes) > 40 and {p for p, _ in probes} >= {"loading sales_pipeline.csv"}
    assert [p for p in probes if not p[1]] == []
    assert await _deals(session) == 0


async def test_a_dry_run_goes_on_while_another_writer_holds_the_lock(session, database_url):
    """A dry run neither waits for SQLite's write lock nor takes it: another connection holds
    it from before the dry run to its last step (in a savepoint, the dry run's first write
    waited the busy timeout out and failed with "database is locked")."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock")
    uploaded = await runs.create_run(session, actor="a", source="s", files=big_files(2_000))
    await session.commit()
    assert uploaded.id is not None
    path = make_url(database_url).database
    assert path
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE import_run SET message = 'held' WHERE id = ?", (uploaded.id,))
    phases: list[str] = []

    def until_done(phase: str, _done: int, _total: int) -> None:
        phases.append(phase)
        if phase == "done":
            writer.execute("ROLLBACK")

    try:
        run = await runs.execute(
            session,
            principal=runs.system_principal("a"),
            run_id=uploaded.id,
            dry_run=True,
            as_of=AS_OF,
            progress=until_done,
        )
    finally:
        writer.close()
    assert (run.status, run.message, phases[-1]) == ("dry_run", "", "done")
    assert run.counts["entities"]["deal"]["created"] == 2_000
    await session.commit()


async def test_sign_ins_and_queries_succeed_during_a_dry_run_of_10000_deals(
    engine, session, database_url
):
    """On SQLite the dry run writes to its private copy: of it, the database sees only the
    run's outcome, in one short transaction; on PostgreSQL it keeps its savepoint open
    throughout, and sign-ins (which write a session row) still go through meanwhile: it
    locks only the rows it writes."""
    seen = await _under_traffic(engine, session, DRY_RUN, "dryRunImport")
    assert seen.payload["data"]["dryRunImport"]["run"]["status"] == "dry_run", seen.payload
    assert seen.failures == [], seen.failures[:3]
    assert seen.sign_ins_during >= 3, seen.outcomes
    [dry_run] = [t for t in seen.writes.transactions if "import_run" in t.writes]
    if database_url.startswith("sqlite"):
        # Only the run's outcome is written to the database, at the end (in a savepoint, the
        # dry run was one write transaction of all its rows, lasting nearly all of it).
        assert dry_run.writes == {"import_run"} and dry_run.seconds < 1.0, dry_run
    else:  # the savepoint's transaction is open throughout, and sign-ins go through meanwhile
        assert "deal" in dry_run.writes and dry_run.seconds > seen.seconds / 2, dry_run
    assert await _deals(session) == 0
    seen.print(database_url, "dry_run")


@dataclass
class Scenario:
    """Files to dry-run (after ``before`` is committed), by whom."""

    files: Callable[[], list[UploadedFile]]
    as_of: date
    before: Callable[[], list[UploadedFile]] | None = None
    scoped: bool = False
    accept_all: bool = True


UNUSABLE = "opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value\n" + "".join(
    f"X{i},Nobody {i},Won,2017-01-05,2017-03-01,not a number\n" for i in range(20)
)
SCOPED_HR = """sales_agent,emp_id,team,leave_date
North-0-0,E-North-0-0,North Team 0,2025-12-31
South-0-1,E-South-0-1,South Team 0,2025-06-30
"""
SCOPED_CRM = "opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value\n" + "".join(
    f"S{i},{rep},Won,2025-0{1 + i % 3}-05,2025-0{2 + i % 3}-01,{100 * i}\n"
    for i, rep in enumerate(["North-0-0", "South-0-1", "North-0-1", "South-1-2"] * 3)
)
SCENARIOS = {
    "proposals and bad rows, fixes accepted": Scenario(sample_files, date(2018, 1, 2)),
    "proposals and bad rows, none accepted": Scenario(
        sample_files, date(2018, 1, 2), accept_all=False
    ),
    "updates over an earlier commit": Scenario(
        lambda: big_files(2_500, seed=2), AS_OF, before=lambda: big_files(1_500, seed=1)
    ),
    "rows outside a branch's scope": Scenario(
        lambda: [
            UploadedFile("hr.csv", SCOPED_HR.encode()),
            UploadedFile("crm.csv", SCOPED_CRM.encode()),
        ],
        date(2025, 6, 30),
        scoped=True,
    ),
    "no usable row: failed": Scenario(
        lambda: [UploadedFile("crm.csv", UNUSABLE.encode())], date(2018, 1, 2)
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
async def test_a_dry_run_reports_what_a_dry_run_in_a_savepoint_reported(
    session, company, database_url, name
):
    """The dry run (on SQLite, on a private copy) gives the report, status and message the
    pipeline gives in a rolled-back savepoint of the caller's session (the dry run before the
    copy, kept on PostgreSQL), changes no data and announces nothing."""
    scenario = SCENARIOS[name]
    if scenario.before is not None:
        earlier = await runs.import_files(
            session, actor="a", source="s", files=scenario.before(), dry_run=False, as_of=AS_OF
        )
        assert earlier.status == "committed", earlier.message
        await session.commit()
    principal = runs.system_principal("a")
    if scenario.scoped:
        scope = Scope(org_path=company.branches[0].path)
        principal = dataclasses.replace(principal, scope=scope)
    run = await runs.create_run(session, actor="a", source="s", files=scenario.files())
    await session.commit()
    assert run.id is not None
    before = await _fingerprint(session)
    expected = await _in_a_savepoint(session, run, principal, scenario)
    events = ["an event of the caller's"]
    session.info["pending_events"] = list(events)

    done = await runs.execute(
        session,
        principal=principal,
        run_id=run.id,
        dry_run=True,
        accept_all=scenario.accept_all,
        as_of=scenario.as_of,
    )
    assert session.info["pending_events"] == events
    session.info.pop("pending_events")
    await session.commit()

    stored = await session.get(ImportRun, run.id, populate_existing=True)
    assert stored is not None
    assert (stored.status, stored.message, stored.report) == expected
    assert stored.counts == Report.from_json(stored.report).totals() == done.counts
    assert await _fingerprint(session) == before
    if name.startswith("no usable"):
        assert stored.status == "failed" and "0 of 20 rows" in stored.message
    else:
        assert stored.status == "dry_run" and stored.counts["changes"] > 0
    if scenario.scoped:
        assert any(i["code"] == "OUT_OF_SCOPE" for i in stored.report["issues"])
        assert any(i["code"] is None for i in stored.report["issues"])


async def _in_a_savepoint(
    session: AsyncSession, run: ImportRun, principal: Principal, scenario: Scenario
) -> tuple[str, str, dict[str, Any]]:
    """Status, message and report of the pipeline run in a savepoint of ``session`` that is
    rolled back: what ``runs.execute`` did for every dry run before the private copy."""
    options = Options(
        actor=principal.username,
        as_of=scenario.as_of,
        accept_all=scenario.accept_all,
        dry_run=True,
        scope=principal.scope,
    )
    sources = await runs._sources(session, run)
    savepoint = await session.begin_nested()
    try:
        report = await run_pipeline(session, sources, options, runs.no_progress)
    except (DomainError, SQLAlchemyError, ValueError) as failure:
        return "failed", runs._reason(failure), Report(dry_run=True).to_json()
    finally:
        await savepoint.rollback()
        session.info.pop("pending_events", None)
    return "dry_run", "", report.to_json()


async def _fingerprint(session: AsyncSession) -> dict[str, tuple[int, str]]:
    """Rows and a digest of the contents of every table but the runs' (a dry run records its
    outcome there)."""
    connection = await session.connection()
    names = await connection.run_sync(lambda c: inspect(c).get_table_names())
    out: dict[str, tuple[int, str]] = {}
    for name in sorted(set(names) - {"import_run"}):
        rows = (await connection.execute(text(f'SELECT * FROM "{name}"'))).all()
        digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        out[name] = (len(rows), digest)
    return out


async def _deals(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Deal))).one()


async def test_actuals_recomputed_in_batches_equal_one_pass(session, monkeypatch):
    """Batches of whole reps give the actuals one pass gives (the Maven sample: 8,800 deals,
    accounts won by several reps, so new customers and conversion are tested across reps)."""
    files = [UploadedFile(n, (MAVEN_DIR / n).read_bytes()) for n in MAVEN_FILES]
    run = await runs.import_files(
        session,
        actor="a",
        source="maven",
        files=files,
        dry_run=False,
        accept_all=True,
        as_of=date(2018, 1, 2),
    )
    assert run.status == "committed", run.message
    await session.commit()
    pairs = set((await session.exec(select(MonthlyActual.rep_id, MonthlyActual.month))).all())

    reps = len({rep for rep, _ in pairs})
    assert reps > 20

    async def recomputed(per_batch: int) -> tuple[dict[tuple[int, int, date], float], int]:
        """The actuals recomputed from scratch in batches of ``per_batch`` rep-months, and how
        many times the batches were kept."""
        monkeypatch.setattr(aggregation, "PAIRS_PER_BATCH", per_batch)
        await session.exec(delete(MonthlyActual))
        kept: list[int] = []

        async def keep() -> None:
            kept.append(1)

        await aggregation.recompute(session, pairs=pairs, keep=keep)
        rows = (await session.exec(select(MonthlyActual))).all()
        return {(a.rep_id, a.metric_id, a.month): round(a.value, 9) for a in rows}, len(kept)

    one_pass, kept = await recomputed(10**9)
    assert kept == 2 and len(one_pass) >= 3 * len(pairs)
    assert await recomputed(1) == (one_pass, 1 + reps)  # a batch per rep
    in_threes, kept = await recomputed(30)
    assert in_threes == one_pass and 2 < kept < 1 + reps
