"""Alerts: raised and cleared by the evaluator, acknowledged and resolved by people.

States go ``open -> acknowledged -> resolved`` (or straight to resolved); every change is an
``AlertEvent`` row (who, when, from, to, note), so the history of an alert is never lost. At
most one alert per rule key and rep is not resolved: the evaluator updates it rather than
raising another, and the database refuses a duplicate (a partial unique index) if two
evaluations race. People act within their scope with HANDLE_ALERTS; a rep sees the alerts
about themself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Alert, AlertEvent, AlertRule
from backend.db.models._base import utcnow
from backend.services import audit
from backend.services.access import Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode, Problems, not_found, stale
from backend.services.notifications.alerts import alert_changed
from backend.services.text import hidden_characters

Change = Literal["opened", "acknowledged", "resolved"]
MAX_NOTE = 2000
SYSTEM = "system"


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts to list: by state, plan, rep; newest first."""

    states: tuple[str, ...] = ("open", "acknowledged")
    plan_id: int | None = None
    rep_id: int | None = None


def _scoped(query: Any, scope: Scope) -> Any:
    if scope.nothing:
        return query.where(col(Alert.id) < 0)
    if scope.rep_id is not None:
        return query.where(col(Alert.rep_id) == scope.rep_id)
    if scope.org_path is not None:
        return query.where(col(Alert.org_path).startswith(scope.org_path))
    return query


def _filtered(query: Any, principal: Principal, which: AlertFilter) -> Any:
    query = _scoped(query, principal.scope)
    if which.states:
        query = query.where(col(Alert.state).in_(which.states))
    if which.plan_id is not None:
        query = query.where(col(Alert.plan_id) == which.plan_id)
    if which.rep_id is not None:
        query = query.where(col(Alert.rep_id) == which.rep_id)
    return query


async def list_alerts(
    session: AsyncSession, *, principal: Principal, which: AlertFilter, limit: int, offset: int
) -> tuple[Sequence[Alert], int]:
    """A page of the alerts the caller may see, newest first, and their total count."""
    query = _filtered(select(Alert), principal, which)
    query = query.order_by(col(Alert.opened_at).desc(), col(Alert.id).desc())
    rows = (await session.exec(query.offset(offset).limit(limit))).all()
    total = await session.exec(_filtered(select(func.count(col(Alert.id))), principal, which))
    return rows, int(total.one())


async def get_alert(session: AsyncSession, *, principal: Principal, alert_id: int) -> Alert:
    """One alert the caller may see (NOT_FOUND otherwise: its existence is not disclosed)."""
    query = _scoped(select(Alert).where(col(Alert.id) == alert_id), principal.scope)
    alert: Alert | None = (await session.exec(query)).first()
    if alert is None:
        raise not_found("alert", alert_id, "alertId")
    return alert


async def history(session: AsyncSession, alert_id: int) -> Sequence[AlertEvent]:
    query = select(AlertEvent).where(col(AlertEvent.alert_id) == alert_id)
    return (await session.exec(query.order_by(col(AlertEvent.at), col(AlertEvent.id)))).all()


def _note(value: str) -> str:
    note = value.strip()
    problems = Problems()
    if len(note) > MAX_NOTE:
        problems.invalid("note", f"a note is at most {MAX_NOTE} characters")
    if hidden_characters(note):
        problems.invalid("note", "the note holds control or invisible characters")
    problems.raise_if_any()
    return note


async def _change(
    session: AsyncSession,
    alert: Alert,
    *,
    to: str,
    actor: str,
    note: str,
    at: datetime | None = None,
) -> None:
    """Move ``alert`` to state ``to`` and keep the event; the row's version guards races."""
    now = at or utcnow()
    session.add(
        AlertEvent(
            alert_id=alert.id or 0,
            at=now,
            actor=actor,
            from_state=alert.state,
            to_state=to,
            note=note,
        )
    )
    alert.state, alert.updated_at, alert.version = to, now, alert.version + 1
    if to == "acknowledged":
        alert.acknowledged_by, alert.acknowledged_at = actor, now
    if to == "resolved":
        alert.resolved_by, alert.resolved_at = actor, now
    await session.flush()
    await announce(session, alert=alert, change=CHANGES[to], actor=actor)


CHANGES: dict[str, Change] = {
    "open": "opened",
    "acknowledged": "acknowledged",
    "resolved": "resolved",
}


async def announce(session: AsyncSession, *, alert: Alert, change: Change, actor: str) -> None:
    """The change in the audit trail and live feed, then to people (inbox, e-mail) and
    webhooks, all in the transaction of the change."""
    await audit.record(
        session,
        actor=actor,
        action=f"alert_{change}",
        entity="alert",
        entity_id=alert.id,
        before=None,
        after={"state": alert.state, "ruleKey": alert.rule_key, "repId": alert.rep_id},
        org_path=alert.org_path,
    )
    await alert_changed(session, alert=alert, change=change, actor=actor)


async def _for_handling(
    session: AsyncSession, principal: Principal, alert_id: int, expected_version: int
) -> Alert:
    if Action.HANDLE_ALERTS not in principal.actions:
        raise DomainError.single(ErrorCode.FORBIDDEN, "your role may not handle alerts")
    alert = await get_alert(session, principal=principal, alert_id=alert_id)
    if alert.version != expected_version:
        raise stale("alert", alert.version)
    return alert


async def acknowledge(
    session: AsyncSession,
    *,
    principal: Principal,
    alert_id: int,
    expected_version: int,
    note: str = "",
) -> Alert:
    """open -> acknowledged: someone is on it."""
    alert = await _for_handling(session, principal, alert_id, expected_version)
    if alert.state != "open":
        raise DomainError.single(
            ErrorCode.CONFLICT, f"alert {alert_id} is {alert.state}, not open", "alertId"
        )
    await _change(session, alert, to="acknowledged", actor=principal.username, note=_note(note))
    return alert


async def resolve(
    session: AsyncSession,
    *,
    principal: Principal,
    alert_id: int,
    expected_version: int,
    note: str,
) -> Alert:
    """open or acknowledged -> resolved, with a note saying what was done (required)."""
    alert = await _for_handling(session, principal, alert_id, expected_version)
    if alert.state == "resolved":
        raise DomainError.single(ErrorCode.CONFLICT, f"alert {alert_id} is resolved", "alertId")
    text = _note(note)
    if not text:
        raise DomainError.single(ErrorCode.INVALID, "say what was done to resolve it", "note")
    await _change(session, alert, to="resolved", actor=principal.username, note=text)
    return alert


async def unresolved(
    session: AsyncSession, *, rule_keys: Sequence[str], plan_id: int
) -> dict[tuple[str, int], Alert]:
    """The alerts not resolved, by (rule key, rep), of ``rule_keys`` in a plan."""
    query = select(Alert).where(
        col(Alert.rule_key).in_(list(rule_keys)),
        col(Alert.plan_id) == plan_id,
        col(Alert.state) != "resolved",
    )
    return {(a.rule_key, a.rep_id): a for a in (await session.exec(query)).all()}


async def raise_alert(
    session: AsyncSession,
    *,
    rule: AlertRule,
    rep_id: int,
    plan_id: int,
    org_path: str,
    detail: dict[str, Any],
) -> Alert:
    """A new open alert of ``rule`` for a rep (the caller checked none is unresolved)."""
    now = utcnow()
    alert = Alert(
        rule_id=rule.id or 0,
        rule_key=rule.key,
        rep_id=rep_id,
        plan_id=plan_id,
        metric_id=rule.metric_id,
        org_path=org_path,
        severity=rule.severity,
        detail=detail,
        opened_at=now,
        updated_at=now,
    )
    session.add(alert)
    await session.flush()
    session.add(AlertEvent(alert_id=alert.id or 0, at=now, actor=SYSTEM, to_state="open"))
    await announce(session, alert=alert, change="opened", actor=SYSTEM)
    return alert


async def clear(session: AsyncSession, alert: Alert) -> None:
    """The condition no longer holds: resolved by the system, with that as the note."""
    await _change(session, alert, to="resolved", actor=SYSTEM, note="the condition cleared")
