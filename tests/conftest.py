"""Fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import create_engine, session_factory
from backend.db.migrate import upgrade_to_head

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
# One template per test process, so parallel runs (CI, a developer, a watcher) never collide.
PG_TEMPLATE = f"quotient_test_template_{os.getpid()}"


async def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    engine = create_async_engine(PG_ADMIN_URL)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")
        return None
    except Exception as exc:  # any failure to connect means: no server here
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {type(exc).__name__}"
    finally:
        await engine.dispose()


async def _pg_admin(*statements: str) -> None:
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for sql in statements:
                await conn.exec_driver_sql(sql)
    finally:
        await engine.dispose()


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade_to_head(engine)
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await engine.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    reason = asyncio.run(_pg_reachable())
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)

    async def build() -> None:
        await _pg_admin(
            f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {PG_TEMPLATE}"
        )
        engine = create_engine(_pg_url(PG_TEMPLATE))
        await upgrade_to_head(engine)
        await engine.dispose()

    asyncio.run(build())
    yield PG_TEMPLATE
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {PG_TEMPLATE} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test: a copied SQLite file or a cloned PG database."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"quotient_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f"CREATE DATABASE {name} TEMPLATE {template}"))
    yield _pg_url(name)
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with session_factory(engine)() as session:
        yield session


class StatementCounter:
    """Counts SQL statements sent on an engine while active."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.count += 1
        self.statements.append(statement)


@pytest.fixture
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine.sync_engine, "before_cursor_execute", counter)
