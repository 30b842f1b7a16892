"""Plans (scenarios), their goals, and the targets they set."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db.models._base import utcnow


class Plan(SQLModel, table=True):
    """A target-setting scenario for a period and an org scope."""

    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    scope_org_id: int = Field(foreign_key="org_unit.id", index=True)
    period_start: date
    period_end: date
    status: str = Field(default="draft", max_length=16, index=True)
    strategy: str = Field(default="equal_difficulty", max_length=32)
    constraints: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    cloned_from_id: int | None = Field(default=None, foreign_key="plan.id")
    created_by: str = Field(default="system", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    submitted_by: str | None = Field(default=None, max_length=200)
    approved_by: str | None = Field(default=None, max_length=200)
    version: int = 1


class PlanGoal(SQLModel, table=True):
    """The goal of a plan for one metric at one org node."""

    __tablename__ = "plan_goal"
    __table_args__ = (UniqueConstraint("plan_id", "metric_id", "org_unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    org_unit_id: int = Field(foreign_key="org_unit.id")
    value: float


class Target(SQLModel, table=True):
    """Plan x rep x metric x month: the value, the suggestion, P(achieve) and its explanation."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("plan_id", "rep_id", "metric_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    month: date
    value: float
    suggested: float
    probability: float | None = None
    locked: bool = False
    explanation: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    version: int = 1
