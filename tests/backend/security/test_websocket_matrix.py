"""The same access matrix over graphql-transport-ws: queries and the live change feed."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import ApiToken
from backend.services.auth import digest, now_utc
from backend.settings import Settings
from tests.backend.security.world import READ_REP, READ_UNIT, REPS, ROLES, UNITS, build_world

UNIT = "query($id: ID!) { orgUnit(id: $id) { id } }"
REP = "query($id: ID!) { rep(id: $id) { id } }"
RENAME = """mutation($id: ID!) { updateOrgUnit(input: {id: $id, expectedVersion: 1,
  name: "Renamed"}) { errors { code } } }"""


async def _seed(url: str) -> tuple[dict[str, int], dict[str, str]]:
    """The world, plus one API token per role written straight to the database."""
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        world = await build_world(session)
        tokens = {}
        for role, user in world.users.items():
            raw = f"qt_matrix_{role}"
            session.add(
                ApiToken(
                    user_id=user.id,
                    name=role,
                    prefix=raw[:10],
                    token_hash=digest(raw),
                    actions=["read", "manage_org"],
                    expires_at=now_utc() + timedelta(days=1),
                )
            )
            tokens[role] = raw
        await session.commit()
    await engine.dispose()
    return world.ids, tokens


class Socket:
    def __init__(self, client: TestClient, token: str) -> None:
        self.cm = client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"])
        self.ws = self.cm.__enter__()
        self.ws.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        )
        assert self.ws.receive_json()["type"] == "connection_ack"
        self.next_id = 0

    def run(self, query: str, **variables: Any) -> dict[str, Any]:
        self.next_id += 1
        op = str(self.next_id)
        self.ws.send_json(
            {"id": op, "type": "subscribe", "payload": {"query": query, "variables": variables}}
        )
        message = self.ws.receive_json()
        assert message["type"] == "next", message
        assert self.ws.receive_json() == {"id": op, "type": "complete"}
        return message["payload"]

    def close(self) -> None:
        self.cm.__exit__(None, None, None)

    def __enter__(self) -> Socket:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()  # always: an open socket would block the app's shutdown forever


def test_each_role_sees_exactly_its_scope_over_websocket(database_url: str):
    ids, tokens = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    with TestClient(create_app(settings)) as client:
        for role in ROLES:
            with Socket(client, tokens[role]) as socket:
                units = {u for u in UNITS if socket.run(UNIT, id=str(ids[u]))["data"]["orgUnit"]}
                reps = {r for r in REPS if socket.run(REP, id=str(ids[r]))["data"]["rep"]}
            assert (role, units) == (role, READ_UNIT[role])
            assert (role, reps) == (role, READ_REP[role])


@pytest.mark.parametrize("role", ["branch_manager", "team_lead", "hq_planner"])
def test_the_change_feed_shows_only_changes_inside_ones_scope(database_url: str, role: str):
    ids, tokens = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    with TestClient(create_app(settings)) as client:
        with Socket(client, tokens[role]) as watcher, Socket(client, tokens["admin"]) as admin:
            watcher.ws.send_json(
                {
                    "id": "feed",
                    "type": "subscribe",
                    "payload": {
                        "query": 'subscription { changes(entity: "org_unit") { entityId } }'
                    },
                }
            )
            for unit in ("south_branch", "north_team0"):  # outside, then inside a manager's scope
                renamed = admin.run(RENAME, id=str(ids[unit]))["data"]["updateOrgUnit"]
                assert renamed["errors"] == []
            first = watcher.ws.receive_json()["payload"]["data"]["changes"]["entityId"]
        expected = "south_branch" if role == "hq_planner" else "north_team0"
        assert first == str(ids[expected])


def test_a_socket_holds_at_most_the_allowed_number_of_subscriptions(database_url: str):
    from backend.graphql.limits import MAX_SUBSCRIPTIONS_PER_SOCKET

    ids, tokens = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    with (
        TestClient(create_app(settings)) as client,
        Socket(client, tokens["admin"]) as socket,
        Socket(client, tokens["admin"]) as admin,
    ):
        _fill_and_overflow(socket, admin, ids, MAX_SUBSCRIPTIONS_PER_SOCKET)


def _fill_and_overflow(socket: Socket, admin: Socket, ids: dict[str, int], limit: int) -> None:
    """Open ``limit`` subscriptions, see one more refused, free a place and use it."""
    feed = {"query": "subscription { changes { entityId } }"}
    for i in range(limit):
        socket.ws.send_json({"id": f"s{i}", "type": "subscribe", "payload": feed})
    socket.ws.send_json({"id": "one-too-many", "type": "subscribe", "payload": feed})
    refused = socket.ws.receive_json()
    assert refused["id"] == "one-too-many" and refused["type"] == "error"
    assert refused["payload"][0]["message"] == "Subscription limit reached"
    # Completing one frees a place: the next subscription is accepted and receives events.
    socket.ws.send_json({"id": "s0", "type": "complete"})
    socket.ws.send_json({"id": "room-again", "type": "subscribe", "payload": feed})
    assert admin.run(RENAME, id=str(ids["north_team0"]))["data"]["updateOrgUnit"]["errors"] == []
    received = {socket.ws.receive_json()["id"] for _ in range(limit)}
    assert "room-again" in received and "s0" not in received
