"""CSRF and authentication read the session cookie the same way, and never disagree.

A request carrying the session cookie more than once is ambiguous (a cookie planted by a
sibling subdomain or an older path can shadow the real one): a POST is refused with 403, any
other connection (a WebSocket) is treated as anonymous.
"""

from __future__ import annotations

import base64

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from backend.app import create_app
from backend.db.engine import session_factory
from backend.db.models import User
from backend.graphql.authn import CSRF_HEADER, SESSION_COOKIE, authenticate
from backend.services.auth import csrf_for, now_utc, sign_in
from tests.backend.conftest import TEST_SETTINGS
from tests.factories import TEST_PASSWORD, SmallCompany, make_user

ME = {"query": "{ me { username via } }"}


async def session_of(session: AsyncSession, user: User) -> str:
    outcome = await sign_in(session, username=user.username, password=TEST_PASSWORD, now=now_utc())
    await session.commit()
    assert outcome.session_token is not None
    return outcome.session_token


def csrf(raw: str) -> str:
    return csrf_for(raw, TEST_SETTINGS.secret_key)


async def post(engine: AsyncEngine, headers: list[tuple[str, str]]) -> httpx.Response:
    app = create_app(TEST_SETTINGS, engine=engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        return await client.post("/graphql", json=ME, headers=headers)


async def two_sessions(session: AsyncSession) -> tuple[str, str]:
    victim = await make_user(session, username="victim", role="admin")
    attacker = await make_user(session, username="attacker", role="rep")
    await session.commit()
    return await session_of(session, victim), await session_of(session, attacker)


async def test_a_post_with_two_session_cookies_is_refused(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    first, last = await two_sessions(session)
    for raw in (first, last):  # whichever of the two the CSRF token was made for
        response = await post(
            engine,
            [
                ("cookie", f"{SESSION_COOKIE}={first}; {SESSION_COOKIE}={last}"),
                (CSRF_HEADER, csrf(raw)),
            ],
        )
        assert response.status_code == 403, response.text
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "CSRF"
        assert "more than one" in error["message"]


async def test_session_cookies_spread_over_two_cookie_headers_are_refused_too(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    first, last = await two_sessions(session)
    response = await post(
        engine,
        [
            ("cookie", f"{SESSION_COOKIE}={first}"),
            ("cookie", f"{SESSION_COOKIE}={last}"),
            (CSRF_HEADER, csrf(first)),
        ],
    )
    assert response.status_code == 403


async def test_a_quoted_cookie_is_read_alike_by_csrf_and_authentication(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    raw, _ = await two_sessions(session)
    response = await post(
        engine, [("cookie", f'{SESSION_COOKIE}="{raw}"'), (CSRF_HEADER, csrf(raw))]
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["me"] == {"username": "victim", "via": "session"}


async def test_basic_authorization_does_not_skip_the_csrf_check(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    raw, _ = await two_sessions(session)
    basic = "Basic " + base64.b64encode(b"victim:" + TEST_PASSWORD.encode()).decode()
    response = await post(engine, [("cookie", f"{SESSION_COOKIE}={raw}"), ("authorization", basic)])
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF"


async def test_a_bogus_bearer_token_never_falls_back_to_the_cookie(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    raw, _ = await two_sessions(session)
    response = await post(
        engine,
        [("cookie", f"{SESSION_COOKIE}={raw}"), ("authorization", "Bearer qt_not-a-real-token")],
    )
    assert response.status_code == 200
    assert response.json()["data"]["me"] == {"username": "anonymous", "via": "anonymous"}


async def test_a_socket_with_two_session_cookies_is_anonymous(
    engine: AsyncEngine, session: AsyncSession, company: SmallCompany
) -> None:
    first, last = await two_sessions(session)

    def socket(cookie: str) -> HTTPConnection:
        headers = [(b"host", b"test"), (b"cookie", cookie.encode())]
        return HTTPConnection({"type": "websocket", "headers": headers, "path": "/graphql"})

    sessions = session_factory(engine)
    one = await authenticate(socket(f"{SESSION_COOKIE}={last}"), sessions)
    two = await authenticate(socket(f"{SESSION_COOKIE}={first}; {SESSION_COOKIE}={last}"), sessions)
    assert one.username == "attacker"
    assert two.username == "anonymous" and not two.is_authenticated
