"""The change broker hands events to subscribers on any event loop, from any thread."""

from __future__ import annotations

import asyncio
import threading

from backend.services.events import Broker, ChangeEvent, LoopQueue

EVENT = ChangeEvent(entity="rep", entity_id="1", action="update", actor="test")


async def test_an_event_published_from_another_thread_wakes_the_subscriber():
    broker = Broker()
    stream = broker.subscribe()
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0)  # subscribed
    # A publisher with no event loop of its own (a worker thread, another server loop): the
    # subscriber's loop is woken through call_soon_threadsafe, not left asleep.
    threading.Thread(target=broker.publish, args=(EVENT,)).start()
    assert await asyncio.wait_for(first, timeout=5) == EVENT
    await stream.aclose()
    assert broker.subscriber_count == 0


def test_a_queue_whose_loop_has_ended_refuses_the_event_instead_of_raising():
    async def make() -> LoopQueue[ChangeEvent]:
        return LoopQueue(10)

    loop = asyncio.new_event_loop()
    queue = loop.run_until_complete(make())
    loop.close()
    assert queue.offer(EVENT) is False  # the broker then drops the subscriber


async def test_a_slow_subscriber_loses_its_oldest_event_and_never_blocks():
    queue: LoopQueue[ChangeEvent] = LoopQueue(2)
    events = [ChangeEvent("rep", str(i), "update", "test") for i in range(3)]
    for event in events:
        assert queue.offer(event)
    assert [await queue.get(), await queue.get()] == events[1:]
