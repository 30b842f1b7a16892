"""A small company with users of every kind of scope, an active plan and a way to raise alerts
as the evaluator would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Alert, AlertRule, OrgUnit, Plan, Rep, User
from backend.services.alerts import lifecycle
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_small_company, make_user


@dataclass
class World:
    company: SmallCompany
    plan: Plan
    rule: AlertRule
    users: dict[str, User]

    def rep(self, branch: int) -> Rep:
        """The first rep of a branch (teams 0-1 are branch 0's, 2-3 branch 1's)."""
        team = self.company.teams[2 * branch]
        return next(r for r in self.company.reps if r.team_id == team.id)


async def _team(session: AsyncSession, rep: Rep) -> OrgUnit:
    unit = await session.get(OrgUnit, rep.team_id)
    assert unit is not None
    return unit


@pytest.fixture
async def world(session: AsyncSession) -> World:
    company = await make_small_company(session)
    plan = Plan(
        name="FY2026",
        scope_org_id=company.root.id or 0,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status="active",
    )
    rule = AlertRule(
        key="low-probability",
        name="Unlikely to reach target",
        kind="low_probability",
        metric_id=company.metrics["revenue"].id or 0,
        params={"below": 0.2},
        severity="critical",
    )
    session.add_all([plan, rule])
    await session.flush()
    first = company.reps[0]
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "branch0": await make_user(
            session, username="branch0", role="branch_manager", scope=company.branches[0]
        ),
        "branch1": await make_user(
            session, username="branch1", role="branch_manager", scope=company.branches[1]
        ),
        "lead1": await make_user(
            session, username="lead1", role="team_lead", scope=company.teams[1]
        ),
        "rep": await make_user(
            session, username="rep", role="rep", scope=company.teams[0], rep=first
        ),
    }
    await session.commit()
    return World(company, plan, rule, users)


async def raise_for(session: AsyncSession, world: World, rep: Rep) -> Alert:
    team = await _team(session, rep)
    alert = await lifecycle.raise_alert(
        session,
        rule=world.rule,
        rep_id=rep.id or 0,
        plan_id=world.plan.id or 0,
        org_path=team.path,
        detail={"value": 0.1, "threshold": 0.2, "probability": 0.1, "as_of": "2026-06-30"},
    )
    await session.commit()
    return alert


Clients = Callable[[str], Awaitable[GraphQLClient]]


@pytest.fixture
def client_of(world: World, sign_in_as: Callable[[User], Awaitable[GraphQLClient]]) -> Clients:
    async def make(name: str) -> GraphQLClient:
        return await sign_in_as(world.users[name])

    return make
