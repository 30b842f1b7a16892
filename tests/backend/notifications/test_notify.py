"""notify(): inbox rows and e-mail jobs per each user's preferences; the inbox is one's own."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Job, Notification
from backend.services.auth import now_utc
from backend.services.errors import DomainError
from backend.services.notifications import inbox
from backend.services.notifications.live import signals
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify
from backend.services.notifications.preferences import Channel, Mode, set_preference
from tests.backend.notifications.conftest import People

PARAMS = {"rule": "Behind pace", "rep": "North-0-0", "severity": "critical", "actor": "system"}


async def _notify(session: AsyncSession, *users) -> list[Notification]:
    return await notify(
        session,
        users=list(users),
        kind="alert_opened",
        message_key=MessageKey.ALERT_OPENED,
        params=PARAMS,
    )


async def _email_jobs(session: AsyncSession) -> list[int]:
    query = select(Job).where(col(Job.kind) == "notifications.email")
    return sorted(j.payload["user_id"] for j in (await session.exec(query)).all())


class TestNotify:
    async def test_by_default_a_user_gets_an_inbox_row_and_an_immediate_email_job(
        self, session: AsyncSession, people: People
    ):
        rows = await _notify(session, people["north"], people["rep"])
        await session.commit()
        assert sorted(r.user_id for r in rows) == sorted([people["north"].id, people["rep"].id])
        assert await _email_jobs(session) == sorted([people["north"].id, people["rep"].id])

    async def test_preferences_choose_the_channels(self, session: AsyncSession, people: People):
        quiet, digest = people["north"], people["south"]
        await set_preference(session, user_id=quiet.id, channel=Channel.IN_APP, mode=Mode.OFF)
        await set_preference(session, user_id=quiet.id, channel=Channel.EMAIL, mode=Mode.OFF)
        await set_preference(session, user_id=digest.id, channel=Channel.EMAIL, mode=Mode.DIGEST)
        rows = await _notify(session, quiet, digest)
        assert [r.user_id for r in rows] == [digest.id]  # the digest is built from the inbox
        assert await _email_jobs(session) == []

    async def test_a_user_without_an_address_or_inactive_gets_no_email_and_duplicates_once(
        self, session: AsyncSession, people: People
    ):
        people["north"].email = ""
        people["south"].is_active = False
        rows = await _notify(session, people["north"], people["north"], people["south"])
        assert [r.user_id for r in rows] == [people["north"].id]
        assert await _email_jobs(session) == []

    async def test_a_rolled_back_notification_leaves_no_row_no_job_and_wakes_nobody(
        self, session: AsyncSession, people: People
    ):
        async with signals.listen(people["north"].id) as wakeups:
            await _notify(session, people["north"])
            await session.rollback()
            assert not await wakeups.wait(0.05)
        assert (await session.exec(select(Notification))).all() == []
        assert await _email_jobs(session) == []

    async def test_a_committed_notification_wakes_only_its_users_subscribers(
        self, session: AsyncSession, people: People
    ):
        async with (
            signals.listen(people["north"].id) as north,
            signals.listen(people["south"].id) as south,
        ):
            await _notify(session, people["north"])
            assert not await north.wait(0.01)  # not before the commit
            await session.commit()
            assert await north.wait(1)
            assert not await south.wait(0.05)


class TestPreferences:
    async def test_the_inbox_cannot_be_a_digest(self, session: AsyncSession, people: People):
        with pytest.raises(DomainError, match="in_app is immediate, off, not digest"):
            await set_preference(
                session, user_id=people["north"].id, channel=Channel.IN_APP, mode=Mode.DIGEST
            )

    async def test_an_email_digest_needs_the_inbox_on(self, session: AsyncSession, people: People):
        user_id = people["north"].id
        await set_preference(session, user_id=user_id, channel=Channel.EMAIL, mode=Mode.DIGEST)
        with pytest.raises(DomainError, match="keep the inbox on"):
            await set_preference(session, user_id=user_id, channel=Channel.IN_APP, mode=Mode.OFF)


class TestInbox:
    async def test_a_user_reads_only_their_own_notifications_in_their_language(
        self, session: AsyncSession, people: People
    ):
        await _notify(session, people["north"], people["rep"])
        await _notify(session, people["north"])
        await session.commit()
        north = await inbox.page(session, user_id=people["north"].id, limit=10, offset=0)
        rep = await inbox.page(session, user_id=people["rep"].id, limit=10, offset=0)
        assert (north.total, north.unread, rep.total, rep.unread) == (2, 2, 1, 1)
        assert north.items[0].subject == "Alert: Behind pace for North-0-0"
        assert rep.items[0].subject == "预警：North-0-0 触发「Behind pace」"
        assert {i.id for i in north.items}.isdisjoint({i.id for i in rep.items})

    async def test_marking_read_touches_only_the_readers_own_notifications(
        self, session: AsyncSession, people: People
    ):
        north_row, rep_row = await _notify(session, people["north"], people["rep"])
        await session.commit()
        marked = await inbox.mark_read(
            session, user_id=people["north"].id, ids=[north_row.id, rep_row.id], now=now_utc()
        )
        assert marked == 1
        assert await inbox.unread_count(session, user_id=people["rep"].id) == 1
        assert await inbox.unread_count(session, user_id=people["north"].id) == 0
        unread = await inbox.page(
            session, user_id=people["north"].id, limit=10, offset=0, unread_only=True
        )
        assert (unread.total, unread.unread) == (0, 0)

    async def test_marking_all_read_and_the_newest_first_paging(
        self, session: AsyncSession, people: People
    ):
        for _ in range(3):
            await _notify(session, people["north"])
        await session.commit()
        first = await inbox.page(session, user_id=people["north"].id, limit=2, offset=0)
        rest = await inbox.page(session, user_id=people["north"].id, limit=2, offset=2)
        ids = [i.id for i in first.items + rest.items]
        assert ids == sorted(ids, reverse=True) and len(ids) == 3
        assert await inbox.mark_read(session, user_id=people["north"].id, ids=None, now=now_utc())
        assert await inbox.unread_count(session, user_id=people["north"].id) == 0
