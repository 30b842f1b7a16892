"""Identity (users, sign-in sessions, API tokens) and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from backend.db.models._base import VersionChecked, utcnow


class User(VersionChecked, SQLModel, table=True):
    """A person or integration identity; ``role`` and ``scope_org_id`` bound what it may do."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=200, unique=True)
    display_name: str = Field(default="", max_length=200)
    email: str = Field(
        default="", max_length=320, sa_column_kwargs={"server_default": ""}
    )  # where e-mail notifications go ("" = none)
    locale: str = Field(
        default="en", max_length=8, sa_column_kwargs={"server_default": "en"}
    )  # en or zh-CN: e-mails and the inbox
    password_hash: str = Field(default="", max_length=500)
    role: str = Field(default="rep", max_length=32)
    scope_org_id: int | None = Field(default=None, foreign_key="org_unit.id")
    rep_id: int | None = Field(default=None, foreign_key="rep.id")
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    failed_sign_ins: int = 0
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None
    version: int = 1


class AuthSession(SQLModel, table=True):
    """A browser sign-in; the cookie carries a random token whose hash is stored here."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=128, unique=True)
    csrf_token: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A token for headless integrations: hashed at rest, shown once, scoped, expiring."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16)  # shown in lists so a token can be recognised
    token_hash: str = Field(max_length=128, unique=True)
    actions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    scope_org_id: int | None = Field(default=None, foreign_key="org_unit.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=200)
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


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
