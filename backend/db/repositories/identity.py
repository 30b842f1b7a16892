"""Queries on users, sign-in sessions and API tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.sqltypes import UTCDateTime

from backend.db.models import ApiToken, AuthSession, User


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return (await session.exec(select(User).where(User.username == username))).first()


async def user_by_username_any_case(session: AsyncSession, username: str) -> User | None:
    """A user whose name equals ``username`` but for letter case (names are ASCII)."""
    query = select(User).where(func.lower(col(User.username)) == username.lower())
    return (await session.exec(query)).first()


async def claim_sign_in_attempt(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
) -> int | None:
    """Count an attempt as failed before its password is checked, in one atomic statement.

    Returns the failures counted so far including this one, or None while the account is
    locked. The attempt that reaches ``max_failures`` locks the account at once, so however
    many attempts run concurrently, at most ``max_failures`` passwords are ever checked per
    lockout; a success then resets the count (``reset_sign_in_failures``). A lock that has
    expired starts a fresh count.
    """
    locked_until = col(User.locked_until)
    failed = case((locked_until.is_not(None), 1), else_=col(User.failed_sign_ins) + 1)
    lock = case((failed >= max_failures, literal(now + lockout, UTCDateTime())), else_=None)
    statement = (
        update(User)
        .where(col(User.id) == user_id, or_(locked_until.is_(None), locked_until <= now))
        .values(failed_sign_ins=failed, locked_until=lock)
        .returning(col(User.failed_sign_ins))
        .execution_options(synchronize_session=False)
    )
    counted = (await session.exec(statement)).scalar_one_or_none()
    return None if counted is None else int(counted)


async def reset_sign_in_failures(session: AsyncSession, user_id: int, *, now: datetime) -> None:
    """A right password clears the count and any lock its own attempt may have set."""
    statement = (
        update(User)
        .where(col(User.id) == user_id)
        .values(failed_sign_ins=0, locked_until=None, last_sign_in_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.exec(statement)


async def session_by_hash(session: AsyncSession, token_hash: str) -> AuthSession | None:
    query = select(AuthSession).where(AuthSession.token_hash == token_hash)
    return (await session.exec(query)).first()


async def token_by_hash(session: AsyncSession, token_hash: str) -> ApiToken | None:
    return (await session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash))).first()


async def tokens_of(session: AsyncSession, user_id: int | None) -> Sequence[ApiToken]:
    """Tokens of one user, or of everyone when ``user_id`` is None; newest first."""
    query = select(ApiToken).order_by(col(ApiToken.id).desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return (await session.exec(query)).all()


async def all_users(session: AsyncSession) -> Sequence[User]:
    return (await session.exec(select(User).order_by(col(User.username)))).all()
