"""An in-process publish/subscribe broker for change notifications (GraphQL subscriptions).

One server process holds its subscribers in memory; a deployment with several processes would
put Redis pub/sub behind the same two methods.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ChangeEvent:
    entity: str
    entity_id: str
    action: str
    actor: str
    org_path: str | None = None  # where in the org tree; None = of interest company-wide


class Broker:
    def __init__(self, queue_size: int = 100) -> None:
        self._queues: set[LoopQueue[ChangeEvent]] = set()
        self._queue_size = queue_size

    def publish(self, event: ChangeEvent) -> None:
        for queue in list(self._queues):
            if not queue.offer(event):
                self._queues.discard(queue)  # its event loop has ended

    async def subscribe(self) -> AsyncIterator[ChangeEvent]:
        queue: LoopQueue[ChangeEvent] = LoopQueue(self._queue_size)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._queues)


class LoopQueue(Generic[T]):
    """A subscriber's bounded queue, fed safely from any thread or event loop.

    ``asyncio.Queue`` may only be touched from its own loop: a publisher on another loop or
    thread (a worker thread, another server loop, a test client's portal) could miss waking
    the reader. Items from elsewhere go through ``call_soon_threadsafe``. A slow subscriber
    loses its oldest item, never blocks the publisher.
    """

    def __init__(self, size: int) -> None:
        self._queue: asyncio.Queue[T] = asyncio.Queue(size)
        self._loop = asyncio.get_running_loop()

    def offer(self, item: T) -> bool:
        """Hand ``item`` to the subscriber; False when its loop is gone."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._put(item)
            return True
        try:
            self._loop.call_soon_threadsafe(self._put, item)
        except RuntimeError:  # the loop is closed
            return False
        return True

    def _put(self, item: T) -> None:
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(item)

    async def get(self) -> T:
        return await self._queue.get()


broker = Broker()
