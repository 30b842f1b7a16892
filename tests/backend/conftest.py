"""API fixtures: the real Starlette app over httpx's ASGI transport, signed in as a role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.app import create_app
from backend.db.models import User
from backend.settings import Settings
from tests.factories import SmallCompany, make_small_company, make_user, signed_in_headers

TEST_SETTINGS = Settings(env="test", secret_key="test-secret-key-with-enough-length-1234")


class GraphQLClient:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.execute(query, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture
async def company(session: AsyncSession) -> SmallCompany:
    company = await make_small_company(session)
    await session.commit()
    return company


@pytest.fixture
async def client_factory(
    engine: AsyncEngine,
) -> AsyncIterator[Callable[[dict[str, str]], Awaitable[GraphQLClient]]]:
    """Clients of one app instance, each with its own headers (e.g. a signed-in session)."""
    app = create_app(TEST_SETTINGS, engine=engine)
    clients: list[httpx.AsyncClient] = []

    async def make(headers: dict[str, str]) -> GraphQLClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
        )
        clients.append(client)
        return GraphQLClient(client)

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def sign_in_as(
    session: AsyncSession, client_factory: Callable[[dict[str, str]], Awaitable[GraphQLClient]]
) -> Callable[[User], Awaitable[GraphQLClient]]:
    async def as_user(user: User) -> GraphQLClient:
        headers = await signed_in_headers(session, user=user, secret_key=TEST_SETTINGS.secret_key)
        return await client_factory(headers)

    return as_user


@pytest.fixture
async def api(
    session: AsyncSession, sign_in_as: Callable[[User], Awaitable[GraphQLClient]]
) -> GraphQLClient:
    """A client signed in as an administrator (sees and may change everything)."""
    admin = await make_user(session, username="admin", role="admin")
    await session.commit()
    return await sign_in_as(admin)


@pytest.fixture
async def anonymous(
    client_factory: Callable[[dict[str, str]], Awaitable[GraphQLClient]],
) -> GraphQLClient:
    return await client_factory({})
