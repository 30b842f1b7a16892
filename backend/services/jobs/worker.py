"""The worker: claims due jobs one at a time, runs them, records the outcome.

One worker runs in the server process (the demo, a single machine) or as ``quotient worker``
(production, as many as wanted: claims never overlap). Each round it first takes back jobs
whose lease ran out (a worker that crashed or hangs), enqueues the schedules' due periods,
then runs due jobs until none is left.

A handler's writes and the job's ``done`` commit together. A failed attempt rolls the
handler's writes back and is recorded in a transaction of its own (with the kind's failure
hook): the job comes back after an exponential backoff with jitter, or is ``dead`` after its
last attempt. Delivery is at least once: a side effect outside the database (an e-mail, a
webhook) may happen again if the worker dies between it and the commit.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job
from backend.db.models._base import utcnow
from backend.services.jobs import queue
from backend.services.jobs.kinds import (
    REGISTRY,
    JobContext,
    JobFailure,
    JobKind,
    JobRegistry,
    PermanentFailure,
)
from backend.services.jobs.schedules import Schedule, enqueue_due
from backend.settings import Settings

logger = logging.getLogger(__name__)

#: Jobs one round runs at most before it looks at leases and schedules again.
ROUND_LIMIT = 100
#: How long a stopping in-process worker may take to finish the job in hand.
SHUTDOWN_SECONDS = 10.0


def default_worker_id() -> str:
    """Host, process and a random suffix: unique per worker instance, readable in the API."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Runs the jobs of ``registry`` from the database behind ``sessions``.

    ``clock`` and ``rng`` are injectable so tests can move time (backoff, leases) and fix
    jitter.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        settings: Settings,
        registry: JobRegistry = REGISTRY,
        schedules: Sequence[Schedule[Any]] = (),
        worker_id: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.registry = registry
        self.schedules = schedules
        self.worker_id = worker_id or default_worker_id()
        self.clock = clock
        self.rng = rng or random.Random()
        self.lease = timedelta(seconds=settings.worker_lease_seconds)
        for kind in registry:
            if kind.timeout >= self.lease:  # else a slow attempt would be reclaimed mid-run
                raise ValueError(f"job kind {kind.name}: timeout must be shorter than the lease")

    async def run_until(self, stop: asyncio.Event) -> None:
        """Run rounds until ``stop`` is set, waiting ``worker_poll_seconds`` after an idle one.
        A failing round (the database gone for a moment) is logged and tried again."""
        while not stop.is_set():
            ran = 0
            try:
                ran = await self.run_once()
            except Exception:
                logger.exception("job worker %s: the round failed; trying again", self.worker_id)
            if ran < ROUND_LIMIT:
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.worker_poll_seconds)

    async def run_once(self) -> int:
        """One round: reclaim expired leases, enqueue due schedules, run due jobs. Returns how
        many jobs ran."""
        await self.reclaim_expired()
        await self.enqueue_schedules()
        ran = 0
        while ran < ROUND_LIMIT and await self.run_next():
            ran += 1
        return ran

    async def run_next(self) -> bool:
        """Claim and run the oldest due job; False when none is due."""
        async with self.sessions() as session:
            job = await queue.claim_next(session, worker_id=self.worker_id, now=self.clock())
            await session.commit()
        if job is None:
            return False
        await self._run(job)
        return True

    async def reclaim_expired(self) -> int:
        """Take back running jobs whose lease ran out; each such run counts as a failed
        attempt (a job that kills its worker every time ends dead, not in a loop)."""
        async with self.sessions() as session:
            stale = await queue.expired(session, now=self.clock(), lease=self.lease)
        for job in stale:
            kind = self.registry.get(job.kind)
            message = f"lease expired: worker {job.locked_by} stopped or hung"
            await self._record_failure(job, kind, self._parsed(kind, job), None, message, False)
        return len(stale)

    async def enqueue_schedules(self) -> None:
        async with self.sessions() as session:
            for schedule in self.schedules:
                await enqueue_due(session, schedule, now=self.clock())
            await session.commit()

    async def _run(self, job: Job) -> None:
        kind = self.registry.get(job.kind)
        payload = self._parsed(kind, job)
        if kind is None or payload is None:
            reason = "unknown job kind" if kind is None else "payload does not match its kind"
            await self._record_failure(job, kind, None, None, f"{reason}: {job.kind}", True)
            return
        error = await self._attempt(job, kind, payload)
        if error is not None:
            message = _describe(error)
            final = isinstance(error, PermanentFailure)
            await self._record_failure(job, kind, payload, error, message, final)

    async def _attempt(self, job: Job, kind: JobKind[Any], payload: BaseModel) -> Exception | None:
        """Run the handler; commit its writes with ``done``. The error, if it failed."""
        async with self.sessions() as session:
            try:
                await _within_timeout(kind, self._context(session, job), payload)
                finished = await queue.finish(
                    session, job_id=job.id or 0, worker_id=self.worker_id, now=self.clock()
                )
            except Exception as error:
                await session.rollback()
                return error
            if finished:
                await session.commit()
            else:  # the lease was taken away meanwhile: the job runs again elsewhere
                await session.rollback()
                logger.warning("job %s: lease lost before it finished", job.id)
        return None

    async def _record_failure(
        self,
        job: Job,
        kind: JobKind[Any] | None,
        payload: BaseModel | None,
        error: Exception | None,
        message: str,
        final: bool,
    ) -> None:
        delay = timedelta(0) if kind is None else queue.backoff_delay(kind, job.attempts, self.rng)
        async with self.sessions() as session:
            state = await queue.release_failed(
                session, job=job, message=message, now=self.clock(), delay=delay, final=final
            )
            if state is not None and kind and kind.failure_hook and payload is not None:
                failure = JobFailure(error=error, message=message, final=state != "queued")
                try:
                    await kind.failure_hook(self._context(session, job), payload, failure)
                except Exception:  # the failure is recorded all the same
                    logger.exception("job %s: the failure hook of %s failed", job.id, kind.name)
                    await session.rollback()
                    await queue.release_failed(
                        session, job=job, message=message, now=self.clock(), delay=delay
                    )
            await session.commit()
        logger.info("job %s (%s) attempt %s failed: %s", job.id, job.kind, job.attempts, message)

    def _context(self, session: AsyncSession, job: Job) -> JobContext:
        return JobContext(
            session=session,
            settings=self.settings,
            job_id=job.id or 0,
            attempt=job.attempts,
            max_attempts=job.max_attempts,
            now=self.clock(),
        )

    @staticmethod
    def _parsed(kind: JobKind[Any] | None, job: Job) -> BaseModel | None:
        if kind is None:
            return None
        try:
            payload: BaseModel = kind.parse(job.payload)
        except ValidationError:
            return None
        return payload


class AttemptTimedOut(Exception):
    """The handler ran past its kind's timeout and was cancelled."""


async def _within_timeout(kind: JobKind[Any], context: JobContext, payload: BaseModel) -> None:
    deadline = asyncio.timeout(kind.timeout.total_seconds())
    try:
        async with deadline:
            await kind.handler(context, payload)
    except TimeoutError as error:
        if deadline.expired():  # ours, not a timeout the handler itself ran into
            raise AttemptTimedOut(f"timed out after {kind.timeout.total_seconds():g} s") from error
        raise


def _describe(error: Exception) -> str:
    if isinstance(error, AttemptTimedOut):
        return str(error)
    return f"{type(error).__name__}: {error}"


@asynccontextmanager
async def running_worker(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[Worker | None]:
    """A worker running in this process for as long as the context lasts (the server's
    lifespan), unless ``settings`` turn it off (then None). On exit it finishes the job in hand
    for up to ``SHUTDOWN_SECONDS``, then is cancelled (that job is reclaimed after its lease).
    """
    if not settings.runs_worker_in_process:
        yield None
        return
    from backend.services.jobs.installed import installed

    registry, schedules = installed()
    worker = Worker(sessions, settings=settings, registry=registry, schedules=schedules)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_until(stop), name=f"job worker {worker.worker_id}")
    try:
        yield worker
    finally:
        stop.set()
        with suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(task, SHUTDOWN_SECONDS)
