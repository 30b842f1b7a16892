"""The caller's inbox and notification preferences.

Every field here acts on the signed-in caller's own notifications (their user id, from the
credential): there is no argument naming a user, so nobody can read or mark another's.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.types.common import PageInfo, UserError, offset_page_info, parse_id
from backend.services.access import Action
from backend.services.auth import now_utc
from backend.services.errors import DomainError, ErrorCode
from backend.services.notifications import inbox
from backend.services.notifications import preferences as prefs

INBOX_POLICY: dict[str, Action] = {
    "inbox": Action.READ,
    "notificationPreferences": Action.READ,
    "markNotificationsRead": Action.READ,
    "setNotificationPreference": Action.READ,
    "notifications": Action.READ,  # the subscription (backend/graphql/subscriptions.py)
}


@strawberry.type(description="A notification, in the reader's language.")
class Notification:
    id: strawberry.ID = strawberry.field(description="Its id.")
    kind: str = strawberry.field(description="What it is about, e.g. `alert_opened`.")
    message_key: str = strawberry.field(description="The message it renders.")
    subject: str = strawberry.field(description="One line (an e-mail's subject).")
    body: str = strawberry.field(description="The message.")
    alert_id: strawberry.ID | None = strawberry.field(description="The alert it is about.")
    created_at: dt.datetime = strawberry.field(description="When it was sent.")
    read_at: dt.datetime | None = strawberry.field(description="When you read it; null: unread.")

    @classmethod
    def from_item(cls, item: inbox.InboxItem) -> Notification:
        return cls(
            id=strawberry.ID(str(item.id)),
            kind=item.kind,
            message_key=item.message_key,
            subject=item.subject,
            body=item.body,
            alert_id=strawberry.ID(str(item.alert_id)) if item.alert_id else None,
            created_at=item.created_at,
            read_at=item.read_at,
        )


@strawberry.type(description="A page of your notifications, newest first.")
class NotificationPage:
    items: list[Notification] = strawberry.field(description="This page's notifications.")
    total_count: int = strawberry.field(description="Notifications matching, on every page.")
    unread_count: int = strawberry.field(description="Your unread notifications, all of them.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.enum(description="Where notifications reach you.")
class NotificationChannel(Enum):
    IN_APP = "in_app"
    EMAIL = "email"


@strawberry.enum(description="How a channel tells you: at once, in a daily digest, or not.")
class NotificationMode(Enum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


@strawberry.type(description="Your notification preferences.")
class NotificationPreferences:
    in_app: NotificationMode = strawberry.field(description="The inbox: immediate or off.")
    email: NotificationMode = strawberry.field(description="E-mail: immediate, digest or off.")

    @classmethod
    def from_service(cls, chosen: prefs.Preferences) -> NotificationPreferences:
        return cls(
            in_app=NotificationMode(chosen.in_app.value), email=NotificationMode(chosen.email.value)
        )


@strawberry.input(description="Which notifications to mark read.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Your notifications to mark; null: all of them."
    )


@strawberry.type(description="Result of marking notifications read.")
class MarkNotificationsReadPayload:
    marked: int = strawberry.field(default=0, description="How many were unread and now read.")
    unread_count: int = strawberry.field(default=0, description="Your unread notifications now.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="How one channel should tell you.")
class SetNotificationPreferenceInput:
    channel: NotificationChannel = strawberry.field(description="The channel.")
    mode: NotificationMode = strawberry.field(description="Its mode.")


@strawberry.type(description="Result of changing a notification preference.")
class NotificationPreferencesPayload:
    preferences: NotificationPreferences | None = strawberry.field(
        description="Your preferences after the change; null when refused."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


def own_user_id(info: Info) -> int:
    """The caller's user id; an identity without one (the system) has no inbox."""
    user_id = info.context.principal.user_id
    if user_id is None:
        raise DomainError.single(ErrorCode.FORBIDDEN, "only a signed-in user has an inbox")
    return user_id


@strawberry.type(description="Your inbox and notification preferences.")
class InboxQuery:
    @strawberry.field(
        description="Your notifications, newest first (1 to 500 per page), with the unread count."
    )
    async def inbox(
        self, info: Info, limit: int = 20, offset: int = 0, unread_only: bool = False
    ) -> NotificationPage:
        user_id = info.context.principal.user_id
        async with info.context.db() as session:
            found = (
                await inbox.page(
                    session, user_id=user_id, limit=limit, offset=offset, unread_only=unread_only
                )
                if user_id is not None
                else inbox.InboxPage(items=[], total=0, unread=0)
            )
        return NotificationPage(
            items=[Notification.from_item(item) for item in found.items],
            total_count=found.total,
            unread_count=found.unread,
            page_info=offset_page_info(offset=offset, count=len(found.items), total=found.total),
        )

    @strawberry.field(description="How notifications reach you, per channel.")
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        user_id = info.context.principal.user_id
        async with info.context.db() as session:
            found = await prefs.preferences_of(session, [user_id] if user_id else [])
        return NotificationPreferences.from_service(found.get(user_id or 0, prefs.Preferences()))


@strawberry.type(description="Marking your notifications read, and your preferences.")
class InboxMutation:
    @strawberry.mutation(description="Mark some or all of your notifications read.")
    async def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkNotificationsReadPayload:
        async def mark(session: Any) -> tuple[int, int]:
            user_id = own_user_id(info)
            ids = None if input.ids is None else [parse_id(i, "ids") for i in input.ids]
            marked = await inbox.mark_read(session, user_id=user_id, ids=ids, now=now_utc())
            return marked, await inbox.unread_count(session, user_id=user_id)

        result, errors = await atomic(info, mark)
        marked, unread = result or (0, 0)
        return MarkNotificationsReadPayload(marked=marked, unread_count=unread, errors=errors)

    @strawberry.mutation(description="Choose how one channel tells you.")
    async def set_notification_preference(
        self, info: Info, input: SetNotificationPreferenceInput
    ) -> NotificationPreferencesPayload:
        async def choose(session: Any) -> prefs.Preferences:
            return await prefs.set_preference(
                session,
                user_id=own_user_id(info),
                channel=prefs.Channel(input.channel.value),
                mode=prefs.Mode(input.mode.value),
            )

        chosen, errors = await atomic(info, choose)
        return NotificationPreferencesPayload(
            preferences=NotificationPreferences.from_service(chosen) if chosen else None,
            errors=errors,
        )
