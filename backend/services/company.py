"""Build (or reuse) the demo company database without ever leaving it half-written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy.engine import make_url
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import create_engine, session_factory
from backend.db.migrate import alembic_config, upgrade_to_head
from backend.services import auth, demo
from backend.services.planning.demo_plan import create_demo_plan
from solver.synth import CompanyConfig, SyntheticCompany, generate_company


@dataclass(frozen=True)
class DemoOutcome:
    generated: bool
    reps: int


async def ensure_demo_company(
    database_url: str, *, reps: int, seed: int, regenerate: bool
) -> DemoOutcome:
    """Reuse the company in the database, or generate one (atomically replacing the old)."""
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine)
        async with session_factory(engine)() as session:
            exists = await demo.has_company(session)
    finally:
        await engine.dispose()
    if exists and not regenerate:
        return DemoOutcome(generated=False, reps=reps)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        await _rebuild_sqlite_file(database_url, Path(url.database or ""), reps=reps, seed=seed)
    else:
        await _rebuild_in_one_transaction(database_url, reps=reps, seed=seed)
    return DemoOutcome(generated=True, reps=reps)


def _company(reps: int, seed: int) -> tuple[SyntheticCompany, date]:
    today = date.today()
    config = CompanyConfig(n_reps=reps, seed=seed, as_of=today.replace(day=1))
    return generate_company(config), today


async def _rebuild_sqlite_file(database_url: str, path: Path, *, reps: int, seed: int) -> None:
    """Write a complete new file beside the old one, then swap it in with one rename."""
    building = path.with_name(path.name + ".building")
    for stale in _sqlite_files(building):
        stale.unlink(missing_ok=True)
    engine = create_engine(database_url.replace(str(path), str(building)))
    try:
        await upgrade_to_head(engine)
        company, today = _company(reps, seed)
        async with session_factory(engine)() as session:
            await demo.load_company(session, company, as_of=today)
            await create_demo_plan(session, year=today.year)
            await session.commit()
        async with engine.connect() as conn:  # fold the WAL into the file before the swap
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await engine.dispose()
    for stale in _sqlite_files(path)[1:]:
        stale.unlink(missing_ok=True)
    os.replace(building, path)
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


async def _rebuild_in_one_transaction(database_url: str, *, reps: int, seed: int) -> None:
    """PostgreSQL: drop, recreate and load in one transaction; a failure changes nothing."""
    engine = create_engine(database_url)
    company, today = _company(reps, seed)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            session = AsyncSession(bind=conn)
            await demo.load_company(session, company, as_of=today)
            await create_demo_plan(session, year=today.year)
            await session.flush()
    finally:
        await engine.dispose()


async def create_admin_account(database_url: str, username: str, password: str) -> None:
    """Migrate the database if needed and add an administrator (the CLI's create-admin)."""
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine)
        async with session_factory(engine)() as session:
            await auth.bootstrap_admin(session, username=username, password=password)
            await session.commit()
    finally:
        await engine.dispose()
