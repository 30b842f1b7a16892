"""The audit log is append-only, enforced by the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.db.models import AuditEntry


async def test_the_database_refuses_to_update_or_delete_audit_rows(session):
    session.add(AuditEntry(actor="a", action="create", entity="rank", entity_id="1"))
    await session.commit()
    for sql in ("UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text(sql))
        await session.rollback()
    rows = (await session.execute(text("SELECT actor FROM audit_log"))).all()
    assert rows == [("a",)]
