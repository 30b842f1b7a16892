"""The append-only audit log and the users it names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from backend.db.models._base import utcnow


class User(SQLModel, table=True):
    """A person or integration that signs in; role and scope are filled in by the security layer."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=200, unique=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str = Field(default="", max_length=500)
    role: str = Field(default="rep", max_length=32)
    scope_org_id: int | None = Field(default=None, foreign_key="org_unit.id")
    rep_id: int | None = Field(default=None, foreign_key="rep.id")
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """One change: who, when, what, before, after, why. Rows are never updated or deleted."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=64, index=True)
    entity_id: str = Field(max_length=64, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    reason: str = ""
