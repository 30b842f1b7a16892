"""Live changes over graphql-transport-ws, on the real app with its lifespan and sign-in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from backend.app import create_app
from backend.graphql.authn import CSRF_COOKIE
from backend.services.company import create_admin_account
from backend.settings import Settings

CREATE_RANK = """mutation { createRank(input: {code: "S9", name: "Fellow", level: 9}) {
  rank { id } errors { field } } }"""
SIGN_IN = """mutation { signIn(username: "root", password: "a-long-password") {
  csrfToken errors { message } } }"""
TOKEN = """mutation { createApiToken(input: {name: "ws", actions: ["read"]}) {
  token errors { field message } } }"""
SUBSCRIBE = 'subscription { changes(entity: "rank") { entity action actor } }'


@pytest.fixture
def client(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'ws.db'}"
    asyncio.run(create_admin_account(url, "root", "a-long-password"))
    settings = Settings(env="test", database_url=url, secret_key="k" * 40)
    with TestClient(create_app(settings)) as client:
        yield client


def sign_in(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": SIGN_IN}).json()
    assert body["data"]["signIn"]["errors"] == []
    client.headers["x-csrf-token"] = client.cookies[CSRF_COOKIE]


@contextmanager
def open_socket(client: TestClient, params: dict | None = None) -> Iterator[Any]:
    """A socket past connection_init, closed whatever the outcome (an open one blocks shutdown)."""
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket:
        socket.send_json({"type": "connection_init", "payload": params or {}})
        assert socket.receive_json()["type"] == "connection_ack"
        yield socket


def test_a_subscriber_receives_each_committed_change(client: TestClient):
    sign_in(client)
    token = client.post("/graphql", json={"query": TOKEN}).json()["data"]["createApiToken"]
    with open_socket(client, {"authorization": f"Bearer {token['token']}"}) as socket:
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        created = client.post("/graphql", json={"query": CREATE_RANK}).json()
        assert created["data"]["createRank"]["errors"] == []
        refused = client.post("/graphql", json={"query": CREATE_RANK}).json()
        assert {"field": "code"} in refused["data"]["createRank"]["errors"]
        message = socket.receive_json()
        assert message["type"] == "next"
        assert message["payload"]["data"]["changes"] == {
            "entity": "rank",
            "action": "create",
            "actor": "root",
        }
        socket.send_json({"id": "1", "type": "complete"})


def test_an_anonymous_socket_may_not_subscribe(client: TestClient):
    client.cookies.clear()
    with open_socket(client) as socket:
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        message = socket.receive_json()
    assert message["payload"]["data"] is None
    assert message["payload"]["errors"][0]["message"] == "sign in first"


def test_production_settings_refuse_unsafe_defaults():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="QUOTIENT_SECRET_KEY"):
        Settings(env="production")
    with pytest.raises(ValidationError, match="CORS"):
        Settings(env="production", secret_key="x" * 40, cors_origins=["*"])
    assert Settings(env="production", secret_key="x" * 40).is_production
