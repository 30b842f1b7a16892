"""Live progress of long work: an in-process fan-out of (stage, done, total) per key.

Progress is published while the working request is still running (before its commit), so it
cannot ride on the audit events, which are published after the commit. A slow subscriber
loses the oldest steps, never blocks the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from backend.services.events import LoopQueue


@dataclass(frozen=True)
class ProgressEvent:
    key: int
    stage: str
    fraction: float
    done: int = 0
    total: int = 0


class ProgressChannel:
    """One kind of work (plan generation, an import run); keys are the entity ids."""

    def __init__(self) -> None:
        self.subscribers: dict[int, set[LoopQueue[ProgressEvent]]] = {}

    def publish(self, key: int, stage: str, fraction: float, done: int = 0, total: int = 0) -> None:
        event = ProgressEvent(key, stage, fraction, done, total)
        for queue in list(self.subscribers.get(key, ())):
            if not queue.offer(event):
                self.subscribers.get(key, set()).discard(queue)  # its event loop has ended

    async def subscribe(self, key: int) -> AsyncIterator[ProgressEvent]:
        queue: LoopQueue[ProgressEvent] = LoopQueue(100)
        self.subscribers.setdefault(key, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self.subscribers.get(key, set()).discard(queue)

    def reporter(self, key: int) -> ProgressReporter:
        """A callback for the work, safe to call from worker threads."""
        return ProgressReporter(self, key, asyncio.get_running_loop())


@dataclass(frozen=True)
class ProgressReporter:
    channel: ProgressChannel
    key: int
    loop: asyncio.AbstractEventLoop

    def __call__(self, stage: str, done: int, total: int) -> None:
        fraction = done / total if total > 0 else 1.0
        self.loop.call_soon_threadsafe(self.channel.publish, self.key, stage, fraction, done, total)
