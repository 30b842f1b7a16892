"""Periodic jobs as data: a kind, a period and the payload for each period.

Each worker round asks every schedule for its current period and enqueues that period's job
unless its key (``schedule:<name>:<period start>``) was ever used, so a period runs once
however many workers tick: the database keeps such keys unique in every state (a partial
unique index), so two workers inserting the same period at once leave one job. Periods
missed while no worker ran are not caught up: only the current one is enqueued.

>>> Schedule("daily-digest", plan_digests, every=timedelta(days=1), offset=timedelta(hours=6),
...          payload=lambda start: DigestDay(day=start.date() - timedelta(days=1)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job
from backend.services.jobs.kinds import JobKind, P
from backend.services.jobs.queue import ONCE_PREFIX, enqueue_once

EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: weekly periods start on Mondays


@dataclass(frozen=True)
class Schedule(Generic[P]):
    """A job every ``every``, periods counted from ``EPOCH + offset`` (UTC)."""

    name: str
    kind: JobKind[P]
    every: timedelta
    payload: Callable[[datetime], P]  # the payload of the period starting at the argument
    offset: timedelta = timedelta(0)

    def period_start(self, now: datetime) -> datetime:
        first = EPOCH + self.offset
        return first + (now - first) // self.every * self.every

    def key(self, start: datetime) -> str:
        return f"{ONCE_PREFIX}{self.name}:{start.isoformat()}"


async def enqueue_due(session: AsyncSession, schedule: Schedule[P], *, now: datetime) -> Job | None:
    """Enqueue the current period's job unless it exists already; the job, or None."""
    start = schedule.period_start(now)
    key = schedule.key(start)
    if (await session.exec(select(Job.id).where(col(Job.dedupe_key) == key))).first():
        return None  # the usual case, read without spending an id on a refused insert
    return await enqueue_once(
        session, kind=schedule.kind, payload=schedule.payload(start), key=key, run_after=now
    )
