"""Job-queue and notification fixtures: workers on the test database with a clock to move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import session_factory
from backend.db.models._base import utcnow
from backend.services.jobs.kinds import JobRegistry
from backend.services.jobs.worker import Worker
from backend.settings import Settings

SECRET = "notifications-test-secret-key-0123456789"


class Clock:
    """A clock that stands still until moved."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(env="test", database_url=database_url, secret_key=SECRET)


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


WorkerFactory = Callable[..., Worker]


@pytest.fixture
def make_worker(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> WorkerFactory:
    """Workers on the test database, on the shared clock, with the given registry."""

    def make(registry: JobRegistry, **kwargs: object) -> Worker:
        options: dict[str, object] = {"settings": settings, "clock": clock, **kwargs}
        return Worker(sessions, registry=registry, **options)  # type: ignore[arg-type]

    return make
