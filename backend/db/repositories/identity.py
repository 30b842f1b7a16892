"""Queries on users, sign-in sessions and API tokens."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ApiToken, AuthSession, User


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return (await session.exec(select(User).where(User.username == username))).first()


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
