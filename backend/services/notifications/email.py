"""E-mail notifications: each e-mail is a job (retried with backoff), sent with aiosmtplib.

A job carries the user id and the message (key and parameters), not the text: the e-mail is
rendered when it is sent, in the user's language, to their address at that moment. Without an
SMTP host (``QUOTIENT_SMTP_HOST``) or an address, nothing is sent and the job ends done. The
server's answer decides a failure: a 5xx (a refused recipient, say) cannot get better by
waiting and kills the job at once; anything else (4xx, no connection, a timeout) is retried.

Digests: once a day (``DAILY_DIGEST``, after 06:00 UTC) one job looks up the users who want a
digest and enqueues one e-mail each, listing the previous UTC day's notifications.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib
from pydantic import BaseModel, ConfigDict

from backend.db.models import User
from backend.services.jobs import JobContext, PermanentFailure, enqueue, job_kind
from backend.services.jobs.schedules import Schedule
from backend.services.notifications import inbox
from backend.services.notifications.messages import MessageKey, ParamValue, locale_of, render
from backend.services.notifications.preferences import Channel, Mode, users_with
from backend.settings import Settings

logger = logging.getLogger(__name__)


class EmailNotice(BaseModel):
    """One notification by e-mail to one user."""

    model_config = ConfigDict(frozen=True)
    user_id: int
    message_key: MessageKey
    params: dict[str, ParamValue]


class DigestDay(BaseModel):
    """The digests of one UTC day."""

    model_config = ConfigDict(frozen=True)
    day: date


class UserDigest(BaseModel):
    model_config = ConfigDict(frozen=True)
    user_id: int
    day: date


async def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail through the configured SMTP server."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="quotient")
    message.set_content(body)  # UTF-8 where the text needs it (zh-CN)
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            use_tls=settings.smtp_tls == "tls",
            start_tls=settings.smtp_tls == "starttls",
            timeout=settings.smtp_timeout_seconds,
        )
    except aiosmtplib.SMTPResponseException as refusal:
        if refusal.code >= 500:
            raise PermanentFailure(f"SMTP {refusal.code}: {refusal.message}") from refusal
        raise
    except aiosmtplib.SMTPRecipientsRefused as refusal:
        raise PermanentFailure(f"SMTP refused the recipient {to}") from refusal


async def _recipient(context: JobContext, user_id: int) -> User | None:
    """The user if an e-mail can go to them now, else None (logged)."""
    user = await context.session.get(User, user_id)
    if not context.settings.smtp_host:
        logger.info("e-mail to user %s skipped: no SMTP host is configured", user_id)
        return None
    if user is None or not user.is_active or not user.email:
        logger.info("e-mail to user %s skipped: no active user with an address", user_id)
        return None
    return user


@job_kind("notifications.email", payload=EmailNotice, max_attempts=6)
async def send_notice(context: JobContext, notice: EmailNotice) -> None:
    user = await _recipient(context, notice.user_id)
    if user is None:
        return
    text = render(notice.message_key, notice.params, user.locale)
    await send_mail(context.settings, to=user.email, subject=text.subject, body=text.body)


@job_kind("notifications.daily_digests", payload=DigestDay)
async def plan_digests(context: JobContext, digest: DigestDay) -> None:
    """One digest job per user who wants digests (each retried on its own)."""
    for user_id in await users_with(context.session, channel=Channel.EMAIL, mode=Mode.DIGEST):
        await enqueue(
            context.session,
            kind=send_digest,
            payload=UserDigest(user_id=user_id, day=digest.day),
            dedupe_key=f"digest:{user_id}:{digest.day.isoformat()}",
        )


@job_kind("notifications.digest", payload=UserDigest, max_attempts=6)
async def send_digest(context: JobContext, digest: UserDigest) -> None:
    user = await _recipient(context, digest.user_id)
    if user is None:
        return
    start = datetime.combine(digest.day, time(), tzinfo=UTC)
    rows = await inbox.created_between(
        context.session, user_id=digest.user_id, start=start, end=start + timedelta(days=1)
    )
    if not rows:
        return
    locale = locale_of(user.locale)
    lines = "\n".join(f"- {item.subject}" for item in inbox.as_items(rows, locale))
    params: dict[str, ParamValue] = {"count": len(rows), "day": digest.day.isoformat()}
    text = render(MessageKey.DAILY_DIGEST, {**params, "items": lines}, locale)
    await send_mail(context.settings, to=user.email, subject=text.subject, body=text.body)


def _previous_day(period_start: datetime) -> DigestDay:
    return DigestDay(day=period_start.date() - timedelta(days=1))


DAILY_DIGEST = Schedule(
    name="daily-digest",
    kind=plan_digests,
    every=timedelta(days=1),
    offset=timedelta(hours=6),
    payload=_previous_day,
)
