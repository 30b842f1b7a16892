"""Rank assessment of a plan: load its targets and distributions, call the planning core."""

from __future__ import annotations

import asyncio

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import planning as repo
from backend.db.repositories import ranks as rank_repo
from backend.services.access import Principal
from backend.services.planning.common import period_months, visible_plan
from backend.services.planning.loading import rank_settings
from backend.services.planning.scenarios import period_totals
from backend.services.planning.targets import stored_distribution, visible_reps
from solver.planning import ForecastDistribution
from solver.planning.assessment import RankOutlook, RepTargets, rank_outlook
from solver.planning.months import months_between


async def rank_assessment(
    session: AsyncSession, *, principal: Principal, plan_id: int, seed: int = 0
) -> list[RankOutlook]:
    """Expected promotions / retentions / demotions per rank if the plan's targets hold
    (``solver.planning.assessment``)."""
    plan, unit = await visible_plan(session, plan_id, principal)
    reps = await visible_reps(session, unit, principal.scope)
    ranks = await rank_settings(session, plan.period_start)
    codes = {r.id or 0: r.code for r in await rank_repo.all_ranks(session)}
    metrics = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    totals = await period_totals(session, plan_id)
    hires = {rep.id: rep.hire_date for rep, _ in await repo.reps_under(session, unit.path)}
    months = len(period_months(plan))
    targets: dict[int, list[tuple[str, float, ForecastDistribution]]] = {}
    for d in await repo.distributions(session, plan_id, rep_ids=list(reps)):
        code, dist = metrics[d.metric_id], stored_distribution(d)
        total = totals.get((d.rep_id, code), (0.0, None))[0]
        targets.setdefault(d.rep_id, []).append(
            (code, total / months if dist.is_ratio else total, dist)
        )
    assessed = [
        RepTargets(
            rep_id,
            codes.get(reps[rep_id].rank_id, ""),
            months_between(hires[rep_id], plan.period_end) if hires.get(rep_id) else 0,
            tuple(parts),
        )
        for rep_id, parts in targets.items()
    ]
    # Monte Carlo over every rep: seconds of CPU, so off the event loop (other requests go on).
    return await asyncio.to_thread(rank_outlook, assessed, ranks, seed=seed)
