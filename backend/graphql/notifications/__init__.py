"""Notifications: the inbox and preferences, webhooks and their deliveries, the job queue.

Each module contributes query and mutation mixins; ``NotificationQuery`` and
``NotificationMutation`` gather them for the schema's roots, and ``NOTIFICATION_POLICY`` says
who may call each field.
"""

from __future__ import annotations

import strawberry

from backend.services.access import Action

# Root field -> the action it needs (merged into backend.graphql.policy.ROOT_FIELD_POLICY).
NOTIFICATION_POLICY: dict[str, Action] = {}


@strawberry.type
class NotificationQuery:
    pass


@strawberry.type
class NotificationMutation:
    pass
