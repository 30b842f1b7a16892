"""Authentication of a request or WebSocket: bearer API token, or session cookie + CSRF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, cookie_parser

from backend.services import auth
from backend.services.access import ANONYMOUS, Principal

SESSION_COOKIE = "quotient_session"
CSRF_COOKIE = "quotient_csrf"
CSRF_HEADER = "x-csrf-token"


def bearer_token(value: str | None) -> str | None:
    if value and value.lower().startswith("bearer "):
        return value[7:].strip() or None
    return None


def session_cookies(headers: Headers) -> list[str]:
    """Every value of the session cookie, in every Cookie header, parsed as Starlette does.

    CSRF (``CSRFMiddleware``) and authentication both read the credential through here, so
    they never check two different sessions; more than one value is ambiguous and refused.
    """
    values = []
    for header in headers.getlist("cookie"):
        for chunk in header.split(";"):
            parsed = cookie_parser(chunk)
            if SESSION_COOKIE in parsed:
                values.append(parsed[SESSION_COOKIE])
    return values


def session_cookie(headers: Headers) -> str | None:
    """The session credential; None when absent, empty or sent more than once."""
    values = session_cookies(headers)
    if len(values) != 1:
        return None
    return values[0] or None


def same_origin(connection: HTTPConnection) -> bool:
    """A browser's Origin header, when sent, must name this very host (stops cross-site use)."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == connection.headers.get("host", "")


async def authenticate(
    connection: HTTPConnection, sessions: async_sessionmaker[AsyncSession]
) -> Principal:
    """The caller: a bearer token if sent (valid or not), else one session cookie, else anonymous.

    CSRF for cookie-authenticated HTTP requests is enforced earlier, by ``CSRFMiddleware``,
    which refuses a POST with more than one session cookie; anything else with several (a
    WebSocket) is anonymous.
    """
    token = bearer_token(connection.headers.get("authorization"))
    cookie = session_cookie(connection.headers)
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
