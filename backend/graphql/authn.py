"""Authentication of a request or WebSocket: bearer API token, or session cookie + CSRF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from backend.services import auth
from backend.services.access import ANONYMOUS, Principal

SESSION_COOKIE = "quotient_session"
CSRF_COOKIE = "quotient_csrf"
CSRF_HEADER = "x-csrf-token"


def bearer_token(value: str | None) -> str | None:
    if value and value.lower().startswith("bearer "):
        return value[7:].strip() or None
    return None


def same_origin(connection: HTTPConnection) -> bool:
    """A browser's Origin header, when sent, must name this very host (stops cross-site use)."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == connection.headers.get("host", "")


async def authenticate(
    connection: HTTPConnection, sessions: async_sessionmaker[AsyncSession]
) -> Principal:
    """The caller: a valid bearer token wins, then a session cookie, else anonymous.

    CSRF for cookie-authenticated HTTP requests is enforced earlier, by ``CSRFMiddleware``.
    """
    token = bearer_token(connection.headers.get("authorization"))
    cookie = connection.cookies.get(SESSION_COOKIE)
    if token is None and (cookie is None or not same_origin(connection)):
        return ANONYMOUS
    async with sessions() as session:
        now = auth.now_utc()
        if token is not None:
            return await auth.principal_from_api_token(session, token, now=now) or ANONYMOUS
        assert cookie is not None
        return await auth.principal_from_session_token(session, cookie, now=now) or ANONYMOUS


async def authenticate_ws_params(
    params: dict[str, Any] | None, sessions: async_sessionmaker[AsyncSession]
) -> Principal | None:
    """A token sent in graphql-transport-ws ``connection_init`` payload, if any."""
    raw = (params or {}).get("authorization") or (params or {}).get("Authorization")
    token = bearer_token(raw if isinstance(raw, str) else None)
    if token is None:
        return None
    async with sessions() as session:
        return await auth.principal_from_api_token(session, token, now=auth.now_utc())
