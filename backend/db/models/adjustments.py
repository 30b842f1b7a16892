"""Changing an active plan: adjustment requests and their lines, the dated history of every
target, and feedback on targets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db.models._base import VersionChecked, utcnow

#: What an adjustment is: a request (a rep or manager asks), a people change (leaving,
#: joining, absence, rank change, transfer), quota relief (the goal gives) or a credit moved
#: between reps (a shared deal, a territory moved).
ADJUSTMENT_KINDS = ("request", "people_change", "relief", "credit")
ADJUSTMENT_REASONS = (
    "market_change",
    "territory_change",
    "leave",
    "deal_slipped",
    "key_account_lost",
    "other",
    # people changes
    "leaving",
    "joining",
    "transfer",
    "rank_change",
    "absence",
    # relief and credit
    "shared_deal",
    "territory_moved",
)
ADJUSTMENT_STATES = ("pending", "approved", "refused", "withdrawn")
#: How the difference of a change is handled: the rest of the team absorbs it, the goal
#: gives, or a manager decides (a pending request is opened).
ADJUSTMENT_POLICIES = ("redistribute", "relieve", "ask")


class AdjustmentRequest(VersionChecked, SQLModel, table=True):
    """One change to an active plan's targets, from request to decision.

    ``proposal`` is the system's suggestion when it was made (``solver.planning.adjustments``'
    figures as JSON: the requester's new months and P, who absorbs what, the goal relief);
    ``org_path`` is the absorbing node's (or the rep's team's), for scope. Its lines hold the
    per-rep, per-month values before, proposed and approved.
    """

    __tablename__ = "adjustment_request"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    kind: str = Field(default="request", max_length=16)
    reason: str = Field(max_length=32)
    reason_text: str = Field(default="", max_length=4000)
    effective_date: date
    policy: str = Field(default="redistribute", max_length=16)
    status: str = Field(default="pending", max_length=16, index=True)
    requested_by: str = Field(max_length=200)
    requester_rep_id: int | None = Field(default=None, foreign_key="rep.id")
    subject_rep_id: int | None = Field(default=None, foreign_key="rep.id", index=True)
    node_id: int | None = Field(default=None, foreign_key="org_unit.id")
    org_path: str = Field(default="", max_length=500, index=True)
    proposal: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    goal_relief: float = 0.0
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = None
    decision_reason: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class AdjustmentLine(SQLModel, table=True):
    """One target cell an adjustment changes: ``role`` ``subject`` (asked for) or ``absorbs``
    (a teammate moved by the rebalance); ``approved`` is set when it is applied."""

    __tablename__ = "adjustment_line"
    __table_args__ = (UniqueConstraint("request_id", "rep_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="adjustment_request.id", index=True)
    rep_id: int = Field(foreign_key="rep.id")
    month: date
    role: str = Field(default="subject", max_length=16)
    before: float
    proposed: float
    probability: float | None = None
    approved: float | None = None


class AdjustmentAttachment(SQLModel, table=True):
    """A file attached to a request (a customer's letter, a screenshot): kept apart so
    listing requests never reads it."""

    __tablename__ = "adjustment_attachment"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="adjustment_request.id", index=True, unique=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class TargetRevision(SQLModel, table=True):
    """One change of one target, never updated: before, after, from which day, by whom and
    why (``source``: override, adjustment, people_change, relief, credit)."""

    __tablename__ = "target_revision"
    __table_args__ = (Index("ix_target_revision_plan_rep", "plan_id", "rep_id"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    plan_id: int = Field(foreign_key="plan.id")
    rep_id: int = Field(foreign_key="rep.id")
    metric_id: int = Field(foreign_key="metric.id")
    month: date
    before: float
    after: float
    effective_date: date
    source: str = Field(max_length=16)
    adjustment_id: int | None = Field(default=None, foreign_key="adjustment_request.id")
    actor: str = Field(max_length=200)
    reason: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)


FEEDBACK_RATINGS = ("too_low", "fair", "too_high", "unreachable")
FEEDBACK_TAGS = (
    "market",
    "territory",
    "customers",
    "product",
    "pipeline",
    "seasonality",
    "team",
    "history",
    "other",
)


class TargetFeedback(VersionChecked, SQLModel, table=True):
    """A rep's or a manager's view of one of a plan's targets (a rep's period total for a
    metric), during or after the period, and a manager's response."""

    __tablename__ = "target_feedback"
    __table_args__ = (Index("ix_target_feedback_plan_rep", "plan_id", "rep_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    rep_id: int = Field(foreign_key="rep.id")
    metric_id: int = Field(foreign_key="metric.id")
    org_path: str = Field(default="", max_length=500, index=True)
    author: str = Field(max_length=200)
    author_role: str = Field(max_length=16)  # rep | manager
    rating: str = Field(max_length=16)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    comment: str = Field(default="", max_length=4000)
    response: str = Field(default="", max_length=4000)
    responded_by: str | None = Field(default=None, max_length=200)
    responded_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1
