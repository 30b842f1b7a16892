"""The job queue, for those who run the integrations (MANAGE_INTEGRATIONS): list, retry."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from backend.db.models import Job as JobModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic, or_graphql_error
from backend.graphql.types.common import PageInfo, UserError, offset_page_info, parse_id
from backend.services.access import Action
from backend.services.jobs import admin

JOB_POLICY: dict[str, Action] = {
    "jobs": Action.MANAGE_INTEGRATIONS,
    "retryJob": Action.MANAGE_INTEGRATIONS,
}


@strawberry.enum(description="Where a background job stands.")
class JobState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    DEAD = "dead"


@strawberry.type(description="A unit of background work (an e-mail, a webhook delivery, ...).")
class Job:
    model: strawberry.Private[JobModel]

    @strawberry.field(description="Its id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="What it does, e.g. `notifications.email`.")
    def kind(self) -> str:
        return self.model.kind

    @strawberry.field(description="What it works on.")
    def payload(self) -> JSON:
        return JSON(self.model.payload)

    @strawberry.field(
        description="QUEUED (waiting for runAfter), RUNNING, DONE, DEAD after its last attempt "
        "(retryable), FAILED when a newer queued job with its key took over."
    )
    def state(self) -> JobState:
        return JobState(self.model.state)

    @strawberry.field(description="Attempts so far.")
    def attempts(self) -> int:
        return self.model.attempts

    @strawberry.field(description="Attempts before it is dead.")
    def max_attempts(self) -> int:
        return self.model.max_attempts

    @strawberry.field(description="Not run before this (a retry's backoff).")
    def run_after(self) -> dt.datetime:
        return self.model.run_after

    @strawberry.field(description="The worker that last claimed it.")
    def locked_by(self) -> str | None:
        return self.model.locked_by

    @strawberry.field(description="Why its last attempt failed; empty when none did.")
    def last_error(self) -> str:
        return self.model.last_error

    @strawberry.field(description="When it was enqueued.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="When it ended (done, dead or failed).")
    def finished_at(self) -> dt.datetime | None:
        return self.model.finished_at


@strawberry.type(description="A page of jobs, newest first.")
class JobPage:
    items: list[Job] = strawberry.field(description="This page's jobs.")
    total_count: int = strawberry.field(description="Jobs matching, on every page.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.input(description="A dead job.")
class RetryJobInput:
    job_id: strawberry.ID = strawberry.field(description="The job (state DEAD or FAILED).")


@strawberry.type(description="Result of retrying a job.")
class JobPayload:
    job: Job | None = strawberry.field(description="The job, queued again; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The job queue.")
class JobQuery:
    @strawberry.field(description="Jobs, newest first, optionally in one state (1-500 per page).")
    async def jobs(
        self, info: Info, state: JobState | None = None, limit: int = 50, offset: int = 0
    ) -> JobPage:
        async with info.context.db() as session:
            rows, total = await or_graphql_error(
                admin.list_jobs(
                    session,
                    principal=info.context.principal,
                    state=state.value if state else None,
                    limit=limit,
                    offset=offset,
                )
            )
        return JobPage(
            items=[Job(model=j) for j in rows],
            total_count=total,
            page_info=offset_page_info(offset=offset, count=len(rows), total=total),
        )


@strawberry.type(description="Retrying dead jobs.")
class JobMutation:
    @strawberry.mutation(description="Queue a dead job again with a fresh set of attempts.")
    async def retry_job(self, info: Info, input: RetryJobInput) -> JobPayload:
        async def retry(session: Any) -> JobModel:
            return await admin.retry_job(
                session, principal=info.context.principal, job_id=parse_id(input.job_id, "jobId")
            )

        job, errors = await atomic(info, retry)
        return JobPayload(job=Job(model=job) if job else None, errors=errors)
