"""Telling people: inbox rows and e-mail jobs, per each user's preferences, in one transaction.

``notify`` adds to the caller's transaction; nothing is visible, sent or announced to live
subscribers until the caller commits, and nothing at all if it rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Notification, User
from backend.services.jobs import enqueue
from backend.services.notifications import live
from backend.services.notifications.email import EmailNotice, send_notice
from backend.services.notifications.messages import MessageKey, ParamValue, check_params
from backend.services.notifications.preferences import Mode, preferences_of


async def notify(
    session: AsyncSession,
    *,
    users: Sequence[User],
    kind: str,
    message_key: MessageKey,
    params: Mapping[str, ParamValue],
    alert_id: int | None = None,
) -> list[Notification]:
    """Notify each active user once: an inbox row unless they turned the inbox off, an e-mail
    job if they want e-mails immediately (digests are gathered daily from the inbox).

    >>> await notify(session, users=[manager], kind="alert_opened",
    ...              message_key=MessageKey.ALERT_OPENED, params={...}, alert_id=alert.id)
    """
    check_params(message_key, params)
    recipients = list({u.id: u for u in users if u.id is not None and u.is_active}.values())
    preferences = await preferences_of(session, [u.id or 0 for u in recipients])
    rows: list[Notification] = []
    for user in recipients:
        chosen = preferences[user.id or 0]
        if chosen.in_app is not Mode.OFF:
            rows.append(
                Notification(
                    user_id=user.id or 0,
                    kind=kind,
                    message_key=message_key.value,
                    params=dict(params),
                    alert_id=alert_id,
                )
            )
        if chosen.email is Mode.IMMEDIATE and user.email:
            notice = EmailNotice(user_id=user.id or 0, message_key=message_key, params=dict(params))
            await enqueue(session, kind=send_notice, payload=notice)
    session.add_all(rows)
    await session.flush()
    live.after_commit(session, {row.user_id for row in rows})
    return rows
