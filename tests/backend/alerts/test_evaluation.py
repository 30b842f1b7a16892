"""The default rules over an active plan: reps who sell nothing are alerted on every rule that
watches them, reps on target on none; a second evaluation adds nothing; a rep who catches up
has their alerts resolved by the system."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Alert, AlertEvent, Plan, Target
from backend.services.access import SYSTEM
from backend.services.alerts.evaluation import evaluate_plan
from backend.services.alerts.rules import ensure_default_rules
from backend.services.planning.generation import generate_plan
from backend.services.tracking.actuals import EntryInput, record_actuals
from tests.backend.planning.conftest import add_history, new_plan
from tests.factories import SmallCompany, make_small_company

AS_OF = date(2026, 6, 10)


@dataclass
class Active:
    company: SmallCompany
    plan: Plan
    laggards: set[int]
    targets: dict[int, dict[date, float]]


async def _entries(
    session: AsyncSession, targets: dict[int, dict[date, float]], reps: set[int], *, until: date
) -> None:
    """Each rep's target of each month, recorded on its Mondays (pro rata of the days to
    ``until`` for the last month)."""
    rows = []
    for rep in sorted(reps):
        for month, value in sorted(targets[rep].items()):
            days = [month + timedelta(days=d) for d in range(31) if d < 28 or month.month != 2]
            mondays = [d for d in days if d.month == month.month and d.weekday() == 0]
            paid = [d for d in mondays if d <= until]
            for d in paid:
                share = round(value / len(mondays))
                rows.append(EntryInput(f"{rep}-{d}", "revenue", d, share, rep_id=rep))
    for start in range(0, len(rows), 500):
        outcome = await record_actuals(
            session, principal=SYSTEM, entries=rows[start : start + 500], today=AS_OF
        )
        assert not outcome.problems, outcome.problems[:3]
    await session.commit()


@pytest.fixture
async def active(session: AsyncSession) -> Active:
    company = await make_small_company(session, months=0)
    await add_history(session, company)
    await session.commit()
    plan = await new_plan(session, company)
    await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    plan.status = "active"
    await ensure_default_rules(session, metric_id=company.metrics["revenue"].id or 0)
    await session.commit()
    query = select(Target).where(
        Target.plan_id == plan.id, Target.metric_id == company.metrics["revenue"].id
    )
    targets: dict[int, dict[date, float]] = defaultdict(dict)
    for t in (await session.exec(query)).all():
        if t.month <= AS_OF:
            targets[t.rep_id][t.month] = t.value
    laggards = {company.reps[0].id or 0, company.reps[5].id or 0}
    await _entries(session, targets, set(targets) - laggards, until=AS_OF)
    return Active(company, plan, laggards, targets)


async def _alerts(session: AsyncSession, plan: Plan | int) -> dict[tuple[str, int], Alert]:
    plan_id = plan if isinstance(plan, int) else plan.id
    rows = (await session.exec(select(Alert).where(Alert.plan_id == plan_id))).all()
    return {(a.rule_key, a.rep_id): a for a in rows}


async def test_reps_selling_nothing_are_alerted_and_reps_on_target_are_not(
    session: AsyncSession, active: Active
):
    outcome = await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)
    await session.commit()
    alerts = await _alerts(session, active.plan)
    assert outcome.rules == 5 and len(outcome.raised) == len(alerts)
    alerted = {rep for _, rep in alerts}
    assert alerted == active.laggards
    for rep in active.laggards:
        keys = {key for key, r in alerts if r == rep}
        assert {"low-probability", "low-projection", "behind-pace-3w", "inactive-3w"} <= keys
    behind = alerts[("behind-pace-3w", min(active.laggards))]
    assert behind.detail["periods_behind"] >= 3 and behind.detail["value"] == 0.0
    idle = alerts[("inactive-3w", min(active.laggards))]
    assert idle.detail["days_inactive"] == (AS_OF - date(2026, 1, 1)).days
    low = alerts[("low-probability", min(active.laggards))]
    assert low.detail["probability"] < 0.2 and low.detail["as_of"] == AS_OF.isoformat()


async def test_a_second_evaluation_raises_nothing_new(session: AsyncSession, active: Active):
    first = await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)
    await session.commit()
    again = await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)
    await session.commit()
    assert first.raised and again.raised == [] and again.cleared == []
    assert len(await _alerts(session, active.plan)) == len(first.raised)


async def test_a_rep_who_catches_up_has_their_alerts_resolved_by_the_system(
    session: AsyncSession, active: Active
):
    await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)
    await session.commit()
    caught_up = min(active.laggards)
    await _entries(session, active.targets, {caught_up}, until=AS_OF)
    outcome = await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)
    await session.commit()
    alerts = await _alerts(session, active.plan)
    mine = [a for (_, rep), a in alerts.items() if rep == caught_up]
    assert mine and all(a.state == "resolved" and a.resolved_by == "system" for a in mine)
    assert {a.id for a in mine} == set(outcome.cleared)
    other = [a for (_, rep), a in alerts.items() if rep == max(active.laggards)]
    assert other and all(a.state == "open" for a in other)
    event = (await session.exec(select(AlertEvent).where(AlertEvent.alert_id == mine[0].id))).all()[
        -1
    ]
    assert (event.actor, event.to_state) == ("system", "resolved")
    assert event.note == "the condition cleared"


async def test_a_plan_that_is_not_active_is_not_evaluated(session: AsyncSession, active: Active):
    from backend.services.errors import DomainError

    active.plan.status = "closed"
    await session.commit()
    with pytest.raises(DomainError, match="not active"):
        await evaluate_plan(session, plan_id=active.plan.id or 0, as_of=AS_OF)


async def test_recording_actuals_queues_one_evaluation_that_the_worker_runs(
    session: AsyncSession, engine, database_url: str, active: Active
):
    from backend.db.engine import session_factory
    from backend.db.models import Job
    from backend.db.models._base import utcnow
    from backend.services.jobs.installed import installed
    from backend.services.jobs.worker import Worker
    from backend.settings import Settings

    plan_id = active.plan.id or 0
    jobs = (await session.exec(select(Job).where(Job.kind == "alerts.evaluate"))).all()
    assert [j.dedupe_key for j in jobs] == [f"alerts.evaluate:{plan_id}"]  # one, queued
    assert await _alerts(session, plan_id) == {}
    registry, _ = installed()
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    worker = Worker(session_factory(engine), settings=settings, registry=registry)
    assert await worker.run_once() >= 1
    session.expire_all()
    job = (await session.exec(select(Job).where(Job.kind == "alerts.evaluate"))).one()
    assert job.state == "done", job.last_error
    alerts = await _alerts(session, plan_id)
    # The job evaluates as of the day it runs (later than the actuals recorded up to AS_OF,
    # so reps on target then are behind now); the laggards are among the alerted.
    assert active.laggards <= {rep for _, rep in alerts}
    today = utcnow().date().isoformat()
    assert {a.detail["as_of"] for a in alerts.values()} == {today}
