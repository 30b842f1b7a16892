"""The queue's operations on the ``job`` table, each in the caller's transaction.

States: ``queued`` (waiting for ``run_after``) -> ``running`` (claimed by one worker, its lease
from ``locked_at``) -> ``done``; a failed attempt goes back to ``queued`` with a later
``run_after``, or to ``dead`` after ``max_attempts`` (kept, retryable from the API). ``failed``
ends a job whose retry would repeat a newer queued job with the same dedupe key (that job does
the work).

Claiming is one conditional UPDATE: ``WHERE id = (the oldest due queued job) AND state =
'queued'``. On PostgreSQL the inner SELECT takes the row ``FOR UPDATE SKIP LOCKED``, so two
workers pick different jobs without waiting for each other; SQLite runs one writer at a time and
the ``state = 'queued'`` condition lets only one claim through. Every later step names the
claiming worker (``locked_by``): a worker whose lease was taken away cannot finish the job.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job
from backend.db.models._base import utcnow
from backend.services.jobs.kinds import JobKind, P

MAX_ERROR = 4000
#: Keys that are never reused, whatever became of their job (unique index ux_job_schedule_period).
ONCE_PREFIX = "schedule:"


async def enqueue(
    session: AsyncSession,
    *,
    kind: JobKind[P],
    payload: P,
    dedupe_key: str | None = None,
    run_after: datetime | None = None,
) -> Job:
    """Add a job to the caller's transaction: it exists once the caller commits, and never if
    the caller rolls back. With ``dedupe_key``, a job already queued under that key is returned
    instead of adding another (the database keeps one, even for two concurrent transactions).

    >>> job = await enqueue(session, kind=send_email, payload=EmailNotice(user_id=7))
    """
    if dedupe_key is not None and dedupe_key.startswith(ONCE_PREFIX):
        raise ValueError(f"keys starting {ONCE_PREFIX!r} are for enqueue_once")
    values = _values(kind, payload, dedupe_key, run_after)
    if dedupe_key is None:
        job = Job(**values)
        session.add(job)
        await session.flush()
        return job
    for _ in range(3):  # the queued job may be claimed between the insert and the look-up
        job_id = await _insert_unless_queued(session, values) or await _queued_id(
            session, dedupe_key
        )
        if job_id is not None:
            return await get_job(session, job_id)
    raise RuntimeError(f"could not enqueue job with dedupe key {dedupe_key!r}")


async def enqueue_once(
    session: AsyncSession, *, kind: JobKind[P], payload: P, key: str, run_after: datetime
) -> Job | None:
    """Enqueue a job under a key that is never used again (a schedule's period, starting
    ``schedule:``), whatever became of its job; None when the key was taken already."""
    if not key.startswith(ONCE_PREFIX):
        raise ValueError(f"a once-only key starts with {ONCE_PREFIX!r}")
    insert = _dialect_insert(session).values(**_values(kind, payload, key, run_after))
    statement = insert.on_conflict_do_nothing().returning(col(Job.id))
    job_id: int | None = (await session.execute(statement)).scalar_one_or_none()
    return None if job_id is None else await get_job(session, job_id)


def _values(
    kind: JobKind[P], payload: P, dedupe_key: str | None, run_after: datetime | None
) -> dict[str, Any]:
    return {
        "kind": kind.name,
        "payload": payload.model_dump(mode="json"),
        "state": "queued",
        "dedupe_key": dedupe_key,
        "attempts": 0,
        "max_attempts": kind.max_attempts,
        "run_after": run_after or utcnow(),
        "last_error": "",
        "created_at": utcnow(),
    }


def _dialect_insert(session: AsyncSession) -> Any:
    """INSERT with ON CONFLICT, in the session's dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Job)


async def _insert_unless_queued(session: AsyncSession, values: dict[str, Any]) -> int | None:
    statement = (
        _dialect_insert(session)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"], index_where=text("state = 'queued'"))
        .returning(col(Job.id))
    )
    inserted: int | None = (await session.execute(statement)).scalar_one_or_none()
    return inserted


async def _queued_id(session: AsyncSession, dedupe_key: str) -> int | None:
    query = select(Job.id).where(col(Job.dedupe_key) == dedupe_key, col(Job.state) == "queued")
    found: int | None = (await session.exec(query)).first()
    return found


async def find_job(session: AsyncSession, job_id: int) -> Job | None:
    """The job as the database has it now (never a stale copy from the session)."""
    query = select(Job).where(col(Job.id) == job_id).execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def get_job(session: AsyncSession, job_id: int) -> Job:
    job = await find_job(session, job_id)
    if job is None:
        raise LookupError(f"job {job_id} does not exist")
    return job


async def claim_next(session: AsyncSession, *, worker_id: str, now: datetime) -> Job | None:
    """Mark the oldest due queued job ``running`` for ``worker_id``; None when none is due.

    Commit right after: the claim must be visible before the job runs.
    """
    waiting = select(Job.id).where(col(Job.state) == "queued", col(Job.run_after) <= now)
    if (await session.exec(waiting.limit(1))).first() is None:
        return None  # an idle poll only reads (on SQLite a write would wait for the lock)
    due = (
        waiting.order_by(col(Job.run_after), col(Job.id))
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer at a time
        .scalar_subquery()
    )
    claim = (
        update(Job)
        .where(col(Job.id) == due, col(Job.state) == "queued")
        .values(state="running", locked_by=worker_id, locked_at=now, attempts=Job.attempts + 1)
        .returning(col(Job.id))
    )
    job_id: int | None = (await session.execute(claim)).scalar_one_or_none()
    return None if job_id is None else await get_job(session, job_id)


async def finish(session: AsyncSession, *, job_id: int, worker_id: str, now: datetime) -> bool:
    """Mark the job done; False when ``worker_id`` no longer holds it (its lease was taken
    away: the caller rolls back what the handler wrote, the job runs again elsewhere)."""
    done = (
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == "running", col(Job.locked_by) == worker_id)
        .values(state="done", finished_at=now, last_error="")
    )
    return bool((await session.execute(done)).rowcount == 1)  # type: ignore[attr-defined]


def backoff_delay(kind: JobKind[Any], attempts: int, rng: random.Random) -> timedelta:
    """The wait before attempt ``attempts + 1``: exponential, capped, with "equal jitter" (half
    fixed, half random) so jobs that failed together do not all come back at the same moment."""
    exponential = kind.backoff * (1 << max(attempts - 1, 0))
    delay = min(exponential, kind.max_backoff)
    return delay / 2 + delay / 2 * rng.random()


async def release_failed(
    session: AsyncSession,
    *,
    job: Job,
    message: str,
    now: datetime,
    delay: timedelta,
    final: bool = False,
) -> str | None:
    """Record a failed attempt of a running ``job`` (as its holder last claimed it): queued
    again after ``delay``, or ``dead`` when its attempts are used up (or ``final``), or
    ``failed`` when a newer job with its dedupe key is queued. None when the job is no longer
    held as read (someone else released it first)."""
    state = "dead" if final or job.attempts >= job.max_attempts else "queued"
    if state == "queued" and job.dedupe_key and await _queued_id(session, job.dedupe_key):
        state, message = "failed", f"{message} (a newer queued job with its key takes over)"
    ended = now if state != "queued" else None
    release = (
        update(Job)
        .where(
            col(Job.id) == job.id,
            col(Job.state) == "running",
            col(Job.locked_by) == job.locked_by,
            col(Job.attempts) == job.attempts,  # each claim counts one: this claim, no later one
        )
        .values(
            state=state, run_after=now + delay, last_error=message[:MAX_ERROR], finished_at=ended
        )
    )
    result = await session.execute(release)
    return state if result.rowcount == 1 else None  # type: ignore[attr-defined]


async def expired(session: AsyncSession, *, now: datetime, lease: timedelta) -> Sequence[Job]:
    """Running jobs whose lease ran out: their worker crashed, was killed or hangs."""
    query = select(Job).where(col(Job.state) == "running", col(Job.locked_at) < now - lease)
    return (await session.exec(query.order_by(col(Job.id)).limit(100))).all()


async def requeue_dead(session: AsyncSession, *, job: Job, now: datetime) -> bool:
    """Give a dead (or failed) job a fresh set of attempts, due now; False when a job with
    the same dedupe key is already queued (it would do the same work)."""
    if job.dedupe_key and await _queued_id(session, job.dedupe_key):
        return False
    retry = (
        update(Job)
        .where(col(Job.id) == job.id, col(Job.state).in_(("dead", "failed")))
        .values(state="queued", attempts=0, run_after=now, finished_at=None, locked_by=None)
    )
    return bool((await session.execute(retry)).rowcount == 1)  # type: ignore[attr-defined]
