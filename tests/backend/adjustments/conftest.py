"""A small company (4 teams of 3 reps) with two years of history and a generated plan for the
current year, active, with actuals for the months before this one; users of every scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import MonthlyActual, Plan, Rep, Target, User
from backend.db.repositories import planning as plan_repo
from backend.services.access import SYSTEM
from backend.services.planning.generation import generate_plan
from backend.services.planning.plans import NewPlan, create_plan
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_small_company, make_user

YEAR = date.today().year
TODAY = date.today()
SCALE = {"S1": 1.0, "S2": 1.5}


async def add_history(session: AsyncSession, company: SmallCompany) -> None:
    """Two years of revenue and new customers before ``YEAR``, ratios near the baseline."""
    rng = np.random.default_rng(11)
    ranks = {r.id: r.code for r in company.ranks}
    m = company.metrics
    for rep in company.reps:
        scale = SCALE[ranks[rep.rank_id]] * rng.uniform(0.8, 1.25)
        for k in range(24):
            month = date(YEAR - 2 + k // 12, k % 12 + 1, 1)
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


async def add_actuals(session: AsyncSession, company: SmallCompany, plan: Plan) -> None:
    """Each additive metric's actuals for the plan's months before this one: 80-120% of the
    target (so some reps are behind and some ahead)."""
    rng = np.random.default_rng(5)
    for code in ("revenue", "new_customers"):
        metric = company.metrics[code]
        for t in await plan_repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0]):
            if t.month < TODAY.replace(day=1):
                value = t.value * rng.uniform(0.8, 1.2)
                session.add(
                    MonthlyActual(
                        rep_id=t.rep_id,
                        metric_id=metric.id,
                        month=t.month,
                        value=float(round(value)) if metric.is_integer else value,
                    )
                )
    await session.flush()


@dataclass
class World:
    company: SmallCompany
    plan: Plan
    users: dict[str, User]
    plan_id: int = 0  # kept apart: ``plan`` expires when a test rolls back

    def team_reps(self, team: int) -> list[Rep]:
        unit = self.company.teams[team]
        return [r for r in self.company.reps if r.team_id == unit.id]


@pytest.fixture
async def world(session: AsyncSession) -> World:
    company = await make_small_company(session, months=0)
    await add_history(session, company)
    await session.commit()
    plan = await create_plan(
        session,
        principal=SYSTEM,
        new=NewPlan(
            name=f"FY{YEAR}",
            scope_org_id=company.root.id or 0,
            period_kind="year",
            year=YEAR,
            growth_rate=0.1,
        ),
    )
    await session.commit()
    await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    plan.status, plan.submitted_by, plan.approved_by = "active", "planner", "approver"
    session.add(plan)
    await add_actuals(session, company, plan)
    await session.commit()
    c = company
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "branch0": await make_user(
            session, username="branch0", role="branch_manager", scope=c.branches[0]
        ),
        "branch1": await make_user(
            session, username="branch1", role="branch_manager", scope=c.branches[1]
        ),
        "lead0": await make_user(session, username="lead0", role="team_lead", scope=c.teams[0]),
        "rep0": await make_user(
            session, username="rep0", role="rep", scope=c.teams[0], rep=c.reps[0]
        ),
        "rep1": await make_user(
            session, username="rep1", role="rep", scope=c.teams[0], rep=c.reps[1]
        ),
        "lead_rep": await make_user(
            session, username="lead_rep", role="team_lead", scope=c.teams[0], rep=c.reps[2]
        ),
    }
    await session.commit()
    return World(company, plan, users, plan.id or 0)


async def totals(session: AsyncSession, plan_id: int, metric_id: int) -> dict[int, float]:
    """Each rep's period total of a metric, read fresh."""
    out: dict[int, float] = {}
    for t in await plan_repo.targets(session, plan_id, metric_ids=[metric_id]):
        out[t.rep_id] = out.get(t.rep_id, 0.0) + t.value
    return out


async def rows_of(session: AsyncSession, plan_id: int, metric_id: int, rep_id: int) -> list[Target]:
    return list(await plan_repo.targets(session, plan_id, metric_ids=[metric_id], rep_ids=[rep_id]))


Clients = Callable[[str], Awaitable[GraphQLClient]]


@pytest.fixture
def client_of(world: World, sign_in_as: Callable[[User], Awaitable[GraphQLClient]]) -> Clients:
    async def make(name: str) -> GraphQLClient:
        return await sign_in_as(world.users[name])

    return make
