"""Plans (scenarios), their goals, the targets they set, and what generation keeps for later."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, text
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
    period_kind: str = Field(
        default="year", max_length=16, sa_column_kwargs={"server_default": "year"}
    )
    growth_rate: float = Field(default=0.1, sa_column_kwargs={"server_default": text("0.1")})
    forecast_method: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )
    generated_at: datetime | None = None
    # How a people change's difference is handled (redistribute | relieve | ask).
    adjustment_policy: str = Field(
        default="redistribute", max_length=16, sa_column_kwargs={"server_default": "redistribute"}
    )


class PlanGoal(SQLModel, table=True):
    """The goal of a plan for one metric at one org node.

    ``source`` says where it came from: ``set`` by a planner, or ``derived`` from the generated
    targets (the sum beneath a node), which is what an override rebalances against.
    """

    __tablename__ = "plan_goal"
    __table_args__ = (UniqueConstraint("plan_id", "metric_id", "org_unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    org_unit_id: int = Field(foreign_key="org_unit.id")
    value: float
    source: str = Field(default="set", max_length=16, sa_column_kwargs={"server_default": "set"})


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
    flags: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )


class TargetDistribution(SQLModel, table=True):
    """A rep's forecast distribution for one metric in a plan, kept for cheap live P(achieve).

    ``period`` holds the quantiles of the period total at ``levels``; ``monthly`` one list per
    plan month; ``bounds`` the per-rep bounds used by generation (floor, ceiling, band, cap,
    ideal, phasing shares), so an override rebalances without re-forecasting.
    """

    __tablename__ = "target_distribution"
    __table_args__ = (UniqueConstraint("plan_id", "rep_id", "metric_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    rep_id: int = Field(foreign_key="rep.id")
    metric_id: int = Field(foreign_key="metric.id")
    levels: list[float] = Field(default_factory=list, sa_column=Column(JSON))
    period: list[float] = Field(default_factory=list, sa_column=Column(JSON))
    monthly: list[list[float]] = Field(default_factory=list, sa_column=Column(JSON))
    bounds: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class PlanComment(SQLModel, table=True):
    """A comment on a plan (review discussion); never edited."""

    __tablename__ = "plan_comment"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    author: str = Field(max_length=200)
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
