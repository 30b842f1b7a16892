"""The job queue: transactional enqueue, claims, retries with backoff, leases, dedupe keys."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import create_engine, session_factory
from backend.db.models import AuditEntry, Job
from backend.services.access import SYSTEM
from backend.services.errors import DomainError, ErrorCode
from backend.services.jobs import JobContext, PermanentFailure, enqueue, job_kind
from backend.services.jobs import admin as job_admin
from backend.services.jobs.kinds import JobFailure, JobRegistry
from backend.services.jobs.queue import backoff_delay, claim_next
from backend.services.jobs.schedules import Schedule
from backend.services.jobs.worker import Worker
from tests.backend.notifications.conftest import Clock, WorkerFactory


class Probe(BaseModel):
    label: str


class Kinds:
    """A registry of test kinds that record what they did: an audit row per successful run
    (written in the job's transaction) and a list of every attempt and failure hook call."""

    def __init__(self) -> None:
        self.registry = JobRegistry()
        self.attempts: list[str] = []
        self.failures: list[JobFailure] = []
        self.fail_first = 0

        @job_kind("test.record", payload=Probe, registry=self.registry, max_attempts=3)
        async def record(context: JobContext, probe: Probe) -> None:
            self.attempts.append(probe.label)
            context.session.add(
                AuditEntry(actor="job", action="ran", entity="probe", entity_id=probe.label)
            )
            if len(self.attempts) <= self.fail_first:
                raise RuntimeError(f"failure {len(self.attempts)}")

        @record.on_failure
        async def remember(context: JobContext, probe: Probe, failure: JobFailure) -> None:
            self.failures.append(failure)

        @job_kind("test.permanent", payload=Probe, registry=self.registry)
        async def permanent(context: JobContext, probe: Probe) -> None:
            raise PermanentFailure("cannot work")

        @job_kind(
            "test.slow", payload=Probe, registry=self.registry, timeout=timedelta(seconds=0.05)
        )
        async def slow(context: JobContext, probe: Probe) -> None:
            await asyncio.sleep(5)

        self.record, self.permanent, self.slow = record, permanent, slow


@pytest.fixture
def kinds() -> Kinds:
    return Kinds()


async def _ran(session: AsyncSession) -> list[str]:
    query = select(AuditEntry.entity_id).where(col(AuditEntry.entity) == "probe")
    return sorted((await session.exec(query)).all())


async def _job(session: AsyncSession, job_id: int) -> Job:
    found = (
        await session.exec(
            select(Job).where(col(Job.id) == job_id).execution_options(populate_existing=True)
        )
    ).one()
    return found


class TestEnqueueing:
    async def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        await enqueue(session, kind=kinds.record, payload=Probe(label="ghost"))
        await session.rollback()
        assert await make_worker(kinds.registry).run_once() == 0
        assert kinds.attempts == []
        assert (await session.exec(select(Job))).all() == []

    async def test_a_committed_job_runs_once_and_its_writes_commit_with_it(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="a"))
        await session.commit()
        worker = make_worker(kinds.registry)
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0
        assert kinds.attempts == ["a"]
        done = await _job(session, job.id or 0)
        assert (done.state, done.attempts, done.locked_by) == ("done", 1, worker.worker_id)
        assert await _ran(session) == ["a"]

    async def test_a_job_survives_a_restart_and_a_new_worker_picks_it_up(
        self, database_url: str, settings, kinds: Kinds, clock: Clock
    ):
        first_engine = create_engine(database_url)
        async with session_factory(first_engine)() as session:
            await enqueue(session, kind=kinds.record, payload=Probe(label="durable"))
            await session.commit()
        await first_engine.dispose()  # the process that enqueued it is gone

        second_engine = create_engine(database_url)
        try:
            worker = Worker(
                session_factory(second_engine), settings=settings, registry=kinds.registry
            )
            assert await worker.run_once() == 1
        finally:
            await second_engine.dispose()
        assert kinds.attempts == ["durable"]

    async def test_a_job_due_later_waits_for_its_time(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory, clock: Clock
    ):
        later = clock.now + timedelta(minutes=10)
        await enqueue(session, kind=kinds.record, payload=Probe(label="later"), run_after=later)
        await session.commit()
        worker = make_worker(kinds.registry)
        assert await worker.run_once() == 0
        clock.advance(minutes=10)
        assert await worker.run_once() == 1

    async def test_a_dedupe_key_keeps_one_queued_job_and_frees_once_it_is_claimed(
        self, session: AsyncSession, kinds: Kinds, clock: Clock
    ):
        first = await enqueue(session, kind=kinds.record, payload=Probe(label="1"), dedupe_key="k")
        again = await enqueue(session, kind=kinds.record, payload=Probe(label="2"), dedupe_key="k")
        await session.commit()
        assert again.id == first.id
        assert await claim_next(session, worker_id="w", now=clock.now) is not None
        await session.commit()
        third = await enqueue(session, kind=kinds.record, payload=Probe(label="3"), dedupe_key="k")
        await session.commit()
        assert third.id != first.id
        assert len((await session.exec(select(Job))).all()) == 2


class TestRetries:
    async def test_a_failed_attempt_comes_back_after_an_exponential_backoff_with_jitter(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory, clock: Clock
    ):
        kinds.fail_first = 2
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="flaky"))
        await session.commit()
        worker = make_worker(kinds.registry)
        await worker.run_once()
        failed = await _job(session, job.id or 0)
        assert (failed.state, failed.attempts, failed.last_error) == (
            "queued",
            1,
            "RuntimeError: failure 1",
        )
        # The first retry waits 15-30 s (backoff 30 s, half of it random).
        wait = failed.run_after - clock.now
        assert timedelta(seconds=15) <= wait <= timedelta(seconds=30)
        assert await worker.run_once() == 0  # not due yet
        clock.advance(seconds=30)
        await worker.run_once()
        second = await _job(session, job.id or 0)
        assert timedelta(seconds=30) <= second.run_after - clock.now <= timedelta(seconds=60)
        clock.advance(seconds=60)
        await worker.run_once()
        done = await _job(session, job.id or 0)
        assert (done.state, done.attempts) == ("done", 3)
        assert kinds.attempts == ["flaky"] * 3
        assert await _ran(session) == ["flaky"]  # the failed attempts' writes were rolled back
        assert [f.final for f in kinds.failures] == [False, False]

    async def test_after_its_last_attempt_a_job_is_dead_and_the_hook_hears_it_was_final(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory, clock: Clock
    ):
        kinds.fail_first = 10
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="doomed"))
        await session.commit()
        worker = make_worker(kinds.registry)
        for _ in range(3):
            await worker.run_once()
            clock.advance(hours=1)
        dead = await _job(session, job.id or 0)
        assert (dead.state, dead.attempts, dead.last_error) == (
            "dead",
            3,
            "RuntimeError: failure 3",
        )
        assert [f.final for f in kinds.failures] == [False, False, True]
        assert await worker.run_once() == 0

    async def test_a_permanent_failure_kills_the_job_at_once(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        job = await enqueue(session, kind=kinds.permanent, payload=Probe(label="p"))
        await session.commit()
        await make_worker(kinds.registry).run_once()
        dead = await _job(session, job.id or 0)
        assert (dead.state, dead.attempts) == ("dead", 1)
        assert dead.last_error == "PermanentFailure: cannot work"

    async def test_an_attempt_past_its_timeout_is_cancelled_and_counts_as_failed(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        job = await enqueue(session, kind=kinds.slow, payload=Probe(label="s"))
        await session.commit()
        await make_worker(kinds.registry).run_once()
        failed = await _job(session, job.id or 0)
        assert (failed.state, failed.last_error) == ("queued", "timed out after 0.05 s")

    async def test_a_job_of_a_kind_this_worker_does_not_know_ends_dead(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="x"))
        await session.commit()
        await make_worker(JobRegistry()).run_once()
        dead = await _job(session, job.id or 0)
        assert (dead.state, dead.last_error) == ("dead", "unknown job kind: test.record")

    def test_backoff_doubles_per_attempt_up_to_its_cap(self, kinds: Kinds):
        rng = random.Random(1)
        delays = [backoff_delay(kinds.record, n, rng) for n in range(1, 12)]
        for n, delay in enumerate(delays[:6], start=1):
            full = timedelta(seconds=30 * 2 ** (n - 1))
            assert full / 2 <= delay <= full
        assert all(timedelta(minutes=30) <= d <= timedelta(hours=1) for d in delays[7:])

    async def test_a_dead_job_can_be_retried_with_fresh_attempts(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        job = await enqueue(session, kind=kinds.permanent, payload=Probe(label="p"))
        await session.commit()
        await make_worker(kinds.registry).run_once()
        retried = await job_admin.retry_job(session, principal=SYSTEM, job_id=job.id or 0)
        await session.commit()
        assert (retried.state, retried.attempts) == ("queued", 0)
        with pytest.raises(DomainError) as refused:
            await job_admin.retry_job(session, principal=SYSTEM, job_id=job.id or 0)
        assert refused.value.problems[0].code is ErrorCode.CONFLICT


class TestLeases:
    async def test_a_job_left_running_by_a_crashed_worker_is_reclaimed_after_the_lease(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory, clock: Clock
    ):
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="orphan"))
        await session.commit()
        assert await claim_next(session, worker_id="crashed", now=clock.now) is not None
        await session.commit()  # claimed, then the worker died before finishing
        survivor = make_worker(kinds.registry)
        lease = survivor.lease.total_seconds()
        clock.advance(seconds=lease - 1)
        assert await survivor.run_once() == 0  # the lease still holds
        clock.advance(seconds=2)
        await survivor.reclaim_expired()
        reclaimed = await _job(session, job.id or 0)
        assert reclaimed.state == "queued"
        assert reclaimed.last_error == "lease expired: worker crashed stopped or hung"
        clock.advance(minutes=1)
        assert await survivor.run_once() == 1
        done = await _job(session, job.id or 0)
        assert (done.state, done.attempts, done.locked_by) == ("done", 2, survivor.worker_id)

    async def test_a_worker_whose_lease_was_taken_cannot_finish_and_its_writes_roll_back(
        self,
        session: AsyncSession,
        sessions: async_sessionmaker[AsyncSession],
        kinds: Kinds,
        make_worker: WorkerFactory,
        clock: Clock,
    ):
        job = await enqueue(session, kind=kinds.record, payload=Probe(label="late"))
        await session.commit()
        slow = make_worker(kinds.registry, worker_id="slow")
        async with sessions() as claiming:
            claimed = await claim_next(claiming, worker_id="slow", now=clock.now)
            await claiming.commit()
        assert claimed is not None
        clock.advance(seconds=slow.lease.total_seconds() + 1)
        await make_worker(kinds.registry, worker_id="other").reclaim_expired()
        await slow._run(claimed)  # the slow worker finally runs it
        after = await _job(session, job.id or 0)
        assert (after.state, after.locked_by) == ("queued", "slow")  # not done by a lost lease
        assert await _ran(session) == []


class TestConcurrentClaims:
    async def test_many_claimers_at_once_claim_one_job_exactly_once(
        self, session: AsyncSession, sessions, kinds: Kinds, clock: Clock
    ):
        await enqueue(session, kind=kinds.record, payload=Probe(label="contended"))
        await session.commit()

        async def claim(n: int) -> int | None:
            async with sessions() as own:
                job = await claim_next(own, worker_id=f"w{n}", now=clock.now)
                await own.commit()
                return job.id if job else None

        claims = await asyncio.gather(*(claim(n) for n in range(8)))
        assert len([c for c in claims if c is not None]) == 1

    async def test_two_workers_running_together_run_every_job_exactly_once(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory
    ):
        for n in range(30):
            await enqueue(session, kind=kinds.record, payload=Probe(label=f"{n:02}"))
        await session.commit()
        one, two = make_worker(kinds.registry), make_worker(kinds.registry)
        ran = await asyncio.gather(one.run_once(), two.run_once())
        assert sum(ran) == 30
        assert sorted(kinds.attempts) == [f"{n:02}" for n in range(30)]
        assert await _ran(session) == [f"{n:02}" for n in range(30)]


class TestSchedules:
    async def test_a_schedule_enqueues_each_period_once_however_many_workers_tick(
        self, session: AsyncSession, kinds: Kinds, make_worker: WorkerFactory, clock: Clock
    ):
        hourly = Schedule(
            name="hourly",
            kind=kinds.record,
            every=timedelta(hours=1),
            payload=lambda start: Probe(label=start.strftime("%H")),
        )
        workers = [make_worker(kinds.registry, schedules=(hourly,)) for _ in range(3)]
        await asyncio.gather(*(w.enqueue_schedules() for w in workers))
        await asyncio.gather(*(w.run_once() for w in workers))
        clock.advance(hours=1)
        await asyncio.gather(*(w.run_once() for w in workers))
        first = hourly.period_start(clock.now - timedelta(hours=1))
        assert kinds.attempts == [first.strftime("%H"), clock.now.strftime("%H")]
        keys = (await session.exec(select(Job.dedupe_key).order_by(col(Job.id)))).all()
        assert keys == [hourly.key(first), hourly.key(hourly.period_start(clock.now))]

    def test_periods_start_at_the_offset_of_each_day(self, kinds: Kinds):
        daily = Schedule(
            name="d",
            kind=kinds.record,
            every=timedelta(days=1),
            offset=timedelta(hours=6),
            payload=lambda start: Probe(label="x"),
        )
        at = datetime(2026, 3, 10, 5, 59, tzinfo=UTC)
        assert daily.period_start(at) == datetime(2026, 3, 9, 6, tzinfo=UTC)
        assert daily.period_start(at + timedelta(minutes=1)) == datetime(2026, 3, 10, 6, tzinfo=UTC)
