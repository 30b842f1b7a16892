"""Live notifications over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from backend.graphql.context import Info
from backend.graphql.imports import ImportProgress, import_progress
from backend.graphql.planning import generation_progress, plan_changes
from backend.graphql.security import require_root_access
from backend.graphql.types.planning import GenerationProgress, PlanChange
from backend.services.events import broker


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

    @strawberry.subscription(description="Committed changes to one plan (targets rebalanced, ...).")
    async def plan_changed(
        self, info: Info, plan_id: strawberry.ID
    ) -> AsyncGenerator[PlanChange, None]:
        require_root_access(info)
        async for change in plan_changes(info, plan_id):
            yield change

    @strawberry.subscription(description="Progress of a running generation of one plan.")
    async def generation_progress(
        self, info: Info, plan_id: strawberry.ID
    ) -> AsyncGenerator[GenerationProgress, None]:
        require_root_access(info)
        async for step in generation_progress(info, plan_id):
            yield step

    @strawberry.subscription(description="Progress of a running dry run or commit of an import.")
    async def import_progress(
        self, info: Info, run_id: strawberry.ID
    ) -> AsyncGenerator[ImportProgress, None]:
        require_root_access(info)
        async for step in import_progress(info, run_id):
            yield step
