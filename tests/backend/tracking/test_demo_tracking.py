"""The demo starts mid-period: an active plan with this month's actuals recorded up to today."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ActualEntry, Metric, MonthlyActual, Plan
from backend.services import demo
from backend.services.planning.demo_plan import create_demo_plan
from solver.synth import CompanyConfig, generate_company
from tests.factories import make_user

AS_OF = date(2026, 11, 26)


@pytest.fixture
async def demo_plan(session: AsyncSession) -> Plan:
    company = generate_company(CompanyConfig(n_reps=60, seed=3, as_of=AS_OF.replace(day=1)))
    await demo.load_company(session, company, as_of=AS_OF)
    plan = await create_demo_plan(session, year=AS_OF.year, as_of=AS_OF)
    await session.commit()
    return plan


async def test_the_demo_plan_is_active_with_this_months_actuals_up_to_today(
    session: AsyncSession, demo_plan: Plan
) -> None:
    assert demo_plan.status == "active"
    entries = (await session.exec(select(ActualEntry))).all()
    assert entries and {e.day.replace(day=1) for e in entries} == {AS_OF.replace(day=1)}
    assert max(e.day for e in entries) == AS_OF
    revenue = (await session.exec(select(Metric).where(Metric.code == "revenue"))).one()
    recorded: dict[int, float] = defaultdict(float)
    for e in entries:
        if e.metric_id == revenue.id:
            recorded[e.rep_id] += e.value
    rows = await session.exec(
        select(MonthlyActual).where(
            MonthlyActual.metric_id == revenue.id, MonthlyActual.month == AS_OF.replace(day=1)
        )
    )
    monthly = {a.rep_id: a.value for a in rows.all()}
    assert monthly == pytest.approx(dict(recorded))  # rolled up into the month's actuals


BOARD = """{ trackingDashboard(asOf: "2026-11-26") {
  planName elapsedMonths
  headline { figures { reps actual expected target pace projectedAttainment shareProjected
    designPoint } atRiskCount }
  children { node { name kind } figures { reps pace } }
  ranks { code paceBuckets }
  atRisk(limit: 5) { totalCount items { name probability pace } }
  weeks { actual expected } } }"""


async def test_the_demo_dashboard_shows_real_progress_and_reps_clearly_behind(
    session: AsyncSession, demo_plan: Plan, sign_in_as
) -> None:
    planner = await make_user(session, username="qa-planner", role="hq_planner")
    await session.commit()
    board = (await (await sign_in_as(planner)).data(BOARD))["trackingDashboard"]
    head = board["headline"]["figures"]
    assert board["elapsedMonths"] == pytest.approx(10 + 26 / 30)
    assert head["reps"] >= 50 and head["actual"] > 0 and 0 < head["expected"] < head["target"]
    assert 0.5 < head["pace"] < 1.5 and 0 < head["shareProjected"] < 1
    assert 0 < head["designPoint"] < 1
    assert len(board["children"]) >= 2 and {c["node"]["kind"] for c in board["children"]} == {
        "REGION"
    }
    assert len(board["ranks"]) >= 3 and sum(map(sum, (r["paceBuckets"] for r in board["ranks"])))
    behind = board["atRisk"]["items"]
    assert board["headline"]["atRiskCount"] > 0 and behind[0]["probability"] < 0.1
    assert behind[0]["pace"] < 0.9  # clearly behind
    assert len(board["weeks"]) == 12 and all(w["actual"] > 0 for w in board["weeks"])


async def test_the_demo_opens_with_alerts_on_reps_clearly_behind(
    session: AsyncSession, demo_plan: Plan
):
    from backend.db.models import Alert, AlertRule, Notification

    rules = (await session.exec(select(AlertRule))).all()
    assert {r.kind for r in rules} == {
        "behind_pace",
        "peer_gap",
        "low_probability",
        "low_projection",
        "inactivity",
    }
    alerts = (await session.exec(select(Alert).where(Alert.plan_id == demo_plan.id))).all()
    assert alerts and all(a.state == "open" for a in alerts)
    reps = {a.rep_id for a in alerts}
    assert 0 < len(reps) < 60  # some reps, not everyone
    assert (await session.exec(select(Notification))).first() is not None
