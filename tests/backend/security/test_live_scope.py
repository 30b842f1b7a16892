"""Live feeds over graphql-transport-ws: filtered per event to the caller's scope, and only for as
long as the caller's session or token holds (sign-out, revocation and a role change end them).

Company: Acme > North > North Branch > North Team 0/1, South likewise; a company-wide draft plan,
generated. The branch manager holds North Branch; the rep is North-0-0.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import ApiToken, User
from backend.db.repositories import planning as repo
from backend.graphql import subscriptions
from backend.graphql.authn import CSRF_COOKIE
from backend.services.access import SYSTEM
from backend.services.auth import digest, now_utc
from backend.services.events import broker
from backend.services.planning.generation import generate_plan
from backend.settings import Settings
from tests.backend.planning.conftest import add_history, new_plan
from tests.factories import TEST_PASSWORD, make_small_company, make_user

pytestmark = pytest.mark.timeout(60)  # before the fix, a feed that never ends hangs

FORBIDDEN = 4403  # the close code of a socket whose credential no longer holds

WATCH = """subscription($id: ID!) {
  planChanged(planId: $id) { action targets { repId total } } }"""
CHANGES = 'subscription { changes(entity: "org_unit") { entityId } }'
OVERRIDE = """mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) { errors { code message } } }"""
RENAME_AGAIN = """mutation($id: ID!, $v: Int!, $name: String!) { updateOrgUnit(input: {id: $id,
  expectedVersion: $v, name: $name}) { errors { code message } } }"""
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  errors { message } } }"""
SIGN_OUT = "mutation { signOut { ok } }"


@dataclass
class Seeded:
    plan_id: int
    north: list[int]  # rep ids of North Branch
    south: list[int]
    targets: dict[int, tuple[float, int]]  # rep -> (revenue period total, version)
    tokens: dict[str, str]  # name -> raw bearer token
    users: dict[str, int]
    units: dict[str, int]


async def _seed(url: str) -> Seeded:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        c = await make_small_company(session, months=0)
        await add_history(session, c)
        users = {
            "admin": await make_user(session, username="u-admin", role="admin"),
            "branch": await make_user(
                session, username="u-branch", role="branch_manager", scope=c.branches[0]
            ),
            "rep": await make_user(session, username="u-rep", role="rep", rep=c.reps[0]),
        }
        await session.commit()
        plan = await new_plan(session, c)
        await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
        await session.commit()
        tokens = {}
        for name, user, actions in (
            ("admin", users["admin"], ["read", "plan", "manage_org", "manage_tokens"]),
            ("branch", users["branch"], ["read", "plan", "approve_plan"]),
            ("branch_read", users["branch"], ["read"]),
            ("rep", users["rep"], ["read"]),
        ):
            raw = f"qt_live_{name}"
            session.add(
                ApiToken(
                    user_id=user.id,
                    name=name,
                    prefix=raw[:10],
                    token_hash=digest(raw),
                    actions=actions,
                    expires_at=now_utc() + timedelta(days=1),
                )
            )
            tokens[name] = raw
        await session.commit()
        targets = {}
        revenue = c.metrics["revenue"].id or 0
        for t in await repo.targets(session, plan.id or 0, metric_ids=[revenue]):
            total, _ = targets.get(t.rep_id, (0.0, t.version))
            targets[t.rep_id] = (total + t.value, t.version)
        seeded = Seeded(
            plan_id=plan.id or 0,
            north=[r.id or 0 for r in c.reps[:6]],
            south=[r.id or 0 for r in c.reps[6:]],
            targets=targets,
            tokens=tokens,
            users={k: u.id or 0 for k, u in users.items()},
            units={"north_team0": c.teams[0].id or 0, "south_team0": c.teams[2].id or 0},
        )
    await engine.dispose()
    return seeded


async def _write(url: str, *statements: Any) -> None:
    """Change the database behind the app's back (as another process would)."""
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        for statement in statements:
            await session.execute(statement)
        await session.commit()
    await engine.dispose()


@pytest.fixture
def live(database_url: str) -> Iterator[tuple[TestClient, Seeded]]:
    seeded = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="k" * 40)
    with TestClient(create_app(settings)) as client:
        yield client, seeded


@contextmanager
def socket_of(client: TestClient, token: str | None = None) -> Iterator[Any]:
    params = {"authorization": f"Bearer {token}"} if token else {}
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": params})
        assert ws.receive_json()["type"] == "connection_ack"
        yield ws


def _subscribe(
    ws: Any, query: str, op: str = "1", *, listen: bool = True, **variables: Any
) -> None:
    """Start a subscription and, with ``listen``, wait until it listens and has read what came
    before (the operation starts in the app's thread)."""
    before = broker.subscriber_count
    ws.send_json(
        {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
    )
    if listen:
        deadline = time.monotonic() + 10
        while broker.subscriber_count <= before:
            assert time.monotonic() < deadline, "the subscription never started"
            time.sleep(0.01)
    time.sleep(0.3)  # its first read of the plan's audit trail


def _post(client: TestClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    ).json()
    assert "errors" not in body, body
    return body["data"]


def _override(client: TestClient, s: Seeded, rep: int) -> None:
    total, version = s.targets[rep]
    change = {
        "planId": str(s.plan_id),
        "repId": str(rep),
        "metricCode": "revenue",
        "value": round(total * 1.05),
        "expectedVersion": version,
    }
    done = _post(client, s.tokens["admin"], OVERRIDE, input=change)["overrideTarget"]
    assert done["errors"] == [], done


def _ends(ws: Any) -> str:
    """How the stream ended: an UNAUTHENTICATED error, or the socket closed (4403)."""
    try:
        message = ws.receive_json()
    except WebSocketDisconnect as closed:
        assert closed.code == FORBIDDEN
        return "closed"
    assert message["type"] == "next", message
    assert message["payload"]["data"] is None, message
    assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    return "error"


class TestPlanChangedScope:
    def test_a_branch_manager_receives_only_overrides_of_their_reps(
        self, live: tuple[TestClient, Seeded]
    ) -> None:
        client, s = live
        with socket_of(client, s.tokens["branch"]) as ws:
            _subscribe(ws, WATCH, id=str(s.plan_id))
            _override(client, s, s.south[0])  # another branch: nothing of it reaches them
            _override(client, s, s.north[0])
            message = ws.receive_json()
            assert message["type"] == "next", message
            change = message["payload"]["data"]["planChanged"]
            reps = {int(t["repId"]) for t in change["targets"]}
            assert s.north[0] in reps and reps <= set(s.north), reps
            ws.send_json({"id": "1", "type": "complete"})

    def test_a_rep_may_not_watch_a_draft(self, live: tuple[TestClient, Seeded]) -> None:
        client, s = live
        with socket_of(client, s.tokens["rep"]) as ws:
            _subscribe(ws, WATCH, listen=False, id=str(s.plan_id))
            _override(client, s, s.north[1])  # a teammate's target: no rep sees drafts
            message = ws.receive_json()
        assert message["payload"]["data"] is None, message
        assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    def test_a_read_only_token_may_not_watch_a_draft(self, live: tuple[TestClient, Seeded]) -> None:
        client, s = live
        with socket_of(client, s.tokens["branch_read"]) as ws:
            _subscribe(ws, WATCH, listen=False, id=str(s.plan_id))
            _override(client, s, s.north[1])
            message = ws.receive_json()
        assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"


class TestCredentialEndsTheStream:
    def _rename(self, client: TestClient, s: Seeded, version: int) -> None:
        done = _post(
            client,
            s.tokens["admin"],
            RENAME_AGAIN,
            id=str(s.units["north_team0"]),
            v=version,
            name=f"North Team 0 v{version}",
        )["updateOrgUnit"]
        assert done["errors"] == [], done

    def test_a_revoked_token_receives_no_further_event(
        self, live: tuple[TestClient, Seeded], database_url: str
    ) -> None:
        client, s = live
        with socket_of(client, s.tokens["branch"]) as ws:
            _subscribe(ws, CHANGES)
            self._rename(client, s, 1)
            assert ws.receive_json()["payload"]["data"]["changes"]  # while the token holds
            revoked = (
                update(ApiToken)
                .where(ApiToken.token_hash == digest(s.tokens["branch"]))  # type: ignore[arg-type]
                .values(revoked_at=now_utc())
            )
            asyncio.run(_write(database_url, revoked))
            self._rename(client, s, 2)
            assert _ends(ws) in ("error", "closed")

    def test_a_role_change_ends_the_stream(
        self, live: tuple[TestClient, Seeded], database_url: str
    ) -> None:
        client, s = live
        with socket_of(client, s.tokens["branch"]) as ws:
            _subscribe(ws, CHANGES)
            demoted = (
                update(User)
                .where(User.id == s.users["branch"])  # type: ignore[arg-type]
                .values(role="team_lead", scope_org_id=s.units["north_team0"])
            )
            asyncio.run(_write(database_url, demoted))
            self._rename(client, s, 1)  # inside both the old and the new scope
            assert _ends(ws) in ("error", "closed")

    def test_an_idle_socket_closes_after_revocation(
        self, live: tuple[TestClient, Seeded], database_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(subscriptions, "RECHECK_SECONDS", 0.2, raising=False)
        client, s = live
        with socket_of(client, s.tokens["branch"]) as ws:
            _subscribe(ws, CHANGES)
            revoked = (
                update(ApiToken)
                .where(ApiToken.token_hash == digest(s.tokens["branch"]))  # type: ignore[arg-type]
                .values(revoked_at=now_utc())
            )
            asyncio.run(_write(database_url, revoked))
            with pytest.raises(WebSocketDisconnect) as closed:  # no event needed
                ws.receive_json()
        assert closed.value.code == FORBIDDEN

    def test_a_new_operation_after_revocation_closes_the_socket(
        self, live: tuple[TestClient, Seeded], database_url: str
    ) -> None:
        client, s = live
        with socket_of(client, s.tokens["branch"]) as ws:
            revoked = (
                update(ApiToken)
                .where(ApiToken.token_hash == digest(s.tokens["branch"]))  # type: ignore[arg-type]
                .values(revoked_at=now_utc())
            )
            asyncio.run(_write(database_url, revoked))
            _subscribe(ws, "query { plans { id } }", listen=False)
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == FORBIDDEN

    def test_sign_out_ends_a_session_socket(
        self, live: tuple[TestClient, Seeded], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(subscriptions, "RECHECK_SECONDS", 0.2, raising=False)
        client, _ = live
        signed = client.post(
            "/graphql", json={"query": SIGN_IN, "variables": {"u": "u-branch", "p": TEST_PASSWORD}}
        ).json()
        assert signed["data"]["signIn"]["errors"] == [], signed
        client.headers["x-csrf-token"] = client.cookies[CSRF_COOKIE]
        with socket_of(client) as ws:  # authenticated by the session cookie
            _subscribe(ws, CHANGES)
            assert client.post("/graphql", json={"query": SIGN_OUT}).json()["data"]["signOut"]
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == FORBIDDEN
