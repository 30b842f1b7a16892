"""A small company with two years of plausible history, and a generated plan for 2026."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import MonthlyActual, Plan, User
from backend.services.access import SYSTEM
from backend.services.planning.generation import generate_plan
from backend.services.planning.plans import NewPlan, create_plan
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_small_company, make_user

SCALE = {"S1": 1.0, "S2": 1.5}


async def add_history(session: AsyncSession, company: SmallCompany, *, years: int = 2) -> None:
    """Revenue near the rank baseline, new customers near 3 a month, ratios near baseline."""
    rng = np.random.default_rng(11)
    ranks = {r.id: r.code for r in company.ranks}
    m = company.metrics
    for rep in company.reps:
        scale = SCALE[ranks[rep.rank_id]] * rng.uniform(0.8, 1.25)
        for k in range(12 * years):
            month = date(2026 - years + k // 12, k % 12 + 1, 1)
            values = {
                "revenue": 100_000.0 * scale * rng.uniform(0.7, 1.3),
                "new_customers": float(rng.poisson(3)),
                "collection_rate": float(rng.uniform(0.8, 1.0)),
                "satisfaction": float(rng.uniform(3.8, 4.6)),
            }
            for code, value in values.items():
                session.add(
                    MonthlyActual(rep_id=rep.id, metric_id=m[code].id, month=month, value=value)
                )
    await session.flush()


@pytest.fixture
async def planning_company(session: AsyncSession) -> SmallCompany:
    company = await make_small_company(session, months=0)
    await add_history(session, company)
    await session.commit()
    return company


async def new_plan(
    session: AsyncSession, company: SmallCompany, *, growth: float = 0.1, name: str = "FY2026"
) -> Plan:
    plan = await create_plan(
        session,
        principal=SYSTEM,
        new=NewPlan(
            name=name,
            scope_org_id=company.root.id or 0,
            period_kind="year",
            year=2026,
            growth_rate=growth,
        ),
    )
    await session.commit()
    return plan


@pytest.fixture
async def generated_plan(session: AsyncSession, planning_company: SmallCompany) -> Plan:
    plan = await new_plan(session, planning_company)
    await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    await session.commit()
    return plan


async def approve(session: AsyncSession, plan: Plan) -> Plan:
    """Mark a plan approved, as if reviewed (the lifecycle is tested on its own): reps and
    read-only callers see approved, active and closed plans only."""
    plan.status, plan.submitted_by, plan.approved_by = "approved", "planner", "approver"
    session.add(plan)
    await session.commit()
    return plan


@pytest.fixture
async def approved_plan(session: AsyncSession, generated_plan: Plan) -> Plan:
    return await approve(session, generated_plan)


@dataclass
class People:
    users: dict[str, User]


@pytest.fixture
async def people(session: AsyncSession, planning_company: SmallCompany) -> People:
    c = planning_company
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "approver": await make_user(session, username="approver", role="hq_planner"),
        "branch": await make_user(
            session, username="branch", role="branch_manager", scope=c.branches[0]
        ),
        "lead": await make_user(session, username="lead", role="team_lead", scope=c.teams[0]),
        "rep": await make_user(
            session, username="rep", role="rep", scope=c.teams[0], rep=c.reps[0]
        ),
        "managing_rep": await make_user(
            session, username="lead_rep", role="team_lead", scope=c.teams[0], rep=c.reps[1]
        ),
    }
    await session.commit()
    return People(users)


Clients = Callable[[str], Awaitable[GraphQLClient]]


@pytest.fixture
def client_of(people: People, sign_in_as: Callable[[User], Awaitable[GraphQLClient]]) -> Clients:
    async def make(name: str) -> GraphQLClient:
        return await sign_in_as(people.users[name])

    return make
