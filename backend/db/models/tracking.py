"""During the period: actuals recorded by day, alert rules (versioned data) and the alerts
they raise, with every state change kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from backend.db.models._base import VersionChecked, utcnow


class ActualEntry(SQLModel, table=True):
    """One recorded value of an additive metric for a rep on a day, from an integration
    (``recordActuals``) or an import; ``external_id`` makes a resend idempotent. The monthly
    actuals are rolled up from these plus the imported facts."""

    __tablename__ = "actual_entry"
    __table_args__ = (Index("ix_actual_entry_rep_metric_day", "rep_id", "metric_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=128, unique=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    day: date
    value: float
    source: str = Field(default="api", max_length=32)
    recorded_by: str = Field(default="system", max_length=200)
    recorded_at: datetime = Field(default_factory=utcnow)


ALERT_RULE_KINDS = (
    "behind_pace",  # behind the target's phasing N consecutive weeks or months
    "peer_gap",  # attainment k standard deviations below same-rank, same-region peers
    "low_probability",  # P(achieve | actuals so far) below x
    "low_projection",  # projected attainment below y
    "inactivity",  # no recorded activity for N days
)


class AlertRule(SQLModel, table=True):
    """One version of an alert rule. Rules are data: an edit adds a version with the same
    ``key`` and retires the previous one (``active`` false), so an alert always names the
    exact rule that raised it. ``scope_org_id`` None: the whole company."""

    __tablename__ = "alert_rule"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    version: int = 1
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    metric_id: int = Field(foreign_key="metric.id")
    scope_org_id: int | None = Field(default=None, foreign_key="org_unit.id")
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    severity: str = Field(default="warning", max_length=16)
    active: bool = True
    created_by: str = Field(default="system", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


ALERT_STATES = ("open", "acknowledged", "resolved")


class Alert(VersionChecked, SQLModel, table=True):
    """A rule firing for one rep in one plan. At most one alert per rule key and rep is not
    resolved (a partial unique index: re-evaluating never duplicates it)."""

    __tablename__ = "alert"
    __table_args__ = (
        Index(
            "ux_alert_open_rule_rep",
            "rule_key",
            "rep_id",
            unique=True,
            sqlite_where=text("state != 'resolved'"),
            postgresql_where=text("state != 'resolved'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="alert_rule.id", index=True)
    rule_key: str = Field(max_length=64)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    org_path: str = Field(default="", max_length=500, index=True)  # the rep's, for scope
    state: str = Field(default="open", max_length=16, index=True)
    severity: str = Field(default="warning", max_length=16)
    # The figures that fired it (attainment, pace, P, weeks behind, ...), as of ``updated_at``.
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    opened_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    acknowledged_by: str | None = Field(default=None, max_length=200)
    acknowledged_at: datetime | None = None
    resolved_by: str | None = Field(default=None, max_length=200)
    resolved_at: datetime | None = None
    version: int = 1


class AlertEvent(SQLModel, table=True):
    """One change of an alert's state: who, when, from, to, and their note. Never updated."""

    __tablename__ = "alert_event"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=200)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    note: str = Field(default="", max_length=2000)
