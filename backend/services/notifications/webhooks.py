"""Webhook endpoints, the fan-out of events to them, and their dead letters.

An endpoint receives the event types it subscribed to, for the part of the company it is
scoped to (``scope_org_id``; None: all of it): an event about a rep in an org unit reaches the
endpoints whose scope covers the unit's path (the same ``Scope.covers_path`` that bounds what
people see). Its ``whsec_`` secret is shown once, when it is created. Managing endpoints and
deliveries takes MANAGE_INTEGRATIONS, within the caller's own scope: a caller scoped to a
branch sees and creates only endpoints scoped inside it.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from pydantic import BaseModel
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, WebhookDelivery, WebhookEndpoint
from backend.services import audit
from backend.services.access import Action, Principal, Scope
from backend.services.errors import DomainError, ErrorCode, Problems, not_found
from backend.services.jobs import enqueue
from backend.services.notifications.delivery import DeliveryJob, deliver

EVENT_TYPES = (
    "alert.opened",
    "alert.acknowledged",
    "alert.resolved",
    "adjustment.requested",
    "adjustment.approved",
    "adjustment.refused",
)
MAX_URL = 2000


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown to the caller once, never again


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _require(principal: Principal) -> None:
    if not principal.can(Action.MANAGE_INTEGRATIONS):
        raise DomainError.single(ErrorCode.FORBIDDEN, "your role may not manage integrations")


async def _unit_paths(session: AsyncSession, unit_ids: set[int]) -> dict[int, str]:
    query = select(OrgUnit.id, OrgUnit.path).where(col(OrgUnit.id).in_(unit_ids))
    return {unit_id: path for unit_id, path in (await session.exec(query)).all() if unit_id}


async def _visible(
    session: AsyncSession, principal: Principal, endpoints: Sequence[WebhookEndpoint]
) -> list[WebhookEndpoint]:
    """The endpoints inside the caller's scope (company-wide ones: company-wide callers)."""
    paths = await _unit_paths(session, {e.scope_org_id for e in endpoints if e.scope_org_id})
    scope = principal.scope

    def sees(endpoint: WebhookEndpoint) -> bool:
        if endpoint.scope_org_id is None:
            return scope.org_path is None and not scope.nothing
        path = paths.get(endpoint.scope_org_id)
        return path is not None and scope.covers_path(path)

    return [e for e in endpoints if sees(e)]


def _check(url: str, event_types: Sequence[str], problems: Problems) -> None:
    parts = urlsplit(url.strip())
    if len(url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        problems.invalid("url", "an http(s) URL with a host, at most 2000 characters")
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown or not event_types:
        problems.invalid("eventTypes", f"choose among {', '.join(EVENT_TYPES)}")


async def create_endpoint(
    session: AsyncSession,
    *,
    principal: Principal,
    url: str,
    event_types: Sequence[str],
    scope_org_id: int | None,
) -> CreatedEndpoint:
    """A new active endpoint with a fresh secret (returned here only)."""
    _require(principal)
    problems = Problems()
    _check(url, event_types, problems)
    problems.raise_if_any()
    await _check_scope(session, principal, scope_org_id)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url.strip(),
        secret=secret,
        event_types=sorted(set(event_types)),
        scope_org_id=scope_org_id,
        created_by=principal.username,
    )
    session.add(endpoint)
    await session.flush()
    await _audit(session, principal, endpoint, "webhook_create")
    return CreatedEndpoint(endpoint=endpoint, secret=secret)


async def _check_scope(session: AsyncSession, principal: Principal, unit_id: int | None) -> None:
    if unit_id is None:
        if principal.scope.org_path is not None or principal.scope.nothing:
            raise DomainError.single(
                ErrorCode.FORBIDDEN,
                "a company-wide endpoint needs a company-wide scope: choose an org unit",
                "scopeOrgId",
            )
        return
    unit = await session.get(OrgUnit, unit_id)
    if unit is None or not principal.scope.covers_path(unit.path):
        raise not_found("org unit", unit_id, "scopeOrgId")


async def _audit(
    session: AsyncSession, principal: Principal, endpoint: WebhookEndpoint, action: str
) -> None:
    after = {"url": endpoint.url, "eventTypes": endpoint.event_types, "active": endpoint.active}
    await audit.record(
        session,
        actor=principal.username,
        action=action,
        entity="webhook_endpoint",
        entity_id=endpoint.id,
        before=None,
        after=after | {"scopeOrgId": endpoint.scope_org_id},
        publish=False,  # integrations are audited, never broadcast
    )


async def list_endpoints(session: AsyncSession, *, principal: Principal) -> list[WebhookEndpoint]:
    """The caller's visible endpoints, newest first (secrets are not part of the answer)."""
    _require(principal)
    query = select(WebhookEndpoint).order_by(col(WebhookEndpoint.id).desc())
    return await _visible(session, principal, (await session.exec(query)).all())


async def visible_endpoint(
    session: AsyncSession, *, principal: Principal, endpoint_id: int
) -> WebhookEndpoint:
    _require(principal)
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not await _visible(session, principal, [endpoint]):
        raise not_found("webhook endpoint", endpoint_id, "endpointId")
    return endpoint


async def deactivate_endpoint(
    session: AsyncSession, *, principal: Principal, endpoint_id: int
) -> WebhookEndpoint:
    """Stop sending to an endpoint (its deliveries are kept; pending ones end dead)."""
    endpoint = await visible_endpoint(session, principal=principal, endpoint_id=endpoint_id)
    if endpoint.active:
        endpoint.active = False
        session.add(endpoint)
        await session.flush()
        await _audit(session, principal, endpoint, "webhook_deactivate")
    return endpoint


async def publish(
    session: AsyncSession, *, event_type: str, org_path: str, data: BaseModel
) -> list[WebhookDelivery]:
    """Fan an event out to every active endpoint that subscribed to its type and whose scope
    covers ``org_path``: one delivery and one delivery job each, in the caller's transaction."""
    query = select(WebhookEndpoint).where(col(WebhookEndpoint.active).is_(True))
    endpoints = [e for e in (await session.exec(query)).all() if event_type in e.event_types]
    paths = await _unit_paths(session, {e.scope_org_id for e in endpoints if e.scope_org_id})
    body = {
        "type": event_type,
        "timestamp": datetime.now(UTC).isoformat(),
        "data": data.model_dump(mode="json"),
    }
    deliveries = []
    for endpoint in endpoints:
        scope = Scope(org_path=paths.get(endpoint.scope_org_id or 0, "/nowhere/"))
        if endpoint.scope_org_id is not None and not scope.covers_path(org_path):
            continue
        delivery = WebhookDelivery(
            endpoint_id=endpoint.id or 0,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            payload=body,
        )
        session.add(delivery)
        await session.flush()
        await enqueue(session, kind=deliver, payload=DeliveryJob(delivery_id=delivery.id or 0))
        deliveries.append(delivery)
    return deliveries


async def list_deliveries(
    session: AsyncSession, *, principal: Principal, state: str | None, limit: int, offset: int
) -> tuple[Sequence[WebhookDelivery], int]:
    """A page of deliveries to the caller's visible endpoints, newest first (``state`` dead:
    the dead letters), and how many there are."""
    endpoints = await list_endpoints(session, principal=principal)
    mine = col(WebhookDelivery.endpoint_id).in_([e.id for e in endpoints])
    query, count = select(WebhookDelivery).where(mine), select(func.count()).where(mine)
    if state is not None:
        query = query.where(col(WebhookDelivery.state) == state)
        count = count.where(col(WebhookDelivery.state) == state)
    page = query.order_by(col(WebhookDelivery.id).desc()).offset(offset).limit(limit)
    total = (await session.exec(count.select_from(WebhookDelivery))).one()
    return (await session.exec(page)).all(), int(total)


async def replay_delivery(
    session: AsyncSession, *, principal: Principal, delivery_id: int
) -> WebhookDelivery:
    """Send a dead letter again: pending, with a new job and a fresh set of attempts. The
    message id stays, so a receiver that did take it after all can drop the repeat."""
    _require(principal)
    delivery = await session.get(WebhookDelivery, delivery_id)
    endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id) if delivery else None
    if delivery is None or endpoint is None or not await _visible(session, principal, [endpoint]):
        raise not_found("webhook delivery", delivery_id, "deliveryId")
    if delivery.state != "dead":
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"delivery {delivery_id} is {delivery.state}, not dead",
            "deliveryId",
        )
    if not endpoint.active:
        raise DomainError.single(ErrorCode.CONFLICT, "its endpoint is deactivated", "deliveryId")
    delivery.state = "pending"
    session.add(delivery)
    await session.flush()
    await enqueue(session, kind=deliver, payload=DeliveryJob(delivery_id=delivery_id))
    return delivery
