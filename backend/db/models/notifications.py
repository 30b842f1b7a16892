"""Notifications: the in-app inbox, per-user channel preferences, signed webhooks with their
deliveries (retried, dead-lettered, replayable), and the durable job queue behind them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from backend.db.models._base import utcnow


class Notification(SQLModel, table=True):
    """One message in a user's inbox. The text is a message key and its parameters, rendered
    in the reader's language when read (a user who switches language sees it in the new one)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    kind: str = Field(max_length=64)  # e.g. alert_opened
    message_key: str = Field(max_length=100)
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    alert_id: int | None = Field(default=None, foreign_key="alert.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


CHANNELS = ("in_app", "email")
DELIVERY_MODES = ("immediate", "digest", "off")


class NotificationPreference(SQLModel, table=True):
    """How a user wants one channel: immediately, as a daily digest, or not at all."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    channel: str = Field(max_length=16)
    mode: str = Field(default="immediate", max_length=16)


class WebhookEndpoint(SQLModel, table=True):
    """A receiver of signed events (Standard Webhooks); ``secret`` is the ``whsec_`` key, shown
    once at creation. Events outside ``scope_org_id`` (None: company-wide) are not sent."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    scope_org_id: int | None = Field(default=None, foreign_key="org_unit.id")
    active: bool = True
    created_by: str = Field(default="system", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


DELIVERY_STATES = ("pending", "delivered", "dead")


class WebhookDelivery(SQLModel, table=True):
    """One event sent (or to be sent) to one endpoint; ``dead`` after the last retry failed,
    until replayed. ``message_id`` is the Standard Webhooks ``webhook-id``: the same on every
    retry so the receiver can drop duplicates."""

    __tablename__ = "webhook_delivery"

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    message_id: str = Field(max_length=64, unique=True)
    event_type: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    state: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=2000)
    last_status: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    delivered_at: datetime | None = None


JOB_STATES = ("queued", "running", "done", "failed", "dead")


class Job(SQLModel, table=True):
    """A unit of background work, stored with the change that asked for it (enqueued in the
    same transaction: nothing is lost if the process dies right after the commit). A worker
    claims it, runs it, and on failure retries it with backoff until ``max_attempts``, then
    it is ``dead``. ``dedupe_key`` keeps one queued job per key (e.g. one evaluation per
    plan)."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_state_run_after", "state", "run_after"),
        # Two transactions enqueueing the same key at once: the database keeps one.
        Index(
            "ux_job_dedupe_queued",
            "dedupe_key",
            unique=True,
            sqlite_where=text("state = 'queued'"),
            postgresql_where=text("state = 'queued'"),
        ),
        # A schedule's period is enqueued once, whatever became of its job.
        Index(
            "ux_job_schedule_period",
            "dedupe_key",
            unique=True,
            sqlite_where=text("dedupe_key LIKE 'schedule:%'"),
            postgresql_where=text("dedupe_key LIKE 'schedule:%'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    state: str = Field(default="queued", max_length=16)
    dedupe_key: str | None = Field(default=None, max_length=200, index=True)
    attempts: int = 0
    max_attempts: int = 5
    run_after: datetime = Field(default_factory=utcnow)
    locked_by: str | None = Field(default=None, max_length=100)
    locked_at: datetime | None = None
    last_error: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
