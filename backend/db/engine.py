"""Engine and session factory: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.

On SQLite every connection runs in WAL mode (readers never wait for the writer) with a busy
timeout: a writer waits up to ``BUSY_TIMEOUT_S`` for the write lock instead of failing with
"database is locked". Long writes (an import's commit) are cut into short transactions, so a
concurrent writer (a sign-in) waits for one batch, not the whole commit.
"""

from __future__ import annotations

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
