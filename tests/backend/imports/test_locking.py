"""No long locks (#11): a commit writes in short batches, so sign-ins and queries made while
it runs all succeed, on SQLite (WAL, busy timeout) and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from sqlalchemy import text
from sqlmodel import func, select

from backend.app import create_app
from backend.db.engine import BUSY_TIMEOUT_S
from backend.db.models import Deal, ImportRun
from backend.services.imports import loading, runs
from tests.backend.conftest import TEST_SETTINGS
from tests.backend.imports.generated import WriteTransactions, big_files
from tests.factories import TEST_PASSWORD, make_user, signed_in_headers

SETTINGS = TEST_SETTINGS.model_copy(
    update={"sign_in_limit_per_client": 10_000, "sign_in_limit_per_username": 10_000}
)
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  me { username } errors { code message } } }"""
READ = "{ me { username } importRuns(limit: 5) { id status } reps(first: 20) { totalCount } }"
COMMIT = """mutation($input: RunImportInput!) { commitImport(input: $input) {
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
    admin = await make_user(session, username="admin", role="admin")
    viewer = await make_user(session, username="viewer", role="hq_planner")
    run = await runs.create_run(session, actor="admin", source="big", files=big_files(10_000))
    await session.commit()
    as_admin = await signed_in_headers(session, user=admin, secret_key=SETTINGS.secret_key)
    as_viewer = await signed_in_headers(session, user=viewer, secret_key=SETTINGS.secret_key)
    app = create_app(SETTINGS, engine=engine)

    def client(headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers)

    outcomes: list[tuple[str, float, Any]] = []
    done = asyncio.Event()

    async def traffic() -> None:
        while not done.is_set():
            async with client() as http:
                started = time.perf_counter()
                vars_ = {"u": "viewer", "p": TEST_PASSWORD}
                response = await http.post("/graphql", json={"query": SIGN_IN, "variables": vars_})
                outcomes.append(("signIn", time.perf_counter() - started, response.json()))
            async with client(as_viewer) as http:
                started = time.perf_counter()
                response = await http.post("/graphql", json={"query": READ})
                outcomes.append(("read", time.perf_counter() - started, response.json()))
            await asyncio.sleep(0.02)

    async def commit() -> dict[str, Any]:
        async with client(as_admin) as http:
            response = await http.post(
                "/graphql", json={"query": COMMIT, "variables": {"input": {"runId": str(run.id)}}}
            )
            done.set()
            payload: dict[str, Any] = response.json()
            return payload

    with WriteTransactions(engine) as writes:
        started = time.perf_counter()
        committed, _ = await asyncio.gather(commit(), traffic())
        seconds = time.perf_counter() - started

    assert committed["data"]["commitImport"]["run"]["status"] == "committed", committed
    failures = [o for o in outcomes if "errors" in o[2] or _refused(o)]
    assert failures == [], failures[:3]
    assert sum(1 for kind, *_ in outcomes if kind == "signIn") >= 3
    # One transaction for the whole commit held SQLite's write lock for all of it.
    assert len(writes.durations) >= 10 and writes.longest < seconds / 2
    total = (await session.exec(select(func.count()).select_from(Deal))).one()
    assert total == 10_000
    stored = await session.get(ImportRun, run.id, populate_existing=True)
    assert stored is not None and stored.checkpoint["batches"] >= 10_000 // loading.BATCH_ROWS
    print(
        json.dumps(
            {
                "database": database_url.split(":")[0],
                "commit_s": round(seconds, 2),
                "write_transactions": len(writes.durations),
                "longest_write_s": round(writes.longest, 3),
                "requests": len(outcomes),
                "slowest_request_s": round(max(o[1] for o in outcomes), 3),
                "failed_requests": len(failures),
            }
        )
    )


def _refused(outcome: tuple[str, float, Any]) -> bool:
    kind, _, body = outcome
    return kind == "signIn" and bool(body["data"]["signIn"]["errors"])
