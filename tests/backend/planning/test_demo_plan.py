"""The demo starts with an approved plan for the current year."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import planning as repo
from backend.services import demo
from backend.services.planning.demo_plan import create_demo_plan
from solver.synth import CompanyConfig, generate_company


async def test_the_demo_company_gets_an_approved_plan_for_the_year(session: AsyncSession) -> None:
    today = date(2026, 11, 26)
    company = generate_company(CompanyConfig(n_reps=50, seed=3, as_of=today.replace(day=1)))
    await demo.load_company(session, company, as_of=today)
    plan = await create_demo_plan(session, year=2026)
    await session.commit()
    assert plan.status == "active"
    assert (plan.submitted_by, plan.approved_by) == ("planner", "admin")
    assert (plan.period_start, plan.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    targets = await repo.targets(session, plan.id or 0)
    assert len({t.rep_id for t in targets}) >= 50
    assert "LightGBM" in plan.forecast_method
