"""The `notifications` subscription over graphql-transport-ws, on the real app: the caller's
own new notifications only, woken after the commit or found by the poll."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import Notification, User
from backend.graphql.notifications import live as live_feed
from backend.services.notifications.live import signals
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify
from backend.settings import Settings
from tests.backend.notifications.conftest import SECRET, seed_people
from tests.factories import signed_in_headers

pytestmark = pytest.mark.timeout(60)

SUBSCRIBE = "subscription { notifications { subject kind alertId } }"


@dataclass
class Seeded:
    user_ids: dict[str, int]
    cookies: dict[str, str]


async def _seed(url: str) -> Seeded:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        people = await seed_people(session)
        cookies = {}
        for name in ("north", "south", "rep"):
            headers = await signed_in_headers(session, user=people[name], secret_key=SECRET)
            cookies[name] = headers["cookie"]
        ids = {name: user.id or 0 for name, user in people.users.items()}
    await engine.dispose()
    return Seeded(user_ids=ids, cookies=cookies)


async def _notify(url: str, user_id: int, rep: str) -> None:
    """Notify one user from another engine (as a job worker would) and commit."""
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        user = await session.get(User, user_id)
        params = {"rule": "Behind pace", "rep": rep, "severity": "warning", "actor": "system"}
        await notify(
            session,
            users=[user],
            kind="alert_opened",
            message_key=MessageKey.ALERT_OPENED,
            params=params,
        )
        await session.commit()
    await engine.dispose()


async def _insert_behind_the_apps_back(url: str, user_id: int) -> None:
    """A row written by another process: no wake-up reaches this one."""
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        session.add(
            Notification(
                user_id=user_id,
                kind="alert_resolved",
                message_key=MessageKey.ALERT_RESOLVED.value,
                params={"rule": "R", "rep": "Elsewhere", "severity": "info", "actor": "x"},
            )
        )
        await session.commit()
    await engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[tuple[TestClient, Seeded, str]]:
    seeded = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key=SECRET)
    with TestClient(create_app(settings)) as client:
        yield client, seeded, database_url


@contextmanager
def subscribed(client: TestClient, cookie: str, user_id: int) -> Iterator[Any]:
    """A socket signed in with ``cookie``, subscribed and listening for ``user_id``."""
    before = signals.subscriber_count(user_id)
    with client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers={"cookie": cookie}
    ) as ws:
        ws.send_json({"type": "connection_init", "payload": {}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        deadline = time.monotonic() + 10
        while signals.subscriber_count(user_id) <= before:
            assert time.monotonic() < deadline, "the subscription never started"
            time.sleep(0.01)
        time.sleep(0.2)  # its first read: the newest notification so far
        yield ws
        ws.send_json({"id": "1", "type": "complete"})


def _next(ws: Any) -> dict[str, Any]:
    message = ws.receive_json()
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    notification: dict[str, Any] = message["payload"]["data"]["notifications"]
    return notification


def test_a_subscriber_receives_only_their_own_new_notifications(app):
    client, seeded, url = app
    north, south = seeded.user_ids["north"], seeded.user_ids["south"]
    with subscribed(client, seeded.cookies["north"], north) as ws:
        asyncio.run(_notify(url, south, rep="South-0-0"))  # someone else's: never sent here
        asyncio.run(_notify(url, north, rep="North-0-0"))
        assert _next(ws) == {
            "subject": "Alert: Behind pace for North-0-0",
            "kind": "alert_opened",
            "alertId": None,
        }


def test_a_subscriber_reads_their_notifications_in_their_language(app):
    client, seeded, url = app
    rep = seeded.user_ids["rep"]
    with subscribed(client, seeded.cookies["rep"], rep) as ws:
        asyncio.run(_notify(url, rep, rep="North-0-0"))
        assert _next(ws)["subject"] == "预警：North-0-0 触发「Behind pace」"


def test_a_notification_written_by_another_process_arrives_by_the_poll(app, monkeypatch):
    monkeypatch.setattr(live_feed, "POLL_SECONDS", 0.2)
    client, seeded, url = app
    north, south = seeded.user_ids["north"], seeded.user_ids["south"]
    with subscribed(client, seeded.cookies["north"], north) as ws:
        asyncio.run(_insert_behind_the_apps_back(url, south))
        asyncio.run(_insert_behind_the_apps_back(url, north))
        assert _next(ws)["subject"] == "Alert resolved: R for Elsewhere"


def test_notifications_from_before_the_subscription_are_not_replayed(app):
    client, seeded, url = app
    north = seeded.user_ids["north"]
    asyncio.run(_notify(url, north, rep="Earlier"))
    with subscribed(client, seeded.cookies["north"], north) as ws:
        asyncio.run(_notify(url, north, rep="Later"))
        assert _next(ws)["subject"] == "Alert: Behind pace for Later"
