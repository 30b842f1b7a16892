"""Live planning feeds: committed plan changes and generation progress."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import (
    or_graphql_error,
    query_id,
)
from backend.graphql.types.planning import (
    GenerationProgress,
    PlanChange,
    RebalancedTarget,
)
from backend.services.events import broker
from backend.services.planning import lifecycle as lifecycle_service
from backend.services.planning import progress


def _change(entry: _Entry, plan_id: int) -> PlanChange:
    """One audit entry as a change; ``audit_since`` has already narrowed it to the caller's
    scope (only their reps' targets)."""
    after = entry.after
    changes = after.get("changes", [])
    return PlanChange(
        plan_id=strawberry.ID(str(plan_id)),
        action=entry.action,
        actor=entry.actor,
        at=entry.at,
        metric_code=after.get("metric"),
        targets=[
            RebalancedTarget(
                rep_id=strawberry.ID(str(c["rep_id"])),
                total=c["total"],
                probability=c["probability"],
                months=c.get("months", []),
                version=c["version"],
            )
            for c in changes
        ],
    )


@dataclass(frozen=True)
class _Entry:
    id: int
    action: str
    actor: str
    at: dt.datetime
    after: dict[str, Any]


async def _entries_since(info: Info, plan_id: int, after_id: int) -> tuple[list[_Entry], int]:
    """The caller's view of the entries after ``after_id`` (a page), and the last id read."""
    async with info.context.db() as session:
        rows, last = await or_graphql_error(
            lifecycle_service.audit_since(
                session, principal=info.context.principal, plan_id=plan_id, after_id=after_id
            )
        )
        entries = [_Entry(e.id or 0, e.action, e.actor, e.at, e.after or {}) for e in rows]
        await session.rollback()  # end the read so the next one sees later commits
    return entries, last


async def _caught_up(info: Info, plan_id: int) -> int:
    """The id of the plan's newest audit entry: the feed sends only what comes after it."""
    last = -1
    after = 0
    while after != last:
        last = after
        _, after = await _entries_since(info, plan_id, last)
    return last


async def plan_changes(info: Info, plan_id: strawberry.ID) -> AsyncGenerator[PlanChange, None]:
    """Committed changes to one plan, as far as the caller's scope reaches: overrides of their
    reps with their reps' rebalanced targets, lifecycle, ... (see ``audit_since``)."""
    pid = query_id(plan_id, "planId")
    events = broker.subscribe()
    pending = asyncio.ensure_future(anext(events))  # listen before reading: miss nothing
    try:
        await asyncio.sleep(0)
        last = await _caught_up(info, pid)
        while True:
            event = await pending
            pending = asyncio.ensure_future(anext(events))
            if event.entity != "plan" or event.entity_id != str(pid):
                continue
            while True:  # every page up to the newest entry
                entries, newest = await _entries_since(info, pid, last)
                for entry in entries:
                    yield _change(entry, pid)
                if newest == last:
                    break
                last = newest
    finally:  # cancelling the pending read ends the broker subscription (its queue goes)
        pending.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await pending


async def generation_progress(
    info: Info, plan_id: strawberry.ID
) -> AsyncGenerator[GenerationProgress, None]:
    """Stages and fractions of a running generation of a plan the caller may see."""
    pid = query_id(plan_id, "planId")
    await _entries_since(info, pid, 2**62)  # visibility check only
    async for event in progress.subscribe(pid):
        yield GenerationProgress(
            plan_id=strawberry.ID(str(pid)), stage=event.stage, fraction=event.fraction
        )
