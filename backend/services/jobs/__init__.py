"""A durable job queue in our own database: the ``job`` table is the queue.

A job is enqueued in the same transaction as the change that asks for it: an alert and the job
that notifies about it commit together, and a request that rolls back leaves no job behind.
That is why the queue is a table of our database, used through our SQLAlchemy session, rather
than a library: brokers outside the database (Celery, arq, Dramatiq, RQ) cannot take part in our
transaction, and the database-backed queues we found either serve PostgreSQL only
(procrastinate, PgQueuer) or write through a connection of their own (Huey's SQL storage). None
serves both SQLite and PostgreSQL transactionally with the session the change is made in.

- ``kinds``: typed job kinds (a pydantic payload and a handler) in a registry.
- ``queue``: enqueue, claim atomically, finish, fail with backoff, reclaim expired leases.
- ``worker``: the loop that runs due jobs (in the server process, or ``quotient worker``).
- ``schedules``: periodic jobs as data, enqueued once per period by dedupe key.
- ``admin``: the queue as the API shows it (list by state, retry a dead job).
- ``installed``: the kinds and schedules this application runs.

Example::

    await enqueue(session, kind=send_email, payload=EmailNotice(user_id=7, ...))
    await session.commit()  # the job exists from here on, and only if this commits
"""

from __future__ import annotations

from backend.services.jobs.kinds import JobContext, JobKind, PermanentFailure, job_kind
from backend.services.jobs.queue import enqueue

__all__ = ["JobContext", "JobKind", "PermanentFailure", "enqueue", "job_kind"]
