"""Job-queue and notification fixtures: workers on the test database with a clock to move."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import session_factory
from backend.db.models import Alert, AlertRule, OrgUnit, Plan, Rep, User
from backend.db.models._base import utcnow
from backend.services.jobs.kinds import JobRegistry
from backend.services.jobs.worker import Worker
from backend.settings import Settings
from tests.factories import SmallCompany, make_small_company, make_user

SECRET = "notifications-test-secret-key-0123456789"


class Clock:
    """A clock that stands still until moved. It starts a few minutes ahead of the real one:
    jobs enqueued by the code under test are due at the real time of their enqueueing, which
    on a loaded machine can come seconds after the fixture was made (a clock one second ahead
    then saw them as not due yet, and a worker round ran nothing)."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(minutes=5)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(env="test", database_url=database_url, secret_key=SECRET)


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


WorkerFactory = Callable[..., Worker]


@pytest.fixture
def make_worker(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> WorkerFactory:
    """Workers on the test database, on the shared clock, with the given registry."""

    def make(registry: JobRegistry, **kwargs: object) -> Worker:
        options: dict[str, object] = {"settings": settings, "clock": clock, **kwargs}
        return Worker(sessions, registry=registry, **options)  # type: ignore[arg-type]

    return make


@dataclass
class People:
    """The small company with users of each kind of scope, each with an address; the rep's
    user reads Chinese."""

    company: SmallCompany
    users: dict[str, User]
    plan: Plan
    rule: AlertRule

    def __getitem__(self, name: str) -> User:
        return self.users[name]


@pytest.fixture
async def people(session: AsyncSession) -> People:
    return await seed_people(session)


async def seed_people(session: AsyncSession) -> People:
    """Build and commit the ``People`` world."""
    company = await make_small_company(session)
    north, south = company.branches
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "north": await make_user(session, username="north", role="branch_manager", scope=north),
        "south": await make_user(session, username="south", role="branch_manager", scope=south),
        "lead0": await make_user(
            session, username="lead0", role="team_lead", scope=company.teams[0]
        ),
        "lead1": await make_user(
            session, username="lead1", role="team_lead", scope=company.teams[1]
        ),
        "rep": await make_user(
            session, username="rep", role="rep", scope=company.teams[0], rep=company.reps[0]
        ),
    }
    for name, user in users.items():
        user.email = f"{name}@example.test"
        user.display_name = name.title()
        user.locale = "zh-CN" if name == "rep" else "en"
        session.add(user)
    plan = Plan(
        name="FY2026",
        scope_org_id=company.root.id or 0,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status="active",
    )
    rule = AlertRule(
        key="behind",
        name="Behind pace",
        kind="behind_pace",
        metric_id=company.metrics["revenue"].id or 0,
        severity="critical",
    )
    session.add_all([plan, rule])
    await session.commit()
    return People(company=company, users=users, plan=plan, rule=rule)


async def make_alert(session: AsyncSession, people: People, *, rep: Rep) -> Alert:
    """An open alert for ``rep``, inserted as the evaluator would (org path of its team)."""
    team = await session.get(OrgUnit, rep.team_id)
    assert team is not None
    alert = Alert(
        rule_id=people.rule.id or 0,
        rule_key=people.rule.key,
        rep_id=rep.id or 0,
        plan_id=people.plan.id or 0,
        metric_id=people.rule.metric_id,
        org_path=team.path,
        severity=people.rule.severity,
        detail={"attainment": 0.42},
    )
    session.add(alert)
    await session.flush()
    return alert
