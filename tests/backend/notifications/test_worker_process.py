"""Where the worker runs: in the server's lifespan (on unless turned off; off under tests) and
as `quotient worker`."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from sqlmodel import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from backend.app import create_app
from backend.cli import app as cli
from backend.db.engine import create_engine, session_factory
from backend.db.models import Job
from backend.services.jobs import enqueue
from backend.services.jobs.installed import installed
from backend.services.notifications.email import DigestDay, plan_digests
from backend.settings import Settings, get_settings
from tests.backend.notifications.conftest import SECRET

pytestmark = pytest.mark.timeout(60)


async def _enqueue(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await enqueue(session, kind=plan_digests, payload=DigestDay(day=date(2026, 1, 1)))
        await session.commit()
    await engine.dispose()


async def _states(url: str, *, scheduled: bool = False) -> list[str]:
    """The states of the jobs enqueued here (or, ``scheduled``, by the schedules)."""
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        jobs = (await session.exec(select(Job).order_by(Job.id))).all()
    await engine.dispose()
    return [j.state for j in jobs if (j.dedupe_key or "").startswith("schedule:") == scheduled]


def _wait_for(url: str, wanted: list[str], *, scheduled: bool = False) -> list[str]:
    deadline = time.monotonic() + 20
    while (states := asyncio.run(_states(url, scheduled=scheduled))) != wanted:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return states


def test_the_server_runs_the_worker_in_its_lifespan_and_stops_it_on_shutdown(database_url):
    settings = Settings(
        env="test",
        database_url=database_url,
        secret_key=SECRET,
        worker_in_process=True,
        worker_poll_seconds=0.05,
    )
    with TestClient(create_app(settings)):
        asyncio.run(_enqueue(database_url))
        assert _wait_for(database_url, ["done"]) == ["done"]
        every_schedule = ["done"] * len(installed()[1])  # e.g. the digest, alert evaluation
        assert _wait_for(database_url, every_schedule, scheduled=True) == every_schedule
    asyncio.run(_enqueue(database_url))
    time.sleep(0.3)  # a worker still running would take it
    assert asyncio.run(_states(database_url)) == ["done", "queued"]


def test_under_tests_the_server_runs_no_worker_unless_asked(database_url):
    settings = Settings(env="test", database_url=database_url, secret_key=SECRET)
    assert not settings.runs_worker_in_process
    assert Settings(env="development", worker_in_process=None).runs_worker_in_process
    with TestClient(create_app(settings)):
        asyncio.run(_enqueue(database_url))
        time.sleep(0.3)
    assert asyncio.run(_states(database_url)) == ["queued"]


@pytest.fixture
def cli_database(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_quotient_worker_once_runs_the_due_jobs_and_exits(cli_database):
    asyncio.run(_enqueue(cli_database))
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert f"ran {1 + len(installed()[1])} jobs" in result.output  # this one, each schedule's
    assert asyncio.run(_states(cli_database)) == ["done"]
