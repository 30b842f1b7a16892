"""An in-process publish/subscribe broker for change notifications (GraphQL subscriptions).

One server process holds its subscribers in memory; a deployment with several processes would
put Redis pub/sub behind the same two methods.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangeEvent:
    entity: str
    entity_id: str
    action: str
    actor: str
    org_path: str | None = None  # where in the org tree; None = of interest company-wide


class Broker:
    def __init__(self, queue_size: int = 100) -> None:
        self._queues: set[asyncio.Queue[ChangeEvent]] = set()
        self._queue_size = queue_size

    def publish(self, event: ChangeEvent) -> None:
        for queue in list(self._queues):
            if queue.full():  # a slow subscriber loses its oldest event, never blocks others
                queue.get_nowait()
            queue.put_nowait(event)

    async def subscribe(self) -> AsyncIterator[ChangeEvent]:
        queue: asyncio.Queue[ChangeEvent] = asyncio.Queue(self._queue_size)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._queues)


broker = Broker()
