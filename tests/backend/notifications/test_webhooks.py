"""Webhooks to a real HTTP receiver that verifies each signature with the Standard Webhooks
library: fan-out by event type and scope, retries, dead letters and replay."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from standardwebhooks import Webhook, WebhookVerificationError

from backend.db.models import Job, WebhookDelivery
from backend.services.access import SYSTEM, Principal, Scope
from backend.services.errors import DomainError, ErrorCode
from backend.services.jobs.installed import installed
from backend.services.jobs.worker import Worker
from backend.services.notifications import webhooks
from backend.services.notifications.alerts import alert_changed
from tests.backend.notifications.conftest import Clock, People, WorkerFactory, make_alert


@dataclass
class Call:
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Receiver:
    """Endpoints by path, each with its secret; answers 503 while ``failures`` > 0, 400 to a
    bad signature, else 204, and keeps every verified call."""

    port: int = 0
    secrets: dict[str, str] = field(default_factory=dict)
    calls: dict[str, list[Call]] = field(default_factory=dict)
    failures: int = 0
    forged: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> int:
        if self.failures > 0:
            self.failures -= 1
            return 503
        try:
            body = Webhook(self.secrets[path]).verify(raw, headers)
        except (KeyError, WebhookVerificationError):
            self.forged += 1
            return 400
        self.calls.setdefault(path, []).append(Call(headers, body))
        return 204


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["content-length"]))
            status = state.answer(self.path, dict(self.headers.items()), raw)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def worker(make_worker: WorkerFactory) -> Worker:
    return make_worker(installed()[0])


async def _endpoint(
    session: AsyncSession,
    receiver: Receiver,
    path: str,
    *,
    events: tuple[str, ...] = ("alert.opened", "alert.acknowledged", "alert.resolved"),
    unit_id: int | None = None,
) -> int:
    created = await webhooks.create_endpoint(
        session,
        principal=SYSTEM,
        url=receiver.url(path),
        event_types=list(events),
        scope_org_id=unit_id,
    )
    receiver.secrets[path] = created.secret
    await session.commit()
    return created.endpoint.id or 0


async def _deliveries(session: AsyncSession) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).execution_options(populate_existing=True)
    return list((await session.exec(query.order_by(col(WebhookDelivery.id)))).all())


async def _open_alert(session: AsyncSession, people: People, rep_index: int = 0) -> int:
    alert = await make_alert(session, people, rep=people.company.reps[rep_index])
    await alert_changed(session, alert=alert, change="opened", actor="system")
    await session.commit()
    return alert.id or 0


class TestFanOut:
    async def test_an_opened_alert_reaches_the_receiver_signed_and_verifiable(
        self, session: AsyncSession, people: People, receiver: Receiver, worker: Worker
    ):
        await _endpoint(session, receiver, "/hook")
        alert_id = await _open_alert(session, people)
        assert await worker.run_once() >= 1
        (call,) = receiver.calls["/hook"]
        (delivery,) = await _deliveries(session)
        assert call.headers["webhook-id"] == delivery.message_id
        assert call.body["type"] == "alert.opened"
        assert call.body["data"]["alert_id"] == alert_id
        assert call.body["data"]["rep_name"] == "North-0-0"
        assert call.body["data"]["rule_name"] == "Behind pace"
        assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
        assert receiver.forged == 0

    async def test_events_go_only_to_endpoints_of_their_type_whose_scope_covers_the_rep(
        self, session: AsyncSession, people: People, receiver: Receiver, worker: Worker
    ):
        north, south = people.company.branches
        await _endpoint(session, receiver, "/company")
        await _endpoint(session, receiver, "/north", unit_id=north.id)
        await _endpoint(session, receiver, "/north-team", unit_id=people.company.teams[0].id)
        await _endpoint(session, receiver, "/south", unit_id=south.id)
        await _endpoint(session, receiver, "/resolved-only", events=("alert.resolved",))
        await _open_alert(session, people, rep_index=0)  # a rep of North Team 0
        await worker.run_once()
        assert sorted(receiver.calls) == ["/company", "/north", "/north-team"]

    async def test_a_deactivated_endpoint_receives_nothing_more(
        self, session: AsyncSession, people: People, receiver: Receiver, worker: Worker
    ):
        endpoint_id = await _endpoint(session, receiver, "/hook")
        await webhooks.deactivate_endpoint(session, principal=SYSTEM, endpoint_id=endpoint_id)
        await session.commit()
        await _open_alert(session, people)
        await worker.run_once()
        assert receiver.calls == {}
        assert await _deliveries(session) == []


class TestRetries:
    async def test_a_failing_receiver_gets_the_same_message_again_after_a_backoff(
        self,
        session: AsyncSession,
        people: People,
        receiver: Receiver,
        worker: Worker,
        clock: Clock,
    ):
        await _endpoint(session, receiver, "/hook")
        await _open_alert(session, people)
        receiver.failures = 2
        await worker.run_once()
        (delivery,) = await _deliveries(session)
        assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 503)
        for _ in range(2):
            clock.advance(hours=2)
            await worker.run_once()
        (delivery,) = await _deliveries(session)
        assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
        (call,) = receiver.calls["/hook"]
        assert call.headers["webhook-id"] == delivery.message_id

    async def test_after_the_last_attempt_the_delivery_is_a_dead_letter_and_can_be_replayed(
        self,
        session: AsyncSession,
        people: People,
        receiver: Receiver,
        worker: Worker,
        clock: Clock,
    ):
        await _endpoint(session, receiver, "/hook")
        await _open_alert(session, people)
        receiver.failures = 6
        for _ in range(6):
            await worker.run_once()
            clock.advance(hours=2)
        dead, total = await webhooks.list_deliveries(
            session, principal=SYSTEM, state="dead", limit=10, offset=0
        )
        assert total == 1
        assert (dead[0].attempts, dead[0].last_status) == (6, 503)
        assert receiver.calls == {}
        replayed = await webhooks.replay_delivery(
            session, principal=SYSTEM, delivery_id=dead[0].id or 0
        )
        await session.commit()
        assert replayed.state == "pending"
        await worker.run_once()
        (delivery,) = await _deliveries(session)
        assert (delivery.state, delivery.attempts) == ("delivered", 7)
        assert receiver.calls["/hook"][0].headers["webhook-id"] == delivery.message_id

    async def test_only_a_dead_delivery_can_be_replayed(
        self, session: AsyncSession, people: People, receiver: Receiver, worker: Worker
    ):
        await _endpoint(session, receiver, "/hook")
        await _open_alert(session, people)
        await worker.run_once()
        (delivery,) = await _deliveries(session)
        with pytest.raises(DomainError) as refused:
            await webhooks.replay_delivery(session, principal=SYSTEM, delivery_id=delivery.id)
        assert refused.value.problems[0].code is ErrorCode.CONFLICT

    async def test_a_forged_signature_is_refused_by_the_receivers_library(
        self, session: AsyncSession, people: People, receiver: Receiver, worker: Worker
    ):
        await _endpoint(session, receiver, "/hook")
        receiver.secrets["/hook"] = webhooks.new_secret()  # the receiver holds another secret
        await _open_alert(session, people)
        await worker.run_once()
        (delivery,) = await _deliveries(session)
        assert (delivery.state, delivery.last_status, receiver.forged) == ("pending", 400, 1)


class TestEndpoints:
    async def test_the_secret_is_a_whsec_key_shown_only_at_creation(
        self, session: AsyncSession, people: People, receiver: Receiver
    ):
        created = await webhooks.create_endpoint(
            session,
            principal=SYSTEM,
            url=receiver.url("/x"),
            event_types=["alert.opened"],
            scope_org_id=None,
        )
        assert created.secret.startswith("whsec_")
        Webhook(created.secret)  # a key the library accepts

    async def test_a_bad_url_or_an_unknown_event_is_refused_with_every_reason(
        self, session: AsyncSession, people: People
    ):
        with pytest.raises(DomainError) as refused:
            await webhooks.create_endpoint(
                session,
                principal=SYSTEM,
                url="ftp://example.test/",
                event_types=["plan.approved"],
                scope_org_id=None,
            )
        assert [p.field for p in refused.value.problems] == ["url", "eventTypes"]

    async def test_a_caller_scoped_to_a_branch_manages_only_endpoints_inside_it(
        self, session: AsyncSession, people: People, receiver: Receiver
    ):
        north, south = people.company.branches
        await _endpoint(session, receiver, "/company")
        await _endpoint(session, receiver, "/south", unit_id=south.id)
        north_id = await _endpoint(session, receiver, "/north", unit_id=north.id)
        narrow = Principal(
            username="north-integrations",
            role=None,
            actions=SYSTEM.actions,
            scope=Scope(org_path=north.path),
            user_id=1,
        )
        listed = await webhooks.list_endpoints(session, principal=narrow)
        assert [e.id for e in listed] == [north_id]
        for unit in (None, south.id):
            with pytest.raises(DomainError):
                await webhooks.create_endpoint(
                    session,
                    principal=narrow,
                    url=receiver.url("/y"),
                    event_types=["alert.opened"],
                    scope_org_id=unit,
                )


async def test_an_alert_change_rolled_back_leaves_no_delivery_and_no_job(
    session: AsyncSession, people: People, receiver: Receiver
):
    await _endpoint(session, receiver, "/hook")
    alert = await make_alert(session, people, rep=people.company.reps[0])
    await alert_changed(session, alert=alert, change="opened", actor="system")
    await session.rollback()
    assert await _deliveries(session) == []
    assert (await session.exec(select(Job))).all() == []
    assert json.dumps(receiver.calls) == "{}"
