"""recordActuals: idempotent by external id, typed errors per row, scoped, rolled up at once."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ActualEntry, AuditEntry, Deal, MonthlyActual
from backend.services import aggregation
from backend.services.access import SYSTEM
from backend.services.events import broker
from backend.services.tracking import actuals as service
from tests.factories import SmallCompany, make_user

RECORD = """mutation($input: RecordActualsInput!) { recordActuals(input: $input) {
  result { created updated unchanged refused written }
  rowErrors { index field code message } errors { field code message } } }"""
DAY = date.today() - timedelta(days=1)


def entry(external_id: str, rep_id: int | None, value: float, **more: Any) -> dict[str, Any]:
    row = {"externalId": external_id, "metric": "revenue", "day": DAY.isoformat(), "value": value}
    if rep_id is not None:
        row["repId"] = str(rep_id)
    return row | more


async def monthly(session: AsyncSession, rep_id: int, metric_id: int, month: date) -> float | None:
    await session.commit()  # a fresh snapshot: the API wrote on its own connection
    query = select(MonthlyActual.value).where(
        MonthlyActual.rep_id == rep_id,
        MonthlyActual.metric_id == metric_id,
        MonthlyActual.month == month,
    )
    return (await session.exec(query)).first()


async def count(session: AsyncSession, model: Any, *where: Any) -> int:
    query = select(func.count()).select_from(model).where(*where)
    return int((await session.exec(query)).one())


@pytest.fixture
async def integration(session, company: SmallCompany, sign_in_as):
    """An integration identity whose scope is the first branch (teams 0 and 1)."""
    user = await make_user(
        session, username="crm-sync", role="integration", scope=company.branches[0]
    )
    await session.commit()
    return await sign_in_as(user)


async def record(client, *rows: dict[str, Any], all_or_nothing: bool = True) -> dict[str, Any]:
    data = await client.data(RECORD, input={"entries": list(rows), "allOrNothing": all_or_nothing})
    payload: dict[str, Any] = data["recordActuals"]
    return payload


class TestIdempotence:
    async def test_a_resend_with_the_same_id_and_value_changes_nothing(
        self, session, company, integration
    ):
        rep, revenue = company.reps[0], company.metrics["revenue"]
        rep_id, revenue_id = rep.id, revenue.id
        first = await record(integration, entry("crm-1", rep.id, 1200.0))
        audits = await count(session, AuditEntry)
        again = await record(integration, entry("crm-1", rep.id, 1200.0))
        assert first["result"] == {
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "refused": 0,
            "written": True,
        }
        assert again["result"] == {
            "created": 0,
            "updated": 0,
            "unchanged": 1,
            "refused": 0,
            "written": False,
        }
        assert await count(session, ActualEntry) == 1
        assert await count(session, AuditEntry) == audits  # nothing audited, nothing announced
        assert await monthly(session, rep_id, revenue_id, DAY.replace(day=1)) == 1200.0

    async def test_a_resend_with_another_value_updates_the_entry_and_is_audited(
        self, session, company, integration
    ):
        rep, revenue = company.reps[0].id, company.metrics["revenue"].id
        await record(integration, entry("crm-1", rep, 1200.0), entry("crm-2", rep, 50.0))
        changed = await record(integration, entry("crm-1", rep, 1000.0))
        assert changed["result"]["updated"] == 1
        assert await monthly(session, rep, revenue, DAY.replace(day=1)) == 1050.0
        trail = (
            await session.exec(select(AuditEntry).where(AuditEntry.entity == "actual_entry"))
        ).all()
        assert [(a.entity_id, a.before["value"], a.after["value"]) for a in trail] == [
            ("crm-1", 1200.0, 1000.0)
        ]

    async def test_a_rep_given_by_code_is_the_same_rep_as_by_id(
        self, session, company, integration
    ):
        rep = company.reps[1]
        await record(integration, entry("crm-9", rep.id, 10.0))
        again = await record(integration, entry("crm-9", None, 10.0, repCode=rep.external_id))
        assert again["result"]["unchanged"] == 1


class TestRowErrors:
    async def test_each_refused_row_names_its_index_field_and_reason_and_nothing_is_written(
        self, session, company, integration
    ):
        rep = company.reps[0].id
        future = (date.today() + timedelta(days=5)).isoformat()
        payload = await record(
            integration,
            entry("ok-1", rep, 10.0),
            entry("r-1", 999_999, 10.0),
            entry("r-2", rep, 10.0, metric="bookings"),
            entry("r-3", rep, 0.9, metric="collection_rate"),
            entry("r-4", rep, 10.0, day=future),
            entry("r-5", rep, -1.0),
            entry("r-6", rep, 1.5, metric="new_customers"),
            entry("ok-1", rep, 10.0),
            entry("r-8", None, 10.0),
        )
        assert [(e["index"], e["field"], e["code"]) for e in payload["rowErrors"]] == [
            (1, "entries[1].repId", "UNKNOWN_REP"),
            (2, "entries[2].metric", "UNKNOWN_METRIC"),
            (3, "entries[3].metric", "NOT_ADDITIVE"),
            (4, "entries[4].day", "BAD_DATE"),
            (5, "entries[5].value", "BAD_VALUE"),
            (6, "entries[6].value", "BAD_VALUE"),
            (7, "entries[7].externalId", "DUPLICATE_ID"),
            (8, "entries[8].repId", "MISSING_REP"),
        ]
        assert payload["result"]["written"] is False and payload["result"]["refused"] == 8
        assert await count(session, ActualEntry) == 0

    async def test_per_row_mode_writes_the_valid_rows_and_reports_the_others(
        self, session, company, integration
    ):
        rep = company.reps[0].id
        payload = await record(
            integration,
            entry("ok-1", rep, 10.0),
            entry("bad", rep, -3.0),
            all_or_nothing=False,
        )
        assert payload["result"]["created"] == 1 and payload["result"]["refused"] == 1
        assert [e["index"] for e in payload["rowErrors"]] == [1]
        assert await count(session, ActualEntry) == 1

    async def test_more_entries_than_the_cap_are_refused_whole(self, session, company, integration):
        rows = [entry(f"e-{i}", company.reps[0].id, 1.0) for i in range(service.MAX_ENTRIES + 1)]
        payload = await record(integration, *rows)
        assert payload["result"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("entries", "INVALID")]
        assert await count(session, ActualEntry) == 0


class TestScope:
    async def test_a_rep_outside_the_callers_scope_is_refused_and_nothing_changes(
        self, session, company, integration
    ):
        inside, outside = company.reps[0].id, company.reps[6].id  # branch 0, branch 1
        revenue = company.metrics["revenue"].id
        before = await monthly(session, outside, revenue, DAY.replace(day=1))
        payload = await record(
            integration, entry("in-1", inside, 5.0), entry("out-1", outside, 5.0)
        )
        assert [(e["index"], e["code"]) for e in payload["rowErrors"]] == [(1, "OUT_OF_SCOPE")]
        assert await count(session, ActualEntry) == 0
        assert await monthly(session, outside, revenue, DAY.replace(day=1)) == before

    async def test_an_external_id_of_a_rep_outside_the_scope_cannot_be_taken_over(
        self, session, company, integration
    ):
        outside, inside = company.reps[6], company.reps[0]
        await service.record_actuals(
            session,
            principal=SYSTEM,
            entries=[service.EntryInput("shared", "revenue", DAY, 7.0, rep_id=outside.id)],
        )
        await session.commit()
        payload = await record(integration, entry("shared", inside.id, 7.0))
        assert [(e["field"], e["code"]) for e in payload["rowErrors"]] == [
            ("entries[0].externalId", "OUT_OF_SCOPE")
        ]
        row = (await session.exec(select(ActualEntry))).one()
        assert row.rep_id == outside.id

    async def test_a_rep_may_not_record_actuals(self, session, company, sign_in_as):
        user = await make_user(
            session, username="rep", role="rep", scope=company.teams[0], rep=company.reps[0]
        )
        await session.commit()
        client = await sign_in_as(user)
        payload = (
            await client.data(RECORD, input={"entries": [entry("x", company.reps[0].id, 1.0)]})
        )["recordActuals"]
        assert [e["code"] for e in payload["errors"]] == ["FORBIDDEN"]
        assert await count(session, ActualEntry) == 0


class TestRollUp:
    async def test_a_recompute_gives_the_facts_plus_the_entries(self, session, company):
        rep, revenue = company.reps[0].id, company.metrics["revenue"].id
        month = DAY.replace(day=1)
        session.add(
            Deal(
                external_id="d-1",
                rep_id=rep,
                stage="won",
                created_on=month,
                closed_on=DAY,
                value=300.0,
            )
        )
        await session.flush()
        await aggregation.recompute(session, pairs=[(rep, month)])
        await service.record_actuals(
            session,
            principal=SYSTEM,
            entries=[
                service.EntryInput("a", "revenue", DAY, 20.0, rep_id=rep),
                service.EntryInput("b", "revenue", DAY, 5.0, rep_id=rep),
            ],
        )
        incremental = await monthly(session, rep, revenue, month)
        await aggregation.recompute(session, pairs=[(rep, month)])
        assert incremental == await monthly(session, rep, revenue, month) == 325.0

    async def test_recorded_actuals_announce_one_change_per_team_after_the_commit(
        self, session, company, integration
    ):
        stream = broker.subscribe()
        waiting = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)
        await record(
            integration, entry("t0", company.reps[0].id, 1.0), entry("t1", company.reps[3].id, 1.0)
        )
        event = await asyncio.wait_for(waiting, timeout=5)
        assert (event.entity, event.action) == ("actuals", "record")
        assert event.entity_id in {str(company.teams[0].id), str(company.teams[1].id)}
        await stream.aclose()
        assert await count(session, AuditEntry, col(AuditEntry.entity) == "actuals") == 2
