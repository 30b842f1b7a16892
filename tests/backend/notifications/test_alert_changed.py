"""alert_changed: who hears of an alert (its rep's managers, company-wide handlers, the rep),
in their language, and never the one who made the change."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Notification, User
from backend.services.notifications import inbox
from backend.services.notifications.alerts import alert_changed, alert_recipients
from tests.backend.notifications.conftest import People, make_alert


async def _told(session: AsyncSession, people: People) -> list[str]:
    query = select(User.username).join(Notification, col(Notification.user_id) == col(User.id))
    return sorted((await session.exec(query)).all())


class TestRecipients:
    async def test_a_north_reps_alert_is_for_its_managers_company_wide_handlers_and_the_rep(
        self, session: AsyncSession, people: People
    ):
        alert = await make_alert(session, people, rep=people.company.reps[0])
        recipients = await alert_recipients(session, alert=alert)
        # Not south (another branch), not lead1 (another team).
        assert sorted(u.username for u in recipients) == [
            "admin",
            "lead0",
            "north",
            "planner",
            "rep",
        ]

    async def test_a_south_reps_alert_is_not_for_the_north(
        self, session: AsyncSession, people: People
    ):
        alert = await make_alert(session, people, rep=people.company.reps[6])
        recipients = await alert_recipients(session, alert=alert)
        assert sorted(u.username for u in recipients) == ["admin", "planner", "south"]


class TestAlertChanged:
    async def test_an_opened_alert_lands_in_each_recipients_inbox_in_their_language(
        self, session: AsyncSession, people: People
    ):
        alert = await make_alert(session, people, rep=people.company.reps[0])
        await alert_changed(session, alert=alert, change="opened", actor="system")
        await session.commit()
        assert await _told(session, people) == ["admin", "lead0", "north", "planner", "rep"]
        rep = await inbox.page(session, user_id=people["rep"].id, limit=5, offset=0)
        north = await inbox.page(session, user_id=people["north"].id, limit=5, offset=0)
        assert rep.items[0].subject == "预警：North-0-0 触发「Behind pace」"
        assert north.items[0].subject == "Alert: Behind pace for North-0-0"
        assert north.items[0].alert_id == alert.id
        assert north.items[0].kind == "alert_opened"

    async def test_the_person_who_acknowledged_is_not_told_and_the_others_read_their_name(
        self, session: AsyncSession, people: People
    ):
        alert = await make_alert(session, people, rep=people.company.reps[0])
        alert.state = "acknowledged"
        await alert_changed(session, alert=alert, change="acknowledged", actor="north")
        await session.commit()
        assert await _told(session, people) == ["admin", "lead0", "planner", "rep"]
        lead = await inbox.page(session, user_id=people["lead0"].id, limit=5, offset=0)
        assert lead.items[0].body == (
            "North acknowledged the alert “Behind pace” for North-0-0 (severity: critical)."
        )

    async def test_a_rolled_back_change_tells_nobody(self, session: AsyncSession, people: People):
        alert = await make_alert(session, people, rep=people.company.reps[0])
        await alert_changed(session, alert=alert, change="resolved", actor="system")
        await session.rollback()
        assert await _told(session, people) == []


class TestManyAlertsAtOnce:
    async def test_the_handlers_are_read_once_per_transaction_and_afresh_after_it(
        self, session: AsyncSession, people: People, count_statements
    ):
        first = await make_alert(session, people, rep=people.company.reps[0])
        second = await make_alert(session, people, rep=people.company.reps[1])
        await alert_recipients(session, alert=first)
        count_statements.count = 0
        recipients = await alert_recipients(session, alert=second)
        assert count_statements.count == 1  # only the rep's own user is looked up
        assert "north" in {u.username for u in recipients}
        await session.commit()
        people["north"].is_active = False
        session.add(people["north"])
        await session.commit()
        again = await alert_recipients(session, alert=second)
        assert "north" not in {u.username for u in again}
