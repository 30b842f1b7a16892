"""The Strawberry schema: feature roots, limits, access control and error masking."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError, validate
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

from backend.graphql.adjustments import AdjustmentMutation, AdjustmentQuery
from backend.graphql.adjustments.people import PeopleChangeMutation
from backend.graphql.alerts import AlertMutation, AlertQuery
from backend.graphql.cost import CostLimits, HeavySlots
from backend.graphql.feedback import FeedbackMutation, FeedbackQuery
from backend.graphql.identity import IdentityMutation, IdentityQuery
from backend.graphql.import_runs import ImportRunMutation
from backend.graphql.imports import ImportMutation, ImportQuery
from backend.graphql.limits import (
    MAX_ALIASES,
    MAX_BATCH,
    MAX_DEPTH,
    MAX_TOKENS,
    MaxDirectivesRule,
)
from backend.graphql.mutations import CoreMutation
from backend.graphql.notifications import NotificationMutation, NotificationQuery
from backend.graphql.planning import PlanningMutation, PlanningQuery
from backend.graphql.queries import CoreQuery
from backend.graphql.security import EnforceAccess
from backend.graphql.subscriptions import Subscription
from backend.graphql.tracking import TrackingMutation, TrackingQuery


class CloseSession(SchemaExtension):
    """Each operation's database session is closed when the operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


class HideSuggestions(SchemaExtension):
    """Validation without "Did you mean …": it would list the schema's names to anyone.

    Strawberry validates only when no extension has (``pre_execution_errors`` still None), so
    this runs the same rules first, with graphql-core's ``hide_suggestions``.
    """

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            context.pre_execution_errors = validate(
                context.schema._schema,
                context.graphql_document,
                context.validation_rules,
                hide_suggestions=True,
            )
        yield


class ProductionSchema(strawberry.Schema):
    """Executes without suggestions too (variables coerced to enums and input types)."""

    def _get_execute_function(self) -> Callable[..., Any]:
        return functools.partial(super()._get_execute_function(), hide_suggestions=True)


# Each feature contributes its own query and mutation classes; the roots inherit them all.
@strawberry.type(description="Read operations.")
class Query(
    CoreQuery,
    IdentityQuery,
    ImportQuery,
    PlanningQuery,
    TrackingQuery,
    AlertQuery,
    NotificationQuery,
    AdjustmentQuery,
    FeedbackQuery,
):
    pass


@strawberry.type(description="Write operations; expected failures come back in `errors`.")
class Mutation(
    CoreMutation,
    IdentityMutation,
    ImportMutation,
    ImportRunMutation,
    PlanningMutation,
    TrackingMutation,
    AlertMutation,
    NotificationMutation,
    AdjustmentMutation,
    FeedbackMutation,
    PeopleChangeMutation,
):
    pass


def _is_internal(error: GraphQLError) -> bool:
    """Mask unexpected exceptions; keep validation errors and our own GraphQL errors readable."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema; production turns introspection and "Did you mean …" suggestions off.

    Each schema (one per app) has its own register of running heavy fields.
    """
    rules: list[Any] = [MaxDirectivesRule]
    slots = HeavySlots()
    extensions: list[Any] = []
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
        extensions.append(HideSuggestions)
    return (ProductionSchema if production else strawberry.Schema)(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
        extensions=[
            CloseSession,
            EnforceAccess,
            lambda: CostLimits(slots),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: AddValidationRules(rules),
            lambda: MaskErrors(should_mask_error=_is_internal),
            *extensions,
        ],
    )


schema = build_schema()
