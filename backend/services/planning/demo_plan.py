"""The demo's plan: the current calendar year for the whole company, generated and approved.

Created with the default strategy by the demo `planner` and approved by the demo `admin` (the
approver is never the submitter), so a new user sees targets at once.
"""

from __future__ import annotations

import logging

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan
from backend.services.access import EVERYTHING, ROLE_ACTIONS, Principal, Role
from backend.services.planning.compute import PlanSettings
from backend.services.planning.generation import Infeasible, generate_plan
from backend.services.planning.plans import NewPlan, create_plan, transition

log = logging.getLogger(__name__)
# If the default constraints conflict on some generated company, relax them rather than leave
# the demo without a plan (the relaxation is visible in the plan's constraints).
RELAXED = PlanSettings(p_min=0.01, p_max=0.999, max_rise=None, rank_bounds=False)


def _actor(username: str, role: Role) -> Principal:
    return Principal(
        username=username, role=role, actions=ROLE_ACTIONS[role], scope=EVERYTHING, via="system"
    )


async def create_demo_plan(session: AsyncSession, *, year: int) -> Plan:
    """Create, generate, submit (planner) and approve (admin) the year's company plan."""
    planner, admin = _actor("planner", Role.HQ_PLANNER), _actor("admin", Role.ADMIN)
    root = (await session.exec(select(OrgUnit).where(OrgUnit.parent_id == None))).first()  # noqa: E711
    assert root is not None and root.id is not None
    plan = None
    for settings in (PlanSettings(), RELAXED):
        plan = await create_plan(
            session,
            principal=planner,
            new=NewPlan(
                name=f"FY{year} company plan",
                scope_org_id=root.id,
                period_kind="year",
                year=year,
                settings=settings,
            ),
        )
        try:
            await generate_plan(session, principal=planner, plan_id=plan.id or 0)
            break
        except Infeasible as refusal:
            log.warning("demo plan infeasible with %s: %s", settings, refusal)
            plan.name = f"{plan.name} (infeasible draft)"
    assert plan is not None
    if plan.generated_at is None:  # still infeasible: leave the draft for a planner to fix
        return plan
    plan = await transition(
        session,
        principal=planner,
        plan_id=plan.id or 0,
        action="submit",
        expected_version=plan.version,
        reason="demo: generated with the default strategy",
    )
    return await transition(
        session,
        principal=admin,
        plan_id=plan.id or 0,
        action="approve",
        expected_version=plan.version,
        reason="demo: approved by the administrator",
    )
