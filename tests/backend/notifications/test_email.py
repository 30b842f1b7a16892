"""E-mail through a real SMTP server (aiosmtpd on a free local port): language, retries, digests."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job
from backend.services.jobs.installed import installed
from backend.services.jobs.worker import Worker
from backend.services.notifications.email import DAILY_DIGEST
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify
from backend.services.notifications.preferences import Channel, Mode, set_preference
from backend.settings import Settings
from tests.backend.notifications.conftest import Clock, People, WorkerFactory

PARAMS = {"rule": "Behind pace", "rep": "North-0-0", "severity": "critical", "actor": "system"}


@dataclass
class Mailbox:
    """What the SMTP server received; it answers ``refusals`` first (e.g. a 451), then 250."""

    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"

    def only(self) -> tuple[list[str], EmailMessage]:
        assert len(self.received) == 1, self.received
        return self.received[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(port=_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mail_worker(make_worker: WorkerFactory, settings: Settings, mailbox: Mailbox) -> Worker:
    """A worker with every installed kind, sending through the local server."""
    registry, _ = installed()
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_tls": "none"}
    return make_worker(registry, settings=settings.model_copy(update=smtp))


async def _notify(session: AsyncSession, *users: Any) -> None:
    await notify(
        session,
        users=list(users),
        kind="alert_opened",
        message_key=MessageKey.ALERT_OPENED,
        params=PARAMS,
    )
    await session.commit()


async def _jobs(session: AsyncSession, kind: str) -> list[Job]:
    query = select(Job).where(col(Job.kind) == kind).execution_options(populate_existing=True)
    return list((await session.exec(query.order_by(col(Job.id)))).all())


class TestImmediateEmail:
    async def test_each_user_receives_the_message_in_their_own_language(
        self, session: AsyncSession, people: People, mailbox: Mailbox, mail_worker: Worker
    ):
        await _notify(session, people["north"], people["rep"])
        assert await mail_worker.run_once() == 2
        by_recipient = {tuple(to): message for to, message in mailbox.received}
        english = by_recipient[("north@example.test",)]
        chinese = by_recipient[("rep@example.test",)]
        assert english["Subject"] == "Alert: Behind pace for North-0-0"
        assert english.get_content().strip() == (
            "The alert rule “Behind pace” fired for North-0-0 (severity: critical)."
        )
        assert chinese["Subject"] == "预警：North-0-0 触发「Behind pace」"
        assert chinese.get_content().strip() == (
            "North-0-0 触发了预警规则「Behind pace」（级别：严重）。"
        )
        assert chinese["To"] == "rep@example.test"
        assert chinese["From"] == "Quotient <quotient@localhost>"

    async def test_a_temporary_refusal_is_retried_after_a_backoff(
        self,
        session: AsyncSession,
        people: People,
        mailbox: Mailbox,
        mail_worker: Worker,
        clock: Clock,
    ):
        mailbox.refusals = ["451 4.3.0 Try again later"]
        await _notify(session, people["north"])
        await mail_worker.run_once()
        (job,) = await _jobs(session, "notifications.email")
        assert (job.state, job.attempts) == ("queued", 1)
        assert "451" in job.last_error
        assert mailbox.received == []
        clock.advance(minutes=2)
        await mail_worker.run_once()
        (job,) = await _jobs(session, "notifications.email")
        assert job.state == "done"
        assert mailbox.only()[0] == ["north@example.test"]

    async def test_a_permanent_refusal_kills_the_job_at_once(
        self, session: AsyncSession, people: People, mailbox: Mailbox, mail_worker: Worker
    ):
        mailbox.refusals = ["550 5.1.1 No such user"]
        await _notify(session, people["north"])
        await mail_worker.run_once()
        (job,) = await _jobs(session, "notifications.email")
        assert (job.state, job.attempts) == ("dead", 1)
        assert job.last_error.startswith("PermanentFailure: SMTP 550")

    async def test_without_an_smtp_host_nothing_is_sent_and_the_job_is_done(
        self,
        session: AsyncSession,
        people: People,
        mailbox: Mailbox,
        make_worker: WorkerFactory,
    ):
        await _notify(session, people["north"])
        await make_worker(installed()[0]).run_once()  # the default settings: no SMTP host
        (job,) = await _jobs(session, "notifications.email")
        assert job.state == "done"
        assert mailbox.received == []


class TestDigest:
    async def test_the_daily_digest_lists_the_days_notifications_in_the_users_language(
        self,
        session: AsyncSession,
        people: People,
        mailbox: Mailbox,
        mail_worker: Worker,
        clock: Clock,
    ):
        rep = people["rep"]
        await set_preference(session, user_id=rep.id, channel=Channel.EMAIL, mode=Mode.DIGEST)
        await _notify(session, rep, people["north"])
        await _notify(session, rep)
        assert await mail_worker.run_once() == 1  # north's immediate e-mail only
        mailbox.received.clear()
        today = datetime.now(UTC).date()
        clock.now = datetime.combine(today + timedelta(days=1), time(7), tzinfo=UTC)
        worker = Worker(
            mail_worker.sessions,
            settings=mail_worker.settings,
            registry=mail_worker.registry,
            schedules=(DAILY_DIGEST,),
            clock=clock,
        )
        assert await worker.run_once() == 2  # the day's planner, then the rep's digest
        to, digest = mailbox.only()
        assert to == ["rep@example.test"]
        assert digest["Subject"] == f"Quotient：{today.isoformat()} 共 2 条通知"
        body = digest.get_content()
        assert body.count("- 预警：North-0-0 触发「Behind pace」") == 2
        assert await worker.run_once() == 0  # once per day, however often it ticks
