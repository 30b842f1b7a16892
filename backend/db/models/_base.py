"""Shared column helpers for the SQLModel tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import declared_attr


def utcnow() -> datetime:
    """Aware UTC timestamp (SQLModel's datetime columns refuse naive ones)."""
    return datetime.now(UTC)


class VersionChecked:
    """Mixin: every ORM UPDATE of the row says ``WHERE version = <the version read>``.

    Services compare the caller's expected version with the row they read, then raise it by
    one; two writers can both pass that check, so the database decides: the second UPDATE
    matches no row and SQLAlchemy raises ``StaleDataError`` (turned into STALE_VERSION).
    The application sets the new version itself (``version_id_generator`` off).
    """

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:
        table = cls.__table__  # type: ignore[attr-defined]
        return {"version_id_col": table.c.version, "version_id_generator": False}
