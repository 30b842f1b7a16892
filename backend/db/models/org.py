"""The organisation: a tree of units of any depth, and the sales regions."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from backend.db.models._base import VersionChecked


class OrgUnit(VersionChecked, SQLModel, table=True):
    """A node of the org tree (company > region > branch > team, any depth).

    ``path`` is the materialised path of ids (``/1/4/17/``) so a subtree is one
    ``LIKE 'prefix%'`` query on any database.
    """

    __tablename__ = "org_unit"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="org_unit.id", index=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    region_code: str | None = Field(default=None, max_length=32)
    path: str = Field(default="/", max_length=1000, index=True)
    depth: int = 0
    version: int = 1


class Region(SQLModel, table=True):
    """A sales region; its market potential scales targets."""

    __tablename__ = "region"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    market_potential: float = 1.0
