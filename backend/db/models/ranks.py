"""The rank ladder (职级) with effective-dated settings versions; history is never rewritten."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db.models._base import utcnow


class Rank(SQLModel, table=True):
    """One level of the ladder, ordered by ``level`` (1 = most junior)."""

    __tablename__ = "rank"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    level: int = Field(index=True)
    description: str = ""


class RankSettingsVersion(SQLModel, table=True):
    """An immutable version of a rank's rules; a change inserts a new version."""

    __tablename__ = "rank_settings_version"
    __table_args__ = (UniqueConstraint("rank_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    rank_id: int = Field(foreign_key="rank.id", index=True)
    version: int
    effective_from: date
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="system", max_length=200)
    note: str = ""
    promotion_threshold: float = 1.1  # weighted attainment needed for promotion
    promotion_quarters: int = 2  # ... this many quarters in a row
    min_tenure_months: int = 12
    demotion_threshold: float = 0.7
    demotion_quarters: int = 2
    ramp_profile: list[float] = Field(default_factory=list, sa_column=Column(JSON))


class RankMetricSetting(SQLModel, table=True):
    """Per rank-settings version and metric: weight, monthly baseline and bound multipliers."""

    __tablename__ = "rank_metric_setting"
    __table_args__ = (UniqueConstraint("settings_id", "metric_id"),)

    id: int | None = Field(default=None, primary_key=True)
    settings_id: int = Field(foreign_key="rank_settings_version.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    weight: float
    baseline: float
    floor_multiplier: float
    ceiling_multiplier: float
