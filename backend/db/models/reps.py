"""Sales reps and their rank history."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from backend.db.models._base import VersionChecked


class Rep(VersionChecked, SQLModel, table=True):
    """A sales rep, placed in a team with a current rank; ``version`` guards concurrent edits."""

    __tablename__ = "rep"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200, index=True)
    team_id: int = Field(foreign_key="org_unit.id", index=True)
    rank_id: int = Field(foreign_key="rank.id", index=True)
    region_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    territory: str = Field(default="", max_length=200)
    hire_date: date
    leave_date: date | None = None
    version: int = 1


class RepRankHistory(SQLModel, table=True):
    """Each rank a rep held, from when; the newest row is the current rank."""

    __tablename__ = "rep_rank_history"

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    rank_id: int = Field(foreign_key="rank.id")
    effective_from: date
    reason: str = ""
