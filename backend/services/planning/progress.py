"""Live generation progress: an in-process fan-out of (stage, fraction) per plan.

Progress is published while the generating request is still running (before its commit), so it
cannot ride on the audit events, which are published after the commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class GenerationProgress:
    plan_id: int
    stage: str
    fraction: float


_subscribers: dict[int, set[asyncio.Queue[GenerationProgress]]] = {}


def publish(plan_id: int, stage: str, fraction: float) -> None:
    event = GenerationProgress(plan_id, stage, fraction)
    for queue in list(_subscribers.get(plan_id, ())):
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(event)


async def subscribe(plan_id: int) -> AsyncIterator[GenerationProgress]:
    queue: asyncio.Queue[GenerationProgress] = asyncio.Queue(100)
    _subscribers.setdefault(plan_id, set()).add(queue)
    try:
        while True:
            yield await queue.get()
    finally:
        _subscribers.get(plan_id, set()).discard(queue)
