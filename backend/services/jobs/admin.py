"""The job queue as the API shows it: a page of jobs by state, and retrying a dead one.

Jobs are infrastructure: only principals with MANAGE_INTEGRATIONS see them (their payloads
name users and deliveries across the company).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job
from backend.db.models._base import utcnow
from backend.services.access import Action, Principal
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.jobs import queue

RETRYABLE = ("dead", "failed")


def _require(principal: Principal) -> None:
    if not principal.can(Action.MANAGE_INTEGRATIONS):
        raise DomainError.single(ErrorCode.FORBIDDEN, "your role may not manage integrations")


async def list_jobs(
    session: AsyncSession, *, principal: Principal, state: str | None, limit: int, offset: int
) -> tuple[Sequence[Job], int]:
    """A page of jobs, newest first, optionally in one state; and how many there are."""
    _require(principal)
    query, count = select(Job), select(func.count(col(Job.id)))
    if state is not None:
        query, count = query.where(col(Job.state) == state), count.where(col(Job.state) == state)
    page = query.order_by(col(Job.id).desc()).offset(offset).limit(limit)
    return (await session.exec(page)).all(), int((await session.exec(count)).one())


async def retry_job(session: AsyncSession, *, principal: Principal, job_id: int) -> Job:
    """Queue a dead (or failed) job again with a fresh set of attempts, due now."""
    _require(principal)
    job = await queue.find_job(session, job_id)
    if job is None:
        raise not_found("job", job_id, "jobId")
    if job.state not in RETRYABLE:
        raise DomainError.single(
            ErrorCode.CONFLICT, f"job {job_id} is {job.state}; only dead jobs are retried", "jobId"
        )
    if not await queue.requeue_dead(session, job=job, now=utcnow()):
        raise DomainError.single(
            ErrorCode.CONFLICT, f"a job with the key of job {job_id} is already queued", "jobId"
        )
    return await queue.get_job(session, job_id)
