"""Engine and session factory: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.

On SQLite every connection runs in WAL mode (readers never wait for the writer) with a busy
timeout: a writer waits up to ``BUSY_TIMEOUT_S`` for the write lock instead of failing with
"database is locked". Long writes (an import's commit) are cut into short transactions, so a
concurrent writer (a sign-in) waits for one batch, not the whole commit.

SQLite has one write lock per database. Work whose writes are thrown away (an import's dry run)
runs on ``private_copy``: a snapshot taken with SQLite's online backup API (a reader: writers
go on meanwhile) into a temporary file with its own engine, so its writes lock nobody out.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

BUSY_TIMEOUT_S = 15


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, echo=echo, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects readable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


async def in_transaction(session: AsyncSession) -> bool:
    """Whether the SQLite connection of ``session`` is inside a transaction: it has written
    (Python's sqlite3 begins one before the first write only) and may hold the write lock."""
    return bool((await _driver_connection(session)).in_transaction)


@asynccontextmanager
async def private_copy(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A session on a private copy of ``session``'s SQLite database, deleted on exit: what is
    written there is seen by nobody else and locks nobody out of the database.

    The copy is one step of the online backup API through ``session``'s own connection (so an
    in-memory database is copied too): a consistent snapshot read as one read transaction,
    which in WAL mode neither waits for nor blocks writers. The connection must be outside a
    transaction (``in_transaction``): a backup from a connection holding uncommitted writes
    never completes. The copy is a temporary file (``TMPDIR``), not memory: the database holds
    every import's files and may be large."""
    source = await _driver_connection(session)
    with tempfile.TemporaryDirectory(prefix="quotient-copy-") as folder:
        path = Path(folder) / "copy.db"
        target = sqlite3.connect(path, check_same_thread=False)  # written in aiosqlite's thread
        backup = asyncio.ensure_future(source.backup(target))
        # Closed once the backup is over, even when the caller is cancelled meanwhile (it goes
        # on in aiosqlite's thread: closing the copy under it is not safe).
        backup.add_done_callback(lambda _: target.close())
        await asyncio.shield(backup)
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            async with session_factory(engine)() as copy:
                yield copy
        finally:
            await engine.dispose()


async def _driver_connection(session: AsyncSession) -> Any:
    """The aiosqlite connection under ``session``'s (the session's transaction begun)."""
    connection = await (await session.connection()).get_raw_connection()
    assert connection.driver_connection is not None
    return connection.driver_connection
