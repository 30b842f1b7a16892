"""Recording changes in the append-only audit log and announcing them to subscribers."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AuditEntry
from backend.services.events import ChangeEvent, broker


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
    org_path: str | None = None,
    publish: bool = True,
) -> AuditEntry:
    """Add one audit row; it is published once the request's transaction commits."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
        reason=reason,
    )
    session.add(entry)
    if not publish:  # security events are audited, never broadcast
        return entry
    pending: list[ChangeEvent] = session.info.setdefault("pending_events", [])
    pending.append(
        ChangeEvent(
            entity=entity, entity_id=str(entity_id), action=action, actor=actor, org_path=org_path
        )
    )
    return entry


def publish_pending(session: AsyncSession) -> None:
    """Called by the request boundary after a successful commit."""
    for event in session.info.pop("pending_events", []):
        broker.publish(event)


def discard_pending(session: AsyncSession) -> None:
    session.info.pop("pending_events", None)
