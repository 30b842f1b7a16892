"""The in-app inbox: a user's own notifications, rendered in their language, and marking read.

Every function takes the reader's user id and reads or changes only that user's rows: there
is no way through here to another user's notifications (ids of others are simply not found).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Notification, User
from backend.services.notifications.messages import locale_of, render


@dataclass(frozen=True)
class InboxItem:
    """One notification as its reader reads it."""

    id: int
    kind: str
    message_key: str
    subject: str
    body: str
    alert_id: int | None
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    total: int
    unread: int


async def reader_locale(session: AsyncSession, user_id: int) -> str:
    user = await session.get(User, user_id)
    return locale_of(user.locale if user else None)


def as_items(rows: Sequence[Notification], locale: str) -> list[InboxItem]:
    items = []
    for row in rows:
        text = render(row.message_key, row.params, locale)
        items.append(
            InboxItem(
                id=row.id or 0,
                kind=row.kind,
                message_key=row.message_key,
                subject=text.subject,
                body=text.body,
                alert_id=row.alert_id,
                created_at=row.created_at,
                read_at=row.read_at,
            )
        )
    return items


def _own(user_id: int, unread_only: bool = False) -> ColumnElement[bool]:
    """The user's own rows (and only the unread ones)."""
    mine = col(Notification.user_id) == user_id
    return and_(mine, col(Notification.read_at).is_(None)) if unread_only else mine


async def page(
    session: AsyncSession, *, user_id: int, limit: int, offset: int, unread_only: bool = False
) -> InboxPage:
    """A page of the user's notifications, newest first, with the total and unread counts."""
    query = select(Notification).where(_own(user_id, unread_only))
    query = query.order_by(col(Notification.id).desc()).offset(offset).limit(limit)
    rows = (await session.exec(query)).all()
    return InboxPage(
        items=as_items(rows, await reader_locale(session, user_id)),
        total=await _count(session, user_id, unread_only),
        unread=await _count(session, user_id, True),
    )


async def _count(session: AsyncSession, user_id: int, unread_only: bool) -> int:
    query = select(func.count(col(Notification.id))).where(_own(user_id, unread_only))
    return int((await session.exec(query)).one())


async def mark_read(
    session: AsyncSession, *, user_id: int, ids: Sequence[int] | None, now: datetime
) -> int:
    """Mark the user's notifications read (``ids`` None: all of them); how many changed."""
    statement = update(Notification).where(_own(user_id, unread_only=True))
    if ids is not None:
        statement = statement.where(col(Notification.id).in_(ids))
    result = await session.execute(statement.values(read_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def unread_count(session: AsyncSession, *, user_id: int) -> int:
    return await _count(session, user_id, True)


async def newest_id(session: AsyncSession, *, user_id: int) -> int:
    """The id of the user's newest notification (0 when none): a live feed starts after it."""
    query = select(func.max(col(Notification.id))).where(_own(user_id))
    return int((await session.exec(query)).one() or 0)


async def newer_than(
    session: AsyncSession, *, user_id: int, after_id: int, limit: int = 50
) -> list[InboxItem]:
    """The user's notifications after ``after_id``, oldest first (a live feed's next items)."""
    query = (
        select(Notification)
        .where(_own(user_id), col(Notification.id) > after_id)
        .order_by(col(Notification.id))
        .limit(limit)
    )
    rows = (await session.exec(query)).all()
    return as_items(rows, await reader_locale(session, user_id)) if rows else []


async def created_between(
    session: AsyncSession, *, user_id: int, start: datetime, end: datetime
) -> Sequence[Notification]:
    """The user's notifications created in [start, end), oldest first (a digest's items)."""
    query = select(Notification).where(
        col(Notification.user_id) == user_id,
        col(Notification.created_at) >= start,
        col(Notification.created_at) < end,
    )
    return (await session.exec(query.order_by(col(Notification.id)))).all()
