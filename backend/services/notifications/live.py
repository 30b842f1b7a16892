"""Telling live subscribers that a user has new notifications, once they are committed.

``notify`` marks the users on the session; after its transaction commits (whoever commits it:
the request boundary, a job worker) each subscriber of those users is woken, and after a
rollback nothing is sent. Only the user id travels: the subscriber reads its own new rows from
the database, so nothing of one user's inbox ever passes through another's stream. Wake-ups
reach subscribers of this process only; a subscriber also looks every few seconds, for
notifications written by another process (``quotient worker``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.services.events import LoopQueue

_PENDING = "notified_user_ids"
_HOOKED = "notify_hooks_installed"


class InboxSignals:
    """Subscribers by user id; each gets a wake-up per committed batch of notifications."""

    def __init__(self) -> None:
        self._queues: dict[int, set[LoopQueue[None]]] = {}

    def publish(self, user_ids: Iterable[int]) -> None:
        for user_id in user_ids:
            for queue in list(self._queues.get(user_id, ())):
                if not queue.offer(None):
                    self._queues[user_id].discard(queue)  # its event loop has ended

    @asynccontextmanager
    async def listen(self, user_id: int) -> AsyncIterator[Wakeups]:
        queue: LoopQueue[None] = LoopQueue(1)  # one pending wake-up says it all
        self._queues.setdefault(user_id, set()).add(queue)
        try:
            yield Wakeups(queue)
        finally:
            self._queues.get(user_id, set()).discard(queue)

    def subscriber_count(self, user_id: int) -> int:
        return len(self._queues.get(user_id, ()))


class Wakeups:
    def __init__(self, queue: LoopQueue[None]) -> None:
        self._queue = queue

    async def wait(self, timeout: float) -> bool:
        """Until woken (True) or ``timeout`` seconds pass (False)."""
        try:
            await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return False
        return True


signals = InboxSignals()


def after_commit(session: AsyncSession, user_ids: Iterable[int]) -> None:
    """Wake the users' subscribers once ``session``'s transaction commits."""
    pending: set[int] = session.info.setdefault(_PENDING, set())
    pending.update(user_ids)
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session.sync_session, "after_commit", _publish)
        event.listen(session.sync_session, "after_rollback", _discard)


def _publish(sync_session: Session) -> None:
    signals.publish(sync_session.info.pop(_PENDING, set()))


def _discard(sync_session: Session, *_: Any) -> None:
    sync_session.info.pop(_PENDING, None)
