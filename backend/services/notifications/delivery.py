"""Sending one webhook delivery: a job that signs the event and POSTs it.

Signed per the Standard Webhooks convention with its reference library: headers
``webhook-id`` (the delivery's message id, the same on every retry so a receiver can drop
duplicates), ``webhook-timestamp`` (this attempt's time) and ``webhook-signature``. A 2xx answer
delivers it; anything else, or no answer, is retried with backoff, and after the last attempt
the delivery is ``dead`` (listed as a dead letter, replayable).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
from pydantic import BaseModel, ConfigDict
from standardwebhooks import Webhook

from backend.db.models import WebhookDelivery, WebhookEndpoint
from backend.services.jobs import JobContext, PermanentFailure, job_kind
from backend.services.jobs.kinds import JobFailure

REQUEST_TIMEOUT_SECONDS = 10.0
MAX_ERROR = 2000


class DeliveryJob(BaseModel):
    model_config = ConfigDict(frozen=True)
    delivery_id: int


class DeliveryFailed(Exception):
    """The receiver did not take the event: its HTTP status, or None when it did not answer."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status


def signed_headers(secret: str, message_id: str, at: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for ``body`` sent at ``at``."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
        "content-type": "application/json",
        "user-agent": "Quotient-Webhooks/1",
    }


def body_of(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)


@job_kind(
    "webhooks.deliver",
    payload=DeliveryJob,
    max_attempts=6,
    timeout=timedelta(seconds=REQUEST_TIMEOUT_SECONDS * 3),
)
async def deliver(context: JobContext, job: DeliveryJob) -> None:
    delivery = await context.session.get(WebhookDelivery, job.delivery_id)
    if delivery is None or delivery.state == "delivered":
        return
    endpoint = await context.session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.active:
        raise PermanentFailure("the endpoint was deactivated")
    status = await _post(endpoint, delivery)
    delivery.state, delivery.delivered_at = "delivered", datetime.now(UTC)
    delivery.attempts, delivery.last_status, delivery.last_error = delivery.attempts + 1, status, ""
    context.session.add(delivery)


async def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> int:
    """POST the signed event; its status when 2xx, else ``DeliveryFailed``."""
    body = body_of(delivery)
    headers = signed_headers(endpoint.secret, delivery.message_id, datetime.now(UTC), body)
    try:
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS) as client:
            response = await client.post(endpoint.url, content=body.encode(), headers=headers)
    except httpx.HTTPError as error:
        raise DeliveryFailed(None, f"{type(error).__name__}: {error}") from error
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(response.status_code, f"the receiver answered {response.status_code}")
    return response.status_code


@deliver.on_failure
async def _record_failure(context: JobContext, job: DeliveryJob, failure: JobFailure) -> None:
    """Keep the attempt on the delivery; after the last one it is a dead letter."""
    delivery = await context.session.get(WebhookDelivery, job.delivery_id)
    if delivery is None:
        return
    delivery.attempts += 1
    delivery.last_error = failure.message[:MAX_ERROR]
    delivery.last_status = (
        failure.error.status if isinstance(failure.error, DeliveryFailed) else None
    )
    if failure.final:
        delivery.state = "dead"
    context.session.add(delivery)
