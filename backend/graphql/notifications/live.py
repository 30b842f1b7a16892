"""The ``notifications`` subscription: the caller's own new notifications as they arrive.

A stream listens for wake-ups of the caller's user id only, then reads the caller's rows
after the last one sent, so it can carry nothing of anyone else's. Wake-ups come after the
commit in this process; every ``POLL_SECONDS`` it also looks without one, for notifications
written by another process (``quotient worker``). The credential is re-checked before each
item by ``while_signed_in`` (backend/graphql/subscriptions.py).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from backend.graphql.context import Info
from backend.graphql.errors import as_graphql_error
from backend.graphql.notifications.inbox import Notification, own_user_id
from backend.services.errors import DomainError
from backend.services.notifications import inbox
from backend.services.notifications.live import signals

POLL_SECONDS = 5.0
PAGE = 50


async def _newer(info: Info, user_id: int, after_id: int) -> list[inbox.InboxItem]:
    async with info.context.db() as session:
        items = await inbox.newer_than(session, user_id=user_id, after_id=after_id, limit=PAGE)
        await session.rollback()  # end the read so the next one sees later commits
    return items


async def _newest(info: Info, user_id: int) -> int:
    async with info.context.db() as session:
        newest = await inbox.newest_id(session, user_id=user_id)
        await session.rollback()
    return newest


async def new_notifications(info: Info) -> AsyncGenerator[Notification, None]:
    """The caller's notifications created after the subscription started, oldest first."""
    try:
        user_id = own_user_id(info)
    except DomainError as refusal:
        raise as_graphql_error(refusal) from None
    async with signals.listen(user_id) as wakeups:  # listen before reading: miss nothing
        last = await _newest(info, user_id)
        more = False
        while True:
            if not more:  # between reads no connection is held: a cancel finds none busy
                await wakeups.wait(POLL_SECONDS)
            items = await _newer(info, user_id, last)
            for item in items:
                yield Notification.from_item(item)
            last = items[-1].id if items else last
            more = len(items) == PAGE
