"""The demo starts with one adjustment request waiting for the branch manager."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest
from backend.services import demo
from backend.services.demo_users import demo_team
from backend.services.planning.demo_plan import create_demo_plan
from solver.synth import CompanyConfig, generate_company


async def test_the_demo_has_a_pending_request_for_the_leads_second_rep(
    session: AsyncSession,
) -> None:
    today = date(2026, 11, 26)
    company = generate_company(CompanyConfig(n_reps=50, seed=3, as_of=today.replace(day=1)))
    await demo.load_company(session, company, as_of=today)
    await create_demo_plan(session, year=2026, as_of=today)
    await session.commit()
    _, team, reps = await demo_team(session)
    (row,) = (await session.exec(select(AdjustmentRequest))).all()
    assert (row.status, row.requested_by, row.subject_rep_id) == ("pending", "lead", reps[1].id)
    assert row.org_path == team.path
    subject = next(m for m in row.proposal["moves"] if m["role"] == "subject")
    assert subject["total_after"] < subject["total_before"]
