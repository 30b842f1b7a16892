"""Webhook endpoints and their deliveries (dead letters, replay): MANAGE_INTEGRATIONS."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from backend.db.models import WebhookDelivery as DeliveryModel
from backend.db.models import WebhookEndpoint as EndpointModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic, or_graphql_error
from backend.graphql.types.common import PageInfo, UserError, offset_page_info, parse_id
from backend.services.access import Action
from backend.services.notifications import webhooks

WEBHOOK_POLICY: dict[str, Action] = {
    "webhookEndpoints": Action.MANAGE_INTEGRATIONS,
    "webhookDeliveries": Action.MANAGE_INTEGRATIONS,
    "createWebhookEndpoint": Action.MANAGE_INTEGRATIONS,
    "deactivateWebhookEndpoint": Action.MANAGE_INTEGRATIONS,
    "replayWebhookDelivery": Action.MANAGE_INTEGRATIONS,
}


@strawberry.enum(description="An event a webhook endpoint can receive.")
class WebhookEventType(Enum):
    ALERT_OPENED = "alert.opened"
    ALERT_ACKNOWLEDGED = "alert.acknowledged"
    ALERT_RESOLVED = "alert.resolved"
    ADJUSTMENT_REQUESTED = "adjustment.requested"
    ADJUSTMENT_APPROVED = "adjustment.approved"
    ADJUSTMENT_REFUSED = "adjustment.refused"


@strawberry.enum(description="Where a delivery stands.")
class WebhookDeliveryState(Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


@strawberry.type(description="A receiver of signed events (Standard Webhooks).")
class WebhookEndpoint:
    model: strawberry.Private[EndpointModel]

    @strawberry.field(description="Its id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Where events are POSTed.")
    def url(self) -> str:
        return self.model.url

    @strawberry.field(description="The events it receives.")
    def event_types(self) -> list[WebhookEventType]:
        return [WebhookEventType(t) for t in self.model.event_types]

    @strawberry.field(description="The org unit whose events it receives; null: all.")
    def scope_org_id(self) -> strawberry.ID | None:
        unit = self.model.scope_org_id
        return strawberry.ID(str(unit)) if unit is not None else None

    @strawberry.field(description="False once deactivated: nothing more is sent.")
    def active(self) -> bool:
        return self.model.active

    @strawberry.field(description="Who created it.")
    def created_by(self) -> str:
        return self.model.created_by

    @strawberry.field(description="When it was created.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at


@strawberry.type(description="One event sent, or to be sent, to one endpoint.")
class WebhookDelivery:
    model: strawberry.Private[DeliveryModel]

    @strawberry.field(description="Its id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="The endpoint.")
    def endpoint_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.endpoint_id))

    @strawberry.field(description="The `webhook-id` header: the same on every retry.")
    def message_id(self) -> str:
        return self.model.message_id

    @strawberry.field(description="The event.")
    def event_type(self) -> WebhookEventType:
        return WebhookEventType(self.model.event_type)

    @strawberry.field(description="Pending, delivered, or dead after its last retry.")
    def state(self) -> WebhookDeliveryState:
        return WebhookDeliveryState(self.model.state)

    @strawberry.field(description="Attempts so far.")
    def attempts(self) -> int:
        return self.model.attempts

    @strawberry.field(description="Why the last attempt failed; empty when none did.")
    def last_error(self) -> str:
        return self.model.last_error

    @strawberry.field(description="The receiver's last HTTP status; null: no answer.")
    def last_status(self) -> int | None:
        return self.model.last_status

    @strawberry.field(description="When the event happened.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="When the receiver took it.")
    def delivered_at(self) -> dt.datetime | None:
        return self.model.delivered_at


@strawberry.type(description="A page of deliveries, newest first.")
class WebhookDeliveryPage:
    items: list[WebhookDelivery] = strawberry.field(description="This page's deliveries.")
    total_count: int = strawberry.field(description="Deliveries matching, on every page.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description="An http(s) URL that takes POSTed events.")
    event_types: list[WebhookEventType] = strawberry.field(description="The events to send.")
    scope_org_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only events of this org unit's subtree; null: all."
    )


@strawberry.type(description="Result of creating a webhook endpoint.")
class CreateWebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(description="The endpoint; null if not.")
    secret: str | None = strawberry.field(
        description="Its `whsec_` signing secret: shown this once, keep it safe."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="A webhook endpoint.")
class WebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(description="The endpoint.")


@strawberry.type(description="Result of changing a webhook endpoint.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(description="The endpoint; null if not.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="A dead webhook delivery.")
class WebhookDeliveryInput:
    delivery_id: strawberry.ID = strawberry.field(description="The delivery (state dead).")


@strawberry.type(description="Result of replaying a webhook delivery.")
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="The delivery; null if not.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="Webhook endpoints and deliveries.")
class WebhookQuery:
    @strawberry.field(description="Webhook endpoints in your scope, newest first.")
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        async with info.context.db() as session:
            found = await or_graphql_error(
                webhooks.list_endpoints(session, principal=info.context.principal)
            )
        return [WebhookEndpoint(model=e) for e in found]

    @strawberry.field(
        description="Deliveries to your endpoints, newest first; state DEAD lists the dead "
        "letters (1 to 500 per page)."
    )
    async def webhook_deliveries(
        self,
        info: Info,
        state: WebhookDeliveryState | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> WebhookDeliveryPage:
        async with info.context.db() as session:
            rows, total = await or_graphql_error(
                webhooks.list_deliveries(
                    session,
                    principal=info.context.principal,
                    state=state.value if state else None,
                    limit=limit,
                    offset=offset,
                )
            )
        return WebhookDeliveryPage(
            items=[WebhookDelivery(model=d) for d in rows],
            total_count=total,
            page_info=offset_page_info(offset=offset, count=len(rows), total=total),
        )


@strawberry.type(description="Creating and deactivating endpoints, replaying dead letters.")
class WebhookMutation:
    @strawberry.mutation(description="Add an endpoint; its signing secret is shown once, here.")
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> CreateWebhookEndpointPayload:
        async def create(session: Any) -> webhooks.CreatedEndpoint:
            unit = parse_id(input.scope_org_id, "scopeOrgId") if input.scope_org_id else None
            return await webhooks.create_endpoint(
                session,
                principal=info.context.principal,
                url=input.url,
                event_types=[t.value for t in input.event_types],
                scope_org_id=unit,
            )

        created, errors = await atomic(info, create)
        return CreateWebhookEndpointPayload(
            endpoint=WebhookEndpoint(model=created.endpoint) if created else None,
            secret=created.secret if created else None,
            errors=errors,
        )

    @strawberry.mutation(description="Stop sending to an endpoint (its history is kept).")
    async def deactivate_webhook_endpoint(
        self, info: Info, input: WebhookEndpointInput
    ) -> WebhookEndpointPayload:
        async def deactivate(session: Any) -> EndpointModel:
            return await webhooks.deactivate_endpoint(
                session,
                principal=info.context.principal,
                endpoint_id=parse_id(input.endpoint_id, "endpointId"),
            )

        endpoint, errors = await atomic(info, deactivate)
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint(model=endpoint) if endpoint else None, errors=errors
        )

    @strawberry.mutation(description="Send a dead delivery again, with a fresh set of retries.")
    async def replay_webhook_delivery(
        self, info: Info, input: WebhookDeliveryInput
    ) -> WebhookDeliveryPayload:
        async def replay(session: Any) -> DeliveryModel:
            return await webhooks.replay_delivery(
                session,
                principal=info.context.principal,
                delivery_id=parse_id(input.delivery_id, "deliveryId"),
            )

        delivery, errors = await atomic(info, replay)
        return WebhookDeliveryPayload(
            delivery=WebhookDelivery(model=delivery) if delivery else None, errors=errors
        )
