"""The access policy, generated: every root field x every kind of caller x HTTP and WebSocket.

The cases come from the schema (one probe per root field, ``policy_probes``) and the callers
from the role table: sessions of each role, API tokens with all of their role's actions, read-only
tokens, and tokens asking for more than their owner's role may do. What each caller may call is
written from the policy tables (``ROOT_FIELD_POLICY`` and ``ROLE_ACTIONS``): a token acts with the
intersection of its actions and its owner's. Any unexpected allow, unexpected denial, server
error or malformed probe fails the test with the whole list.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import ApiToken
from backend.graphql.policy import ROOT_FIELD_POLICY
from backend.services.access import ROLE_ACTIONS, Action, Role
from backend.services.auth import digest, now_utc
from backend.settings import Settings
from tests.backend.security.policy_probes import Probe, all_probes
from tests.backend.security.world import build_world
from tests.factories import make_user, signed_in_headers

SECRET = "s" * 40
POLICY_DENIAL = re.compile(r"^(sign in first|your role may not [a-z_]+)$")
# Signing in and out are open to every caller and change the caller itself: probed last.
LAST = ("signIn", "signOut")
SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  errors { code } } }"""
SIGN_OUT = "mutation { signOut { ok } }"


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role | None  # None: anonymous
    token_actions: frozenset[Action] | None = None  # None: a browser session

    def may(self, action: Action) -> bool:
        """The spec: a role's actions, narrowed by a token's; signing in is open to all."""
        if action is Action.SIGN_IN:
            return True
        if self.role is None:
            return False
        allowed = ROLE_ACTIONS[self.role]
        return action in (allowed if self.token_actions is None else allowed & self.token_actions)

    def denial(self, action: Action) -> str:
        return "sign in first" if self.role is None else f"your role may not {action.value}"


ROLES = [Role.ADMIN, Role.HQ_PLANNER, Role.BRANCH_MANAGER, Role.TEAM_LEAD, Role.REP]
ROLES.append(Role.INTEGRATION)
CALLERS = [
    Caller("anonymous", None),
    *(Caller(f"{role.value} session", role) for role in ROLES),
    *(Caller(f"{role.value} token", role, ROLE_ACTIONS[role]) for role in ROLES),
    *(Caller(f"{role.value} read-only token", role, frozenset({Action.READ})) for role in ROLES),
    # Tokens asking for more than their owner's role: the role still bounds them.
    Caller("rep token asking for everything", Role.REP, frozenset(Action)),
    Caller(
        "team_lead token asking for approval and users",
        Role.TEAM_LEAD,
        frozenset({Action.READ, Action.APPROVE_PLAN, Action.MANAGE_USERS}),
    ),
]


def ordered(probes: list[Probe]) -> list[Probe]:
    return sorted(probes, key=lambda p: p.field in LAST)


async def _seed(url: str) -> dict[str, dict[str, str]]:
    """The small company with one user per role; headers (HTTP) per caller."""
    engine = create_engine(url)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    async with session_factory(engine)() as session:
        world = await build_world(session)
        users = {Role(role): user for role, user in world.users.items()}
        users[Role.INTEGRATION] = await make_user(
            session, username="u-integration", role="integration", scope=world.company.branches[0]
        )
        await session.commit()
        for caller in CALLERS[1:]:
            assert caller.role is not None
            user = users[caller.role]
            if caller.token_actions is None:
                headers[caller.name] = await signed_in_headers(
                    session, user=user, secret_key=SECRET
                )
                continue
            raw = f"qt_policy_{len(headers)}"
            session.add(
                ApiToken(
                    user_id=user.id or 0,
                    name=caller.name,
                    prefix=raw[:10],
                    token_hash=digest(raw),
                    actions=sorted(a.value for a in caller.token_actions),
                    expires_at=now_utc() + timedelta(days=1),
                )
            )
            headers[caller.name] = {"authorization": f"Bearer {raw}"}
        await session.commit()
    await engine.dispose()
    return headers


def judge(caller: Caller, probe: Probe, body: dict[str, Any]) -> str | None:
    """None when the outcome matches the policy; else what went wrong."""
    action = ROOT_FIELD_POLICY[probe.field]
    messages = [e.get("message", "") for e in body.get("errors") or []]
    payload = (body.get("data") or {}).get(probe.field)
    if isinstance(payload, dict):
        messages += [e["message"] for e in payload.get("errors") or []]
    if any("Unexpected error" in m for m in messages):
        return f"server error {messages}"
    # Errors with neither a path nor a code come from validation: the probe itself is wrong.
    malformed = [
        e
        for e in body.get("errors") or []
        if "path" not in e and "code" not in e.get("extensions", {})
    ]
    if malformed and not any(POLICY_DENIAL.match(e.get("message", "")) for e in malformed):
        return f"malformed probe {malformed}"
    denials = [m for m in messages if POLICY_DENIAL.match(m)]
    if caller.may(action):
        return f"unexpected denial {denials}" if denials else None
    if denials != [caller.denial(action)]:
        return f"unexpected allow (wanted '{caller.denial(action)}', got {messages})"
    return None


def test_every_root_field_over_http_follows_the_policy(database_url: str) -> None:
    headers = asyncio.run(_seed(database_url))
    probes = ordered([p for p in all_probes() if p.operation != "subscription"])
    settings = Settings(env="test", database_url=database_url, secret_key=SECRET)
    failures, cases = [], 0
    with TestClient(create_app(settings)) as client:
        for caller in CALLERS:
            for probe in probes:
                response = client.post(
                    "/graphql",
                    json={"query": probe.document, "variables": probe.variables},
                    headers=headers[caller.name],
                )
                cases += 1
                if response.status_code != 200:
                    failures.append(f"{caller.name} / {probe.field}: HTTP {response.status_code}")
                elif problem := judge(caller, probe, response.json()):
                    failures.append(f"{caller.name} / {probe.field}: {problem}")
    assert not failures, "\n".join(failures)
    assert cases == len(CALLERS) * len(probes) >= 1000


class Socket:
    """A graphql-transport-ws connection authenticated like the caller's HTTP requests."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        bearer = headers.get("authorization")
        cookie = {"cookie": headers["cookie"]} if "cookie" in headers else {}
        self.cm = client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=cookie
        )
        self.ws = self.cm.__enter__()
        payload = {"authorization": bearer} if bearer else {}
        self.ws.send_json({"type": "connection_init", "payload": payload})
        assert self.ws.receive_json()["type"] == "connection_ack"

    def send(self, op: str, probe: Probe) -> None:
        payload = {"query": probe.document, "variables": probe.variables}
        self.ws.send_json({"id": op, "type": "subscribe", "payload": payload})

    def until_complete(self, op: str, seen: dict[str, list[dict[str, Any]]]) -> None:
        """Read messages (of any operation) until ``op`` completes or fails."""
        while True:
            message = self.ws.receive_json()
            if message["type"] == "ping":
                self.ws.send_json({"type": "pong"})
                continue
            seen.setdefault(message["id"], []).append(message)
            if message["id"] == op and message["type"] in ("complete", "error"):
                return

    def close(self) -> None:
        self.cm.__exit__(None, None, None)


def _body(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """An HTTP-like body from one operation's messages (an `error` message is a GraphQL error)."""
    body: dict[str, Any] = {"errors": []}
    for message in messages:
        if message["type"] == "next":
            body["data"] = message["payload"].get("data")
            body["errors"] += message["payload"].get("errors") or []
        elif message["type"] == "error":
            body["errors"] += [{**e, "path": ["?"]} for e in message["payload"]]
    return body


def test_every_root_field_over_websocket_follows_the_policy(database_url: str) -> None:
    headers = asyncio.run(_seed(database_url))
    probes = ordered(all_probes())
    streams = [p for p in probes if p.operation == "subscription"]
    settings = Settings(env="test", database_url=database_url, secret_key=SECRET)
    failures, cases = [], 0
    with TestClient(create_app(settings)) as client:
        for caller in CALLERS:
            socket = Socket(client, headers[caller.name])
            try:
                seen: dict[str, list[dict[str, Any]]] = {}
                # Streams first: a refusal arrives at once, an allowed stream stays silent.
                for i, probe in enumerate(streams):
                    socket.send(f"stream-{i}", probe)
                time.sleep(0.3)
                for i, probe in enumerate(p for p in probes if p.operation != "subscription"):
                    socket.send(f"op-{i}", probe)
                    socket.until_complete(f"op-{i}", seen)
                    cases += 1
                    if problem := judge(caller, probe, _body(seen.get(f"op-{i}", []))):
                        failures.append(f"{caller.name} / {probe.field} (ws): {problem}")
                for i, probe in enumerate(streams):
                    cases += 1
                    if problem := judge(caller, probe, _body(seen.get(f"stream-{i}", []))):
                        failures.append(f"{caller.name} / {probe.field} (ws): {problem}")
            finally:
                socket.close()
    assert not failures, "\n".join(failures)
    assert cases == len(CALLERS) * len(probes) >= 1000


def test_every_root_field_has_a_probe_and_a_policy() -> None:
    fields = {p.field for p in all_probes()}
    assert fields == set(ROOT_FIELD_POLICY)


def test_signing_out_over_a_socket_ends_the_session_and_signing_in_there_is_refused(
    database_url: str,
) -> None:
    headers = asyncio.run(_seed(database_url))["admin session"]
    settings = Settings(env="test", database_url=database_url, secret_key=SECRET)
    me = {"query": "{ me { username } }"}
    with TestClient(create_app(settings)) as client:
        before = client.post("/graphql", json=me, headers=headers).json()["data"]["me"]
        assert before == {"username": "u-admin"}
        socket = Socket(client, headers)
        try:
            seen: dict[str, list[dict[str, Any]]] = {}
            sign_in = Probe("signIn", "mutation", SIGN_IN, {"u": "u-admin", "p": "whatever-pw"})
            socket.send("in", sign_in)
            socket.until_complete("in", seen)
            errors = _body(seen["in"])["data"]["signIn"]["errors"]
            assert [e["code"] for e in errors] == ["INVALID"]
            socket.send("out", Probe("signOut", "mutation", SIGN_OUT, {}))
            socket.until_complete("out", seen)
            assert _body(seen["out"])["data"]["signOut"] == {"ok": True}
        finally:
            socket.close()
        after = client.post("/graphql", json=me, headers=headers).json()["data"]["me"]
        assert after == {"username": "anonymous"}
