"""The Strawberry schema with its extensions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import QueryDepthLimiter, SchemaExtension

from backend.graphql.mutations import Mutation
from backend.graphql.queries import Query
from backend.graphql.subscriptions import Subscription

MAX_QUERY_DEPTH = 12


class CloseSession(SchemaExtension):
    """Each operation's database session is closed when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[CloseSession, lambda: QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH)],
)
