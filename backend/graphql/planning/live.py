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
from backend.services.access import Scope
from backend.services.events import broker
from backend.services.planning import lifecycle as lifecycle_service
from backend.services.planning import progress


def _change(entry: _Entry, plan_id: int, scope: Scope) -> PlanChange:
    after = entry.after
    changes = [
        c
        for c in after.get("changes", [])
        if scope.rep_id is None or c.get("rep_id") == scope.rep_id
    ]
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


async def _entries_since(info: Info, plan_id: int, after_id: int) -> list[_Entry]:
    async with info.context.db() as session:
        rows = await or_graphql_error(
            lifecycle_service.audit_since(
                session, scope=info.context.scope, plan_id=plan_id, after_id=after_id
            )
        )
        entries = [_Entry(e.id or 0, e.action, e.actor, e.at, e.after or {}) for e in rows]
        await session.rollback()  # end the read so the next one sees later commits
    return entries


async def plan_changes(info: Info, plan_id: strawberry.ID) -> AsyncGenerator[PlanChange, None]:
    """Committed changes to one plan: overrides with the rebalanced targets, lifecycle, ..."""
    pid = query_id(plan_id, "planId")
    events = broker.subscribe()
    pending = asyncio.ensure_future(anext(events))  # listen before reading: miss nothing
    try:
        await asyncio.sleep(0)
        seen = await _entries_since(info, pid, 0)
        last = seen[-1].id if seen else 0
        while True:
            event = await pending
            pending = asyncio.ensure_future(anext(events))
            if event.entity != "plan" or event.entity_id != str(pid):
                continue
            for entry in await _entries_since(info, pid, last):
                last = entry.id
                yield _change(entry, pid, info.context.scope)
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
