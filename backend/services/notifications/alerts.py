"""What happens when an alert opens, is acknowledged or is resolved: people and webhooks hear.

The alert service calls ``alert_changed`` in the transaction of the change, so the inbox rows,
the e-mail jobs and the webhook deliveries commit (or roll back) with the alert itself::

    await alert_changed(session, alert=alert, change="acknowledged", actor=principal.username)

Who is told: every active user who may handle alerts (HANDLE_ALERTS) and whose scope covers
the alert's org path (the rep's managers up the tree, and company-wide roles), and the rep
themself when a user is linked to them; never the person who made the change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Alert, AlertRule, Rep, User
from backend.services.access import ROLE_ACTIONS, Action, Role, Scope
from backend.services.auth import principal_for
from backend.services.notifications import webhooks
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify

AlertChange = Literal["opened", "acknowledged", "resolved"]

MESSAGES: dict[str, MessageKey] = {
    "opened": MessageKey.ALERT_OPENED,
    "acknowledged": MessageKey.ALERT_ACKNOWLEDGED,
    "resolved": MessageKey.ALERT_RESOLVED,
}
HANDLERS = tuple(role.value for role in Role if Action.HANDLE_ALERTS in ROLE_ACTIONS[role])
_HANDLERS = "alert_handlers"


class AlertEventData(BaseModel):
    """The ``data`` of an ``alert.*`` webhook event."""

    model_config = ConfigDict(frozen=True)
    alert_id: int
    change: str
    state: str
    severity: str
    rule_key: str
    rule_name: str
    rep_id: int
    rep_name: str
    team_id: int | None
    plan_id: int
    metric_id: int
    actor: str
    at: datetime
    detail: dict[str, Any]


async def alert_changed(
    session: AsyncSession, *, alert: Alert, change: AlertChange, actor: str
) -> None:
    """Notify the alert's people and fan the event out to webhooks (see the module)."""
    rep = await session.get(Rep, alert.rep_id)
    rule = await session.get(AlertRule, alert.rule_id)
    rep_name = rep.name if rep else f"rep {alert.rep_id}"
    rule_name = rule.name if rule else alert.rule_key
    recipients = [u for u in await alert_recipients(session, alert=alert) if u.username != actor]
    await notify(
        session,
        users=recipients,
        kind=f"alert_{change}",
        message_key=MESSAGES[change],
        params={
            "rule": rule_name,
            "rep": rep_name,
            "severity": alert.severity,
            "actor": await _display_name(session, actor),
        },
        alert_id=alert.id,
    )
    data = AlertEventData(
        alert_id=alert.id or 0,
        change=change,
        state=alert.state,
        severity=alert.severity,
        rule_key=alert.rule_key,
        rule_name=rule_name,
        rep_id=alert.rep_id,
        rep_name=rep_name,
        team_id=rep.team_id if rep else None,
        plan_id=alert.plan_id,
        metric_id=alert.metric_id,
        actor=actor,
        at=alert.updated_at,
        detail=alert.detail,
    )
    await webhooks.publish(
        session, event_type=f"alert.{change}", org_path=alert.org_path, data=data
    )


async def alert_recipients(session: AsyncSession, *, alert: Alert) -> list[User]:
    """Active users who handle alerts with a scope covering the alert, and the rep's user."""
    found = {u.id: u for u, scope in await _handlers(session) if scope.covers_path(alert.org_path)}
    query = select(User).where(col(User.is_active).is_(True), col(User.rep_id) == alert.rep_id)
    found |= {u.id: u for u in (await session.exec(query)).all()}
    return [found[i] for i in sorted(i for i in found if i is not None)]


async def _handlers(session: AsyncSession) -> list[tuple[User, Scope]]:
    """Every active user who may handle alerts, with their scope: read once per transaction
    (an evaluation raising a thousand alerts asks once, not a thousand times)."""
    cached: list[tuple[User, Scope]] | None = session.info.get(_HANDLERS)
    if cached is None:
        query = select(User).where(col(User.is_active).is_(True), col(User.role).in_(HANDLERS))
        cached = []
        for user in (await session.exec(query)).all():
            principal = await principal_for(session, user)
            if principal.can(Action.HANDLE_ALERTS):
                cached.append((user, principal.scope))
        session.info[_HANDLERS] = cached
        event.listen(session.sync_session, "after_transaction_end", _forget, once=True)
    return cached


def _forget(sync_session: Session, _transaction: object) -> None:
    sync_session.info.pop(_HANDLERS, None)


async def _display_name(session: AsyncSession, username: str) -> str:
    user = (await session.exec(select(User).where(col(User.username) == username))).first()
    return (user.display_name or user.username) if user else username
