"""Sign-in under attack: concurrent guessing, floods, user enumeration and login CSRF."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from backend.app import create_app
from backend.db.models import AuditEntry, User
from backend.graphql.authn import SESSION_COOKIE
from backend.services import passwords
from backend.services.auth import MAX_FAILED_SIGN_INS, TRY_LATER, WRONG_PASSWORD, now_utc
from backend.services.throttle import SignInThrottle, SlidingWindow
from tests.backend.conftest import TEST_SETTINGS
from tests.factories import TEST_PASSWORD, make_user

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  me { username } errors { code message } } }"""
UNLIMITED = TEST_SETTINGS.model_copy(
    update={"sign_in_limit_per_client": 1000, "sign_in_limit_per_username": 1000}
)


def client_of(engine: Any, *, settings: Any = UNLIMITED, ip: str = "10.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings, engine=engine), client=(ip, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> dict[str, Any]:
    body = {"query": SIGN_IN, "variables": {"u": username, "p": password}}
    response = await client.post("/graphql", json=body)
    payload: dict[str, Any] = response.json()["data"]["signIn"]
    return payload


def codes(payloads: list[dict[str, Any]]) -> list[str]:
    return sorted(p["errors"][0]["code"] if p["errors"] else "OK" for p in payloads)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check that reaches argon2, by the password it checked."""
    seen: list[str] = []
    real = passwords.matches

    def counted(stored_hash: str, password: str) -> bool:
        seen.append(password)
        return real(stored_hash, password)

    monkeypatch.setattr(passwords, "matches", counted)
    return seen


class Gate:
    """Holds password checks in their threads until opened, and tells when one has started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.opened = threading.Event()

    def check(self, stored_hash: str, password: str) -> bool:
        self.started.set()
        self.opened.wait(timeout=10)  # on the event loop this would freeze every request
        return False

    async def wait_started(self) -> None:
        while not self.started.is_set():
            await asyncio.sleep(0.01)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate()
    monkeypatch.setattr(passwords, "matches", held.check)
    yield held
    held.opened.set()


async def test_twenty_concurrent_wrong_passwords_check_exactly_five_then_lock(
    engine, session, company, checks
):
    await make_user(session, username="bob", role="admin")
    await session.commit()
    async with client_of(engine) as client:
        guesses = [sign_in(client, "bob", f"guess-{i}") for i in range(20)]
        outcomes = await asyncio.gather(*guesses)
        right = await sign_in(client, "bob", TEST_PASSWORD)
    expected = ["FORBIDDEN"] * MAX_FAILED_SIGN_INS + ["TOO_MANY_ATTEMPTS"] * 15
    assert codes(outcomes) == expected
    assert len(checks) == MAX_FAILED_SIGN_INS
    assert right["me"] is None and right["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    bob = (await session.exec(select(User).where(User.username == "bob"))).one()
    await session.refresh(bob)
    assert bob.failed_sign_ins == MAX_FAILED_SIGN_INS
    assert bob.locked_until is not None and bob.locked_until > now_utc()


async def test_a_locked_account_is_refused_without_checking_its_password(
    engine, session, company, checks
):
    await make_user(session, username="bob", role="admin")
    await session.commit()
    async with client_of(engine) as client:
        for _ in range(MAX_FAILED_SIGN_INS):
            await sign_in(client, "bob", "wrong-password")
        checks.clear()
        locked = await sign_in(client, "bob", TEST_PASSWORD)
    assert checks == []
    assert locked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert "too many failed sign-ins" in locked["errors"][0]["message"]


async def test_a_right_password_resets_the_count_of_failures(engine, session, company):
    await make_user(session, username="bob", role="admin")
    await session.commit()
    async with client_of(engine) as client:
        for _ in range(MAX_FAILED_SIGN_INS - 1):
            await sign_in(client, "bob", "wrong-password")
        assert (await sign_in(client, "bob", TEST_PASSWORD))["errors"] == []
        client.cookies.clear()  # signed in, a further POST would need the CSRF header
        assert (await sign_in(client, "bob", "wrong-password"))["errors"][0]["code"] == "FORBIDDEN"
    bob = (await session.exec(select(User).where(User.username == "bob"))).one()
    await session.refresh(bob)
    assert bob.failed_sign_ins == 1 and bob.locked_until is None


async def test_an_unknown_user_costs_one_password_check_like_a_wrong_password(
    engine, session, company, checks
):
    await make_user(session, username="bob", role="admin")
    await session.commit()
    async with client_of(engine) as client:
        unknown = await sign_in(client, "nobody", "guess-a")
        wrong = await sign_in(client, "bob", "guess-b")
    assert checks == ["guess-a", "guess-b"]
    refusal = [{"code": "FORBIDDEN", "message": WRONG_PASSWORD}]
    assert unknown["errors"] == wrong["errors"] == refusal


async def test_the_attempt_over_the_limit_from_one_address_is_refused(
    engine, session, company, checks
):
    limited = TEST_SETTINGS.model_copy(update={"sign_in_limit_per_client": 3})
    app = create_app(limited, engine=engine)

    def client(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 4000))
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    async with client("10.0.0.1") as attacker, client("10.0.0.2") as colleague:
        allowed = [await sign_in(attacker, f"user{i}", "guess") for i in range(3)]
        refused = await sign_in(attacker, "user3", "guess")
        elsewhere = await sign_in(colleague, "user3", "guess")
    assert codes(allowed) == ["FORBIDDEN"] * 3
    assert refused["errors"] == [{"code": "TOO_MANY_ATTEMPTS", "message": TRY_LATER}]
    assert elsewhere["errors"][0]["code"] == "FORBIDDEN"
    assert len(checks) == 4  # the refused attempt cost no argon2


async def test_successful_sign_ins_from_one_address_are_not_limited(engine, session, company):
    # An office behind one address signs in together; only guesses fill the window.
    for i in range(5):
        await make_user(session, username=f"clerk{i}", role="admin")
    await session.commit()
    limited = TEST_SETTINGS.model_copy(update={"sign_in_limit_per_client": 2})
    app = create_app(limited, engine=engine)

    async def attempt(username: str, password: str) -> dict[str, Any]:
        # A browser of its own each time (no session cookie yet), all behind one address.
        transport = httpx.ASGITransport(app=app, client=("10.9.9.9", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as browser:
            return await sign_in(browser, username, password)

    outcomes = [await attempt(f"clerk{i}", TEST_PASSWORD) for i in range(5)]
    guesses = [await attempt("clerk0", "wrong") for _ in range(3)]
    assert [o["errors"] for o in outcomes] == [[]] * 5
    assert codes(guesses) == ["FORBIDDEN", "FORBIDDEN", "TOO_MANY_ATTEMPTS"]


async def test_the_attempt_over_the_limit_for_one_username_is_refused_from_any_address(
    engine, session, company
):
    limited = TEST_SETTINGS.model_copy(update={"sign_in_limit_per_username": 2})
    app = create_app(limited, engine=engine)
    outcomes = []
    for i in range(3):
        transport = httpx.ASGITransport(app=app, client=(f"10.0.1.{i}", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            outcomes.append(await sign_in(client, "Nobody", "guess"))
    assert [codes([o]) for o in outcomes] == [["FORBIDDEN"], ["FORBIDDEN"], ["TOO_MANY_ATTEMPTS"]]


async def test_password_checks_leave_the_event_loop_free(engine, session, company, gate):
    async with client_of(engine) as client:
        pending = [asyncio.create_task(sign_in(client, f"user{i}", "guess")) for i in range(3)]
        await gate.wait_started()
        me = await asyncio.wait_for(client.post("/graphql", json={"query": "{ me { role } }"}), 5)
        still_hashing = [not task.done() for task in pending]
        gate.opened.set()
        await asyncio.gather(*pending)
    assert me.json()["data"]["me"] == {"role": None}
    assert still_hashing == [True, True, True]


async def test_a_full_queue_of_password_checks_refuses_at_once(
    engine, session, company, gate, monkeypatch
):
    monkeypatch.setattr(passwords, "MAX_PENDING", 1)
    async with client_of(engine) as client:
        first = asyncio.create_task(sign_in(client, "user1", "guess"))
        await gate.wait_started()
        second = await asyncio.wait_for(sign_in(client, "user2", "guess"), 5)
        gate.opened.set()
        await first
    assert second["errors"] == [{"code": "TOO_MANY_ATTEMPTS", "message": TRY_LATER}]
    logged = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    actions = [row.action for row in logged if row.action.startswith("sign_in")]
    assert actions == ["sign_in_refused_busy", "sign_in_failed"]


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(
            lambda query: {"data": {"operations": query, "map": "{}"}, "files": {"x": b""}},
            id="multipart",
        ),
        pytest.param(lambda query: {"data": {"query": query}}, id="urlencoded"),
        pytest.param(lambda query: {"content": query}, id="text-plain"),
    ],
)
async def test_a_form_post_of_sign_in_sets_no_cookie(
    engine, session, company, form: Callable[[str], dict[str, Any]]
):
    await make_user(session, username="mallory", role="admin")
    await session.commit()
    operation = {"query": SIGN_IN, "variables": {"u": "mallory", "p": TEST_PASSWORD}}
    async with client_of(engine) as client:
        response = await client.post(
            "/graphql", headers={"origin": "https://evil.example"}, **form(json.dumps(operation))
        )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF"
    assert "set-cookie" not in response.headers and SESSION_COOKIE not in client.cookies


async def test_basic_authorization_does_not_excuse_a_cookie_from_csrf(engine, session, company):
    await make_user(session, username="ann", role="admin")
    await session.commit()
    async with client_of(engine) as client:
        assert (await sign_in(client, "ann", TEST_PASSWORD))["errors"] == []
        response = await client.post(
            "/graphql",
            json={"query": "{ me { role } }"},
            headers={"authorization": "Basic YW5uOng="},
        )
    assert response.status_code == 403


class TestSlidingWindow:
    def test_admits_the_limit_then_refuses_until_the_oldest_event_leaves_the_window(self):
        window = SlidingWindow(limit=2, seconds=10.0)
        admitted = [window.admit("k", now=t) for t in (0.0, 5.0, 9.0, 10.0, 11.0, 15.0)]
        assert admitted == [True, True, False, True, False, True]

    def test_a_refused_attempt_does_not_extend_the_wait(self):
        window = SlidingWindow(limit=1, seconds=10.0)
        assert [window.admit("k", now=t) for t in (0.0, 5.0, 9.9, 10.0)] == [
            True,
            False,
            False,
            True,
        ]

    def test_usernames_count_together_whatever_their_case_or_spaces(self):
        throttle = SignInThrottle(per_client=100, per_username=1)
        assert throttle.allows(client="a", username="Bob", now=0.0)
        throttle.failed(client="a", username="Bob", now=0.0)
        assert not throttle.allows(client="b", username=" bob ", now=1.0)

    def test_only_failures_fill_the_windows(self):
        throttle = SignInThrottle(per_client=1, per_username=1)
        assert all(throttle.allows(client="a", username="bob", now=t) for t in (0.0, 1.0, 2.0))
        throttle.failed(client="a", username="bob", now=3.0)
        assert not throttle.allows(client="a", username="ann", now=4.0)
