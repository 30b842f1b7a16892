"""Rank assessment: expected promotions, retentions and demotions if a plan's targets hold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import planning as repo
from backend.db.repositories import ranks as rank_repo
from backend.services.access import Scope
from backend.services.planning.common import period_months, visible_plan
from backend.services.planning.loading import rank_settings
from backend.services.planning.scenarios import period_totals
from backend.services.planning.targets import visible_reps
from solver.planning import ForecastDistribution
from solver.planning.months import months_between


@dataclass(frozen=True)
class RankOutlook:
    rank_code: str
    level: int
    reps: int
    promotions: float
    retentions: float
    demotions: float
    mean_attainment: float


SIMULATIONS = 2000


async def rank_assessment(
    session: AsyncSession, *, scope: Scope, plan_id: int, seed: int = 0
) -> list[RankOutlook]:
    """Expected promotions / retentions / demotions per rank if the plan's targets hold.

    Monte Carlo (fixed seed) over each rep's calibrated distributions, metrics independent:
    weighted attainment = sum_k w_k actual_k / target_k with the rank's weights; a rep is
    promoted at or above the rank's promotion threshold (with enough tenure at the period's
    end, and a rank above), demoted below the demotion threshold (with a rank below). The
    ladder's "n quarters in a row" is read on the plan's period as a whole.
    """
    plan, unit = await visible_plan(session, plan_id, scope)
    reps = await visible_reps(session, unit, scope)
    settings = await rank_settings(session, plan.period_start)
    all_ranks = list(await rank_repo.all_ranks(session))
    codes = {r.id or 0: r.code for r in all_ranks}
    levels = sorted(r.level for r in all_ranks)
    metrics = {m.id: m for m in (await repo.metrics_by_code(session)).values()}
    totals = await period_totals(session, plan_id)
    dists = await repo.distributions(session, plan_id, rep_ids=list(reps))
    hires = {rep.id: rep.hire_date for rep, _ in await repo.reps_under(session, unit.path)}
    rng = np.random.default_rng(seed)
    months = len(period_months(plan))
    by_rep: dict[int, list[tuple[float, np.ndarray]]] = {}
    for d in dists:
        metric = metrics[d.metric_id]
        setting = settings.get(codes.get(reps[d.rep_id].rank_id, ""))
        weight = setting.weight.get(metric.code, 0.0) if setting else 0.0
        target = totals.get((d.rep_id, metric.code), (0.0, None))[0]
        if weight <= 0 or target <= 0:
            continue
        dist = ForecastDistribution.from_stored(d.levels, d.period, d.monthly)
        actual = dist.sample(rng, SIMULATIONS)
        target_level = target / months if dist.is_ratio else target
        by_rep.setdefault(d.rep_id, []).append((weight, actual / target_level))
    out = []
    for rank in sorted(all_ranks, key=lambda r: r.level):
        members = [i for i in by_rep if reps[i].rank_id == rank.id]
        if not members:
            continue
        s = settings[rank.code]
        promo = demo = 0.0
        attain = []
        for i in members:
            parts = by_rep[i]
            total_w = sum(w for w, _ in parts)
            score: np.ndarray = np.sum([w * a for w, a in parts], axis=0) / total_w
            attain.append(float(score.mean()))
            hired = hires.get(i)
            tenure = months_between(hired, plan.period_end) if hired else 0
            if rank.level < levels[-1] and tenure >= s.min_tenure_months:
                promo += float((score >= s.promotion_threshold).mean())
            if rank.level > levels[0]:
                demo += float((score < s.demotion_threshold).mean())
        n = len(members)
        out.append(
            RankOutlook(
                rank.code, rank.level, n, promo, n - promo - demo, demo, float(np.mean(attain))
            )
        )
    return out
