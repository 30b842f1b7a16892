"""The dashboard moves as soon as actuals arrive: from recordActuals and from an import of
sales lines, though it keeps what it read between changes."""

from __future__ import annotations

from datetime import date

import pytest

from backend.services import imports
from backend.services.imports import runs
from backend.services.imports.options import Choices, apply
from tests.backend.tracking.conftest import add_tracked_plan

BOARD = """{ trackingDashboard(asOf: "2026-03-15") {
  headline { figures { actual } } weeks { end actual } } }"""
RECORD = """mutation($input: RecordActualsInput!) { recordActuals(input: $input) {
  result { created } errors { message } } }"""


async def actual(api) -> float:
    data = await api.data(BOARD)
    value: float = data["trackingDashboard"]["headline"]["figures"]["actual"]
    return value


@pytest.fixture
async def tracked(session, company):
    return await add_tracked_plan(session, company)


async def test_recorded_actuals_move_the_dashboard_at_once(tracked, api):
    rep = tracked.company.reps[3].id
    before = await actual(api)
    assert await actual(api) == before  # read again: nothing changed
    entries = [
        {
            "externalId": "x-1",
            "repId": str(rep),
            "metric": "revenue",
            "day": "2026-03-09",
            "value": 250.0,
        }
    ]
    await api.data(RECORD, input={"entries": entries})
    data = await api.data(BOARD)
    board = data["trackingDashboard"]
    assert board["headline"]["figures"]["actual"] == pytest.approx(before + 250.0)
    week = next(w for w in board["weeks"] if w["end"] == "2026-03-15")  # Mar 9 is a Monday
    assert week["actual"] == pytest.approx(250.0)


async def test_an_import_of_sales_lines_moves_the_dashboard(session, tracked, api):
    rep = tracked.company.reps[3]
    before = await actual(api)
    data = f"Order Date,Territory,Sales,Status\n2026-03-05,{rep.name},400,Completed\n".encode()
    principal = runs.system_principal("tester")
    run = await runs.create_run(
        session, actor="tester", source="test", files=[imports.UploadedFile("l.csv", data)]
    )
    await apply(session, run=run, principal=principal, choices=Choices())
    run = await runs.execute(
        session, principal=principal, run_id=run.id, dry_run=False, as_of=date(2026, 3, 15)
    )
    await session.commit()
    assert run.status == "committed", run.message
    # The facts replace the month's actual (March had none yet): +400 for the rep.
    assert await actual(api) == pytest.approx(before + 400.0)
    # ... and the alert rules look again: one evaluation queued per active plan.
    from sqlmodel import select

    from backend.db.models import Job

    jobs = (await session.exec(select(Job).where(Job.kind == "alerts.evaluate"))).all()
    assert [(j.state, j.dedupe_key) for j in jobs] == [
        ("queued", f"alerts.evaluate:{tracked.plan.id}")
    ]
