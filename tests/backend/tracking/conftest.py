"""A quarter's plan (Q1 2026) on the small company, active, with hand-made targets and
forecast distributions, and actuals for January and February."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import MonthlyActual, Plan, Target, User
from backend.db.models.planning import TargetDistribution
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_user

MONTHS = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
LEVELS = [0.1, 0.5, 0.9]


def seasonal(base: float) -> list[float]:
    """January, February, March targets rising 1:2:3."""
    return [base, 2 * base, 3 * base]


@dataclass
class Tracked:
    company: SmallCompany
    plan: Plan
    targets: dict[int, list[float]]  # rep id -> the three months
    revenue_id: int


async def add_tracked_plan(
    session: AsyncSession,
    company: SmallCompany,
    *,
    targets: dict[int, list[float]] | None = None,
    actuals: dict[int, list[float]] | None = None,
) -> Tracked:
    """An active plan: each rep's targets (default 1:2:3 around 100 x its position), a
    distribution whose months are the targets +-20% (period +-15%, mean the total), and
    January and February actuals (default: the targets)."""
    plan = Plan(
        name="Q1 2026",
        scope_org_id=company.root.id,
        period_start=MONTHS[0],
        period_end=date(2026, 3, 31),
        period_kind="quarter",
        status="active",
    )
    session.add(plan)
    await session.flush()
    revenue = company.metrics["revenue"].id
    chosen = {r.id: seasonal(100.0 * (k + 1)) for k, r in enumerate(company.reps)}
    chosen |= targets or {}
    done = {rep: values[:2] for rep, values in chosen.items()} | (actuals or {})
    for rep, values in chosen.items():
        for month, value in zip(MONTHS, values, strict=True):
            session.add(
                Target(
                    plan_id=plan.id,
                    rep_id=rep,
                    metric_id=revenue,
                    month=month,
                    value=value,
                    suggested=value,
                )
            )
        total = sum(values)
        session.add(
            TargetDistribution(
                plan_id=plan.id,
                rep_id=rep,
                metric_id=revenue,
                levels=LEVELS,
                period=[0.85 * total, total, 1.15 * total],
                monthly=[[0.8 * v, v, 1.2 * v] for v in values],
                bounds={"mean": total},
            )
        )
        for month, value in zip(MONTHS, done[rep], strict=False):
            session.add(MonthlyActual(rep_id=rep, metric_id=revenue, month=month, value=value))
    await session.commit()
    return Tracked(company, plan, chosen, revenue or 0)


@dataclass
class People:
    users: dict[str, User]


@pytest.fixture
async def people(session: AsyncSession, company: SmallCompany) -> People:
    c = company
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "branch": await make_user(
            session, username="branch", role="branch_manager", scope=c.branches[0]
        ),
        "rep": await make_user(
            session, username="rep", role="rep", scope=c.teams[0], rep=c.reps[0]
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
