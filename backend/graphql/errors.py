"""The one place where a mutation becomes a transaction and a refusal becomes payload errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphql import GraphQLError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.graphql.context import Info
from backend.graphql.types.common import UserError, parse_id, user_errors
from backend.services.audit import discard_pending, publish_pending
from backend.services.errors import DomainError, ErrorCode

T = TypeVar("T")


async def atomic(
    info: Info, action: Callable[[AsyncSession], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run one mutation's service call: commit on success, roll back on refusal.

    Every mutation goes through here, so a refused input never leaves a partial change.
    """
    async with info.context.db() as session:
        return await _commit_or_refuse(session, action)


async def _commit_or_refuse(
    session: AsyncSession, action: Callable[[AsyncSession], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    try:
        result = await action(session)
        await session.commit()
    except DomainError as refusal:
        await _rollback(session)
        return None, user_errors(refusal)
    except StaleDataError:  # another writer raised the row's version first (VersionChecked)
        await _rollback(session)
        return None, [
            UserError(
                field="expectedVersion",
                code=ErrorCode.STALE_VERSION,
                message="someone else changed this meanwhile; reload and try again",
            )
        ]
    except IntegrityError:
        await _rollback(session)
        return None, [
            UserError(
                field=None,
                code=ErrorCode.CONFLICT,
                message="a concurrent change conflicts with this one; retry",
            )
        ]
    publish_pending(session)
    return result, []


async def _rollback(session: AsyncSession) -> None:
    await session.rollback()
    discard_pending(session)


class UserFacingError(GraphQLError):
    """A query refused for a reason the caller can fix; shown as is, never masked."""


def as_graphql_error(refusal: DomainError) -> UserFacingError:
    first = refusal.problems[0]
    return UserFacingError(
        str(refusal), extensions={"code": first.code.value, "field": first.field}
    )


async def or_graphql_error(awaitable: Awaitable[T]) -> T:
    """Queries have no payload: a refusal becomes a readable GraphQL error with its code."""
    try:
        return await awaitable
    except DomainError as refusal:
        raise as_graphql_error(refusal) from None


def query_id(value: str, field: str = "id") -> int:
    """Parse an id argument of a query; a malformed one is a readable GraphQL error."""
    try:
        return parse_id(value, field)
    except DomainError as refusal:
        raise as_graphql_error(refusal) from None
