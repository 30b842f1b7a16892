"""Notifications: the inbox and preferences, webhooks and their deliveries, the job queue.

Each module contributes query and mutation mixins; ``NotificationQuery`` and
``NotificationMutation`` gather them for the schema's roots, and ``NOTIFICATION_POLICY`` says
who may call each field. The ``notifications`` subscription's stream is in ``live``.
"""

from __future__ import annotations

import strawberry

from backend.graphql.notifications.inbox import INBOX_POLICY, InboxMutation, InboxQuery
from backend.graphql.notifications.jobs import JOB_POLICY, JobMutation, JobQuery
from backend.graphql.notifications.webhooks import WEBHOOK_POLICY, WebhookMutation, WebhookQuery
from backend.services.access import Action

# Root field -> the action it needs (merged into backend.graphql.policy.ROOT_FIELD_POLICY).
NOTIFICATION_POLICY: dict[str, Action] = INBOX_POLICY | WEBHOOK_POLICY | JOB_POLICY


@strawberry.type
class NotificationQuery(InboxQuery, WebhookQuery, JobQuery):
    pass


@strawberry.type
class NotificationMutation(InboxMutation, WebhookMutation, JobMutation):
    pass
