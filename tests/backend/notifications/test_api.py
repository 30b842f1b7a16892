"""The notification API over HTTP: the inbox is one's own, preferences, webhooks and jobs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import update
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job, User, WebhookDelivery
from backend.services.access import SYSTEM
from backend.services.notifications import webhooks
from backend.services.notifications.alerts import alert_changed
from tests.backend.conftest import GraphQLClient
from tests.backend.notifications.conftest import People, make_alert

SignIn = Callable[[User], Awaitable[GraphQLClient]]

INBOX = """query($unread: Boolean) { inbox(limit: 10, unreadOnly: $unread) {
  totalCount unreadCount items { id kind subject body alertId readAt }
  pageInfo { hasNextPage } } }"""
MARK = """mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) {
  marked unreadCount errors { code field } } }"""
PREFER = """mutation($channel: NotificationChannel!, $mode: NotificationMode!) {
  setNotificationPreference(input: {channel: $channel, mode: $mode}) {
  preferences { inApp email } errors { code field message } } }"""
CREATE_ENDPOINT = """mutation($url: String!, $events: [WebhookEventType!]!, $unit: ID) {
  createWebhookEndpoint(input: {url: $url, eventTypes: $events, scopeOrgId: $unit}) {
  endpoint { id url eventTypes scopeOrgId active } secret errors { code field } } }"""
DEACTIVATE = """mutation($id: ID!) { deactivateWebhookEndpoint(input: {endpointId: $id}) {
  endpoint { active } errors { code } } }"""
DEAD_LETTERS = """{ webhookDeliveries(state: DEAD) { totalCount
  items { id state attempts eventType messageId } } }"""
REPLAY = """mutation($id: ID!) { replayWebhookDelivery(input: {deliveryId: $id}) {
  delivery { state } errors { code message } } }"""
JOBS = """query($state: JobState) { jobs(state: $state) { totalCount
  items { id kind state attempts maxAttempts lastError payload } } }"""
RETRY = """mutation($id: ID!) { retryJob(input: {jobId: $id}) {
  job { state attempts } errors { code message } } }"""


async def _alert_for_north(session: AsyncSession, people: People) -> int:
    alert = await make_alert(session, people, rep=people.company.reps[0])
    await alert_changed(session, alert=alert, change="opened", actor="system")
    await session.commit()
    return alert.id or 0


class TestInbox:
    async def test_each_caller_reads_only_their_own_inbox_in_their_language(
        self, session: AsyncSession, people: People, sign_in_as: SignIn
    ):
        alert_id = await _alert_for_north(session, people)
        north = (await (await sign_in_as(people["north"])).data(INBOX))["inbox"]
        rep = (await (await sign_in_as(people["rep"])).data(INBOX))["inbox"]
        south = (await (await sign_in_as(people["south"])).data(INBOX))["inbox"]
        assert (north["totalCount"], north["unreadCount"]) == (1, 1)
        assert north["items"][0]["subject"] == "Alert: Behind pace for North-0-0"
        assert north["items"][0]["alertId"] == str(alert_id)
        assert rep["items"][0]["subject"] == "预警：North-0-0 触发「Behind pace」"
        assert north["items"][0]["id"] != rep["items"][0]["id"]
        assert south == {
            "totalCount": 0,
            "unreadCount": 0,
            "items": [],
            "pageInfo": {"hasNextPage": False},
        }

    async def test_marking_another_users_notification_read_changes_nothing(
        self, session: AsyncSession, people: People, sign_in_as: SignIn
    ):
        await _alert_for_north(session, people)
        north = await sign_in_as(people["north"])
        rep = await sign_in_as(people["rep"])
        reps_own = (await rep.data(INBOX))["inbox"]["items"][0]["id"]
        north_own = (await north.data(INBOX))["inbox"]["items"][0]["id"]
        refused = (await north.data(MARK, ids=[reps_own]))["markNotificationsRead"]
        assert refused == {"marked": 0, "unreadCount": 1, "errors": []}
        assert (await rep.data(INBOX))["inbox"]["unreadCount"] == 1
        done = (await north.data(MARK, ids=[north_own]))["markNotificationsRead"]
        assert done == {"marked": 1, "unreadCount": 0, "errors": []}
        assert (await north.data(INBOX, unread=True))["inbox"]["items"] == []

    async def test_a_malformed_id_is_an_invalid_input_error(
        self, people: People, sign_in_as: SignIn
    ):
        north = await sign_in_as(people["north"])
        refused = (await north.data(MARK, ids=["x"]))["markNotificationsRead"]
        assert refused["errors"] == [{"code": "INVALID", "field": "ids"}]

    async def test_preferences_are_read_and_changed_by_their_owner(
        self, people: People, sign_in_as: SignIn
    ):
        north = await sign_in_as(people["north"])
        before = await north.data("{ notificationPreferences { inApp email } }")
        assert before["notificationPreferences"] == {"inApp": "IMMEDIATE", "email": "IMMEDIATE"}
        changed = (await north.data(PREFER, channel="EMAIL", mode="DIGEST"))[
            "setNotificationPreference"
        ]
        assert changed == {"preferences": {"inApp": "IMMEDIATE", "email": "DIGEST"}, "errors": []}
        refused = (await north.data(PREFER, channel="IN_APP", mode="DIGEST"))[
            "setNotificationPreference"
        ]
        assert refused["preferences"] is None
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID", "mode")]
        rep = await sign_in_as(people["rep"])
        theirs = await rep.data("{ notificationPreferences { email } }")
        assert theirs["notificationPreferences"] == {"email": "IMMEDIATE"}


class TestWebhooks:
    async def test_an_endpoint_is_created_with_its_secret_shown_once_then_deactivated(
        self, people: People, sign_in_as: SignIn
    ):
        admin = await sign_in_as(people["admin"])
        north = str(people.company.branches[0].id)
        created = (
            await admin.data(
                CREATE_ENDPOINT,
                url="https://hooks.example.test/q",
                events=["ALERT_OPENED", "ALERT_RESOLVED"],
                unit=north,
            )
        )["createWebhookEndpoint"]
        assert created["errors"] == []
        assert created["secret"].startswith("whsec_")
        assert created["endpoint"]["eventTypes"] == ["ALERT_OPENED", "ALERT_RESOLVED"]
        assert created["endpoint"]["scopeOrgId"] == north
        listed = await admin.execute("{ webhookEndpoints { id secret } }")
        assert "errors" in listed  # there is no way to read a secret again
        endpoint_id = created["endpoint"]["id"]
        gone = (await admin.data(DEACTIVATE, id=endpoint_id))["deactivateWebhookEndpoint"]
        assert gone == {"endpoint": {"active": False}, "errors": []}

    async def test_a_bad_url_is_refused_in_the_payload(self, people: People, sign_in_as: SignIn):
        admin = await sign_in_as(people["admin"])
        refused = (await admin.data(CREATE_ENDPOINT, url="not a url", events=["ALERT_OPENED"]))[
            "createWebhookEndpoint"
        ]
        assert (refused["endpoint"], refused["secret"]) == (None, None)
        assert refused["errors"] == [{"code": "INVALID", "field": "url"}]

    async def test_dead_letters_are_listed_and_replayed(
        self, session: AsyncSession, people: People, sign_in_as: SignIn
    ):
        await webhooks.create_endpoint(
            session,
            principal=SYSTEM,
            url="http://127.0.0.1:9/none",
            event_types=["alert.opened"],
            scope_org_id=None,
        )
        await _alert_for_north(session, people)
        await session.exec(update(WebhookDelivery).values(state="dead", attempts=6))  # type: ignore[call-overload]
        await session.commit()
        admin = await sign_in_as(people["admin"])
        dead = (await admin.data(DEAD_LETTERS))["webhookDeliveries"]
        assert dead["totalCount"] == 1
        assert dead["items"][0]["eventType"] == "ALERT_OPENED"
        replayed = (await admin.data(REPLAY, id=dead["items"][0]["id"]))["replayWebhookDelivery"]
        assert replayed == {"delivery": {"state": "PENDING"}, "errors": []}
        again = (await admin.data(REPLAY, id=dead["items"][0]["id"]))["replayWebhookDelivery"]
        assert again["errors"][0]["code"] == "CONFLICT"


class TestJobs:
    async def test_jobs_are_listed_by_state_and_a_dead_one_is_retried(
        self, session: AsyncSession, people: People, sign_in_as: SignIn
    ):
        await _alert_for_north(session, people)  # e-mail jobs for the five recipients
        await session.exec(  # type: ignore[call-overload]
            update(Job).values(state="dead", attempts=6, last_error="SMTP 451")
        )
        await session.commit()
        admin = await sign_in_as(people["admin"])
        dead = (await admin.data(JOBS, state="DEAD"))["jobs"]
        assert dead["totalCount"] == 5
        assert {j["kind"] for j in dead["items"]} == {"notifications.email"}
        assert (await admin.data(JOBS, state="QUEUED"))["jobs"]["totalCount"] == 0
        retried = (await admin.data(RETRY, id=dead["items"][0]["id"]))["retryJob"]
        assert retried == {"job": {"state": "QUEUED", "attempts": 0}, "errors": []}
        missing = (await admin.data(RETRY, id="999999"))["retryJob"]
        assert missing["errors"][0]["code"] == "NOT_FOUND"

    async def test_a_branch_manager_may_not_see_the_queue(self, people: People, sign_in_as: SignIn):
        north = await sign_in_as(people["north"])
        body = await north.execute(JOBS)
        assert body["errors"][0]["message"] == "your role may not manage_integrations"
