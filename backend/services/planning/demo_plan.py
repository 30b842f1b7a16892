"""The demo's plan: the current calendar year for the whole company, generated, approved and
active, with the current month's actuals recorded up to today.

Created with the default settings by the demo `planner` and approved by the demo `admin` (the
approver is never the submitter), so a new user sees targets and progress at once. Where the
defaults conflict on the generated company, soft constraints give and the plan lists what gave.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan
from backend.services.access import EVERYTHING, ROLE_ACTIONS, Principal, Role
from backend.services.adjustments.demo import create_demo_request
from backend.services.alerts.evaluation import evaluate_plan
from backend.services.alerts.rules import ensure_default_rules
from backend.services.planning.generation import generate_plan
from backend.services.planning.lifecycle import transition
from backend.services.planning.plans import NewPlan, create_plan
from backend.services.tracking.demo import record_month_to_date


def _actor(username: str, role: Role) -> Principal:
    return Principal(
        username=username, role=role, actions=ROLE_ACTIONS[role], scope=EVERYTHING, via="system"
    )


async def create_demo_plan(session: AsyncSession, *, year: int, as_of: date | None = None) -> Plan:
    """Create, generate, submit (planner), approve and activate (admin) the year's company
    plan, record the actuals of ``as_of``'s month up to that day (default: today) and
    evaluate the default alert rules."""
    planner, admin = _actor("planner", Role.HQ_PLANNER), _actor("admin", Role.ADMIN)
    root = (await session.exec(select(OrgUnit).where(OrgUnit.parent_id == None))).first()  # noqa: E711
    assert root is not None and root.id is not None
    plan = await create_plan(
        session,
        principal=planner,
        new=NewPlan(
            name=f"FY{year} company plan", scope_org_id=root.id, period_kind="year", year=year
        ),
    )
    await generate_plan(session, principal=planner, plan_id=plan.id or 0)
    plan = await transition(
        session,
        principal=planner,
        plan_id=plan.id or 0,
        action="submit",
        expected_version=plan.version,
        reason="demo: generated with the default settings",
    )
    plan = await transition(
        session,
        principal=admin,
        plan_id=plan.id or 0,
        action="approve",
        expected_version=plan.version,
        reason="demo: approved by the administrator",
    )
    plan = await transition(
        session,
        principal=admin,
        plan_id=plan.id or 0,
        action="activate",
        expected_version=plan.version,
        reason="demo: the period is under way",
    )
    day = as_of or date.today()
    await record_month_to_date(session, plan=plan, as_of=day)
    await _alerts(session, plan, day)
    await create_demo_request(session, plan=plan, as_of=day)
    return plan


async def _alerts(session: AsyncSession, plan: Plan, as_of: date) -> None:
    """The default alert rules, evaluated once: a new user finds the alerts already open."""
    revenue = (await session.exec(select(Metric).where(Metric.code == "revenue"))).first()
    if revenue is None or revenue.id is None or not plan.period_start <= as_of <= plan.period_end:
        return
    await ensure_default_rules(session, metric_id=revenue.id)
    await evaluate_plan(session, plan_id=plan.id or 0, as_of=as_of)
