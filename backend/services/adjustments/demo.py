"""The demo's adjustment request: the team lead asks, for the second rep of their team, a lower
target after a deal slipped past the period; it waits for the branch manager, so a new user
finds a request with its proposal at once (the demo rep's own targets stay free for them)."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.db.repositories import planning as plan_repo
from backend.services.access import ROLE_ACTIONS, Principal, Role, Scope
from backend.services.adjustments import requests
from backend.services.demo_users import demo_team
from backend.services.planning.targets import metric_by_code


async def create_demo_request(session: AsyncSession, *, plan: Plan, as_of: date) -> None:
    if not plan.period_start <= as_of <= plan.period_end:
        return
    _, team, reps = await demo_team(session)
    if len(reps) < 2:
        return
    rep = reps[1]
    metric = await metric_by_code(session, "revenue")
    rows = await plan_repo.targets(
        session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=[rep.id or 0]
    )
    left = sum(t.value for t in rows if t.month >= as_of.replace(day=1))
    if left <= 0:
        return
    lead = Principal(
        username="lead",
        role=Role.TEAM_LEAD,
        actions=ROLE_ACTIONS[Role.TEAM_LEAD],
        scope=Scope(org_path=team.path),
        via="system",
    )
    total = sum(t.value for t in rows) - 0.3 * left
    await requests.request(
        session,
        principal=lead,
        data=requests.AdjustmentInput(
            plan_id=plan.id or 0,
            rep_id=rep.id or 0,
            metric_code="revenue",
            period_total=round(total, 2),
            reason="deal_slipped",
            reason_text="The customer moved its framework order to next year's budget.",
            effective_date=as_of,
        ),
        as_of=as_of,
    )
