"""Live notifications over graphql-transport-ws, for as long as the caller's credential holds.

Every stream is filtered per event to the caller's scope, and the credential (session cookie or
API token) is checked again before each event is sent, before each operation a socket starts,
and every ``RECHECK_SECONDS`` on an open socket: after sign-out, revocation, expiry,
deactivation or a change of role or scope, the stream ends with an UNAUTHENTICATED error and
the socket is closed (4403), so nothing more reaches a caller who is no longer who they were.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import suppress
from typing import Any, TypeVar

import strawberry
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

from backend.graphql.context import Context, Info
from backend.graphql.imports import ImportProgress, import_progress
from backend.graphql.notifications.inbox import Notification
from backend.graphql.notifications.live import new_notifications
from backend.graphql.planning import generation_progress, plan_changes
from backend.graphql.security import AccessDenied, require_root_access
from backend.graphql.types.planning import GenerationProgress, PlanChange
from backend.services.events import broker

T = TypeVar("T")

#: How often an open socket checks that its credential still holds.
RECHECK_SECONDS = 5.0
#: The close code of a socket whose credential no longer holds (graphql-ws: Forbidden).
CREDENTIAL_ENDED = 4403
ENDED = "your session or token has ended or changed: sign in again"


async def while_signed_in(info: Info, stream: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
    """The stream's events, each only after the caller's credential is checked again; once it
    no longer holds (or stands for another principal) the stream ends with an error."""
    try:
        async for item in stream:
            if not await info.context.still_valid():
                raise AccessDenied(ENDED, extensions={"code": "UNAUTHENTICATED"})
            yield item
    finally:
        await stream.aclose()


class LiveSocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws that re-checks the socket's credential before each operation and
    every ``RECHECK_SECONDS``, and closes the socket once it no longer holds."""

    async def handle(self) -> None:
        watchdog = asyncio.create_task(self._watch())
        try:
            await super().handle()
        finally:
            watchdog.cancel()
            with suppress(asyncio.CancelledError):
                await watchdog

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and not await self.context.still_valid():
            await self._credential_ended()
            return
        await super().handle_subscribe(message)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(RECHECK_SECONDS)
            if self.connection_acknowledged and not await self.context.still_valid():
                await self._credential_ended()
                return

    async def _credential_ended(self) -> None:
        for operation_id in list(self.operations):  # stop every stream before the socket goes
            await self.cleanup_operation(operation_id)
        with suppress(Exception):  # the client may have gone already
            await self.websocket.close(code=CREDENTIAL_ENDED, reason="Forbidden: sign in again")


@strawberry.type(description="Something changed: which entity, how, and by whom.")
class Change:
    entity: str = strawberry.field(description="Kind of entity, e.g. `rank`, `rep`, `org_unit`.")
    entity_id: strawberry.ID = strawberry.field(description="Id of the changed entity.")
    action: str = strawberry.field(description="What happened, e.g. `update`, `transfer`.")
    actor: str = strawberry.field(description="Who made the change.")


@strawberry.type(description="Live notifications.")
class Subscription:
    @strawberry.subscription(description="Committed changes, optionally of one kind of entity.")
    async def changes(self, info: Info, entity: str | None = None) -> AsyncGenerator[Change, None]:
        require_root_access(info)
        async for change in while_signed_in(info, _changes(info, entity)):
            yield change

    @strawberry.subscription(description="Committed changes to one plan (targets rebalanced, ...).")
    async def plan_changed(
        self, info: Info, plan_id: strawberry.ID
    ) -> AsyncGenerator[PlanChange, None]:
        require_root_access(info)
        async for change in while_signed_in(info, plan_changes(info, plan_id)):
            yield change

    @strawberry.subscription(description="Progress of a running generation of one plan.")
    async def generation_progress(
        self, info: Info, plan_id: strawberry.ID
    ) -> AsyncGenerator[GenerationProgress, None]:
        require_root_access(info)
        async for step in while_signed_in(info, generation_progress(info, plan_id)):
            yield step

    @strawberry.subscription(description="Progress of a running dry run or commit of an import.")
    async def import_progress(
        self, info: Info, run_id: strawberry.ID
    ) -> AsyncGenerator[ImportProgress, None]:
        require_root_access(info)
        async for step in while_signed_in(info, import_progress(info, run_id)):
            yield step

    @strawberry.subscription(description="Your own new notifications, as they arrive.")
    async def notifications(self, info: Info) -> AsyncGenerator[Notification, None]:
        require_root_access(info)
        async for notification in while_signed_in(info, new_notifications(info)):
            yield notification


async def _changes(info: Info, entity: str | None) -> AsyncGenerator[Change, None]:
    scope = info.context.scope
    async for event in broker.subscribe():
        if event.org_path is not None and not scope.covers_path(event.org_path):
            continue  # changes outside the caller's subtree are not theirs to see
        if entity in (None, event.entity):
            yield Change(
                entity=event.entity,
                entity_id=strawberry.ID(event.entity_id),
                action=event.action,
                actor=event.actor,
            )
