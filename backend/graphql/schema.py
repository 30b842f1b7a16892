"""The Strawberry schema with its extensions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import QueryDepthLimiter, SchemaExtension

from backend.graphql.mutations import CoreMutation
from backend.graphql.queries import CoreQuery
from backend.graphql.subscriptions import Subscription

MAX_QUERY_DEPTH = 12


class CloseSession(SchemaExtension):
    """Each operation's database session is closed when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


# Each feature contributes its own query and mutation classes; the roots inherit them all.
@strawberry.type(description="Read operations.")
class Query(CoreQuery):
    pass


@strawberry.type(description="Write operations; expected failures come back in `errors`.")
class Mutation(CoreMutation):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[CloseSession, lambda: QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH)],
)
