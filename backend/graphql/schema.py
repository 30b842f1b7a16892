"""The Strawberry schema: feature roots, limits, access control and error masking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from backend.graphql.identity import IdentityMutation, IdentityQuery
from backend.graphql.imports import ImportMutation, ImportQuery
from backend.graphql.limits import (
    MAX_ALIASES,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_TOKENS,
    MaxDirectivesRule,
)
from backend.graphql.mutations import CoreMutation
from backend.graphql.planning import PlanningMutation, PlanningQuery
from backend.graphql.queries import CoreQuery
from backend.graphql.security import EnforceAccess
from backend.graphql.subscriptions import Subscription


class CloseSession(SchemaExtension):
    """Each operation's database session is closed when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


# Each feature contributes its own query and mutation classes; the roots inherit them all.
@strawberry.type(description="Read operations.")
class Query(CoreQuery, IdentityQuery, ImportQuery, PlanningQuery):
    pass


@strawberry.type(description="Write operations; expected failures come back in `errors`.")
class Mutation(CoreMutation, IdentityMutation, ImportMutation, PlanningMutation):
    pass


def _is_internal(error: GraphQLError) -> bool:
    """Mask unexpected exceptions; keep validation errors and our own GraphQL errors readable."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema; production turns introspection off."""
    rules: list[Any] = [MaxDirectivesRule]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
        extensions=[
            CloseSession,
            EnforceAccess,
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: AddValidationRules(rules),
            lambda: MaskErrors(should_mask_error=_is_internal),
        ],
    )


schema = build_schema()
