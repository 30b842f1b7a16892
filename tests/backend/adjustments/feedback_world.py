"""Feedback tests' world: a small company, an active and a draft plan with revenue targets,
and users of every kind of scope (helpers, not fixtures: each test module makes its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan, Rep, Target, User
from backend.services.access import Principal
from backend.services.auth import principal_for
from tests.factories import SmallCompany, make_small_company, make_user

MONTHS = [date(2026, m, 1) for m in (1, 2, 3)]


@dataclass
class FeedbackWorld:
    company: SmallCompany
    plan: Plan
    draft: Plan
    users: dict[str, User]

    def rep(self, branch: int, team: int = 0, index: int = 0) -> Rep:
        """A rep of a branch's team (teams 0-1 are branch 0's, 2-3 branch 1's)."""
        unit = self.company.teams[2 * branch + team]
        return [r for r in self.company.reps if r.team_id == unit.id][index]


async def _plan(session: AsyncSession, company: SmallCompany, *, name: str, status: str) -> Plan:
    plan = Plan(
        name=name,
        scope_org_id=company.root.id or 0,
        period_start=MONTHS[0],
        period_end=date(2026, 3, 31),
        status=status,
    )
    session.add(plan)
    await session.flush()
    revenue = company.metrics["revenue"].id or 0
    for rep in company.reps:
        for month in MONTHS:
            session.add(
                Target(
                    plan_id=plan.id or 0,
                    rep_id=rep.id or 0,
                    metric_id=revenue,
                    month=month,
                    value=100.0,
                    suggested=100.0,
                )
            )
    return plan


async def make_feedback_world(session: AsyncSession) -> FeedbackWorld:
    company = await make_small_company(session, months=0)
    plan = await _plan(session, company, name="FY2026 Q1", status="active")
    draft = await _plan(session, company, name="FY2026 Q1 draft", status="draft")
    first, second = company.reps[0], company.reps[1]
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "branch0": await make_user(
            session, username="branch0", role="branch_manager", scope=company.branches[0]
        ),
        "branch1": await make_user(
            session, username="branch1", role="branch_manager", scope=company.branches[1]
        ),
        "lead0": await make_user(
            session, username="lead0", role="team_lead", scope=company.teams[0]
        ),
        "lead1": await make_user(
            session, username="lead1", role="team_lead", scope=company.teams[1]
        ),
        "rep": await make_user(
            session, username="rep", role="rep", scope=company.teams[0], rep=first
        ),
        "rep2": await make_user(
            session, username="rep2", role="rep", scope=company.teams[0], rep=second
        ),
    }
    await session.commit()
    return FeedbackWorld(company, plan, draft, users)


async def principal_of(session: AsyncSession, world: FeedbackWorld, name: str) -> Principal:
    return await principal_for(session, world.users[name])
