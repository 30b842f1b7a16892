"""A rep who joins inside a running period: targets with a ramp, and a distribution for P.

The joiner gets Target rows for every additive metric of the plan: 0 before the start month,
the start month pro-rated by the days worked, and a ramp of 25%, 50%, 75% then 100% of the
peers' median monthly target for each month since the start. Peers are the same-rank
teammates with targets (else the same rank in the plan, else the whole plan). The joiner's
forecast distribution is the median peer's, scaled to the joiner's period total, so live
P(achieve) works at once. The difference is handled by the plan's policy, as for any people
change (see ``people``): under ``redistribute`` the teammates go down by the joiner's total.

>>> ramp([date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)], date(2026, 2, 1), 100.0)
[0.0, 25.0, 50.0]
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest, Metric, Plan, Rep, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import people as people_repo
from backend.db.repositories import planning as plan_repo
from backend.db.repositories import reps as rep_repo
from backend.services.access import Principal
from backend.services.adjustments.people import Change, change_months, kept_fractions
from backend.services.adjustments.team import TeamState
from backend.services.errors import DomainError, ErrorCode, Problems
from backend.services.planning.common import period_months, visible_plan
from backend.services.reps import get_rep
from solver.planning.adjustments import prorate
from solver.planning.months import month_start
from solver.types import FloatArray

RAMP = (0.25, 0.5, 0.75, 1.0)


def ramp(months: list[date], start: date, monthly: float) -> list[float]:
    """The joiner's months before pro-rating: 0 before the start month, then ``RAMP`` of
    ``monthly`` for each month since the start (the last step from then on)."""
    first = month_start(start)
    out = []
    for month in months:
        since = (month.year - first.year) * 12 + month.month - first.month
        out.append(0.0 if since < 0 else monthly * RAMP[min(since, len(RAMP) - 1)])
    return out


def _peers(rep: Rep, reps: dict[int, Rep], totals: dict[int, float]) -> list[int]:
    """Same-rank teammates with targets, else the same rank in the plan, else everyone."""
    holders = [r for r in totals if r != rep.id and r in reps]
    for keep in (
        lambda o: o.team_id == rep.team_id and o.rank_id == rep.rank_id,
        lambda o: o.rank_id == rep.rank_id,
        lambda o: True,
    ):
        found = [r for r in holders if keep(reps[r])]
        if found:
            return found
    return []


def _median_peer(peers: list[int], totals: dict[int, float]) -> int:
    ordered = sorted(peers, key=lambda r: (totals[r], r))
    return ordered[(len(ordered) - 1) // 2]


def _scaled_distribution(peer: TargetDistribution, rep_id: int, scale: float) -> TargetDistribution:
    return TargetDistribution(
        plan_id=peer.plan_id,
        rep_id=rep_id,
        metric_id=peer.metric_id,
        levels=list(peer.levels),
        period=[q * scale for q in peer.period],
        monthly=[[q * scale for q in month] for month in peer.monthly],
        bounds={},
    )


async def _check(
    session: AsyncSession, principal: Principal, plan_id: int, rep_id: int, start: date
) -> tuple[Plan, Rep, list[Metric]]:
    plan, _ = await visible_plan(session, plan_id, principal)
    rep = await get_rep(session, rep_id, principal.scope)
    if plan.status != "active":
        raise DomainError.single(
            ErrorCode.CONFLICT, f"the plan is {plan.status}: joiners join active plans", "planId"
        )
    problems = Problems()
    if not plan.period_start <= start <= plan.period_end:
        problems.invalid(
            "startDate", f"within the plan's period ({plan.period_start} to {plan.period_end})"
        )
    if start < rep.hire_date:
        problems.invalid("startDate", f"not before the hire date ({rep.hire_date})")
    problems.raise_if_any()
    metrics = await people_repo.plan_metrics(session, plan_id)
    if await plan_repo.targets(session, plan_id, rep_ids=[rep_id]):
        raise DomainError.single(
            ErrorCode.CONFLICT, "the rep already has targets in this plan", "repId"
        )
    return plan, rep, metrics


async def _seed(
    session: AsyncSession, plan: Plan, metric: Metric, rep: Rep, start: date
) -> list[float]:
    """Zero rows and a scaled distribution for the joiner; the ramp to propose."""
    months = period_months(plan)
    by_rep: dict[int, float] = defaultdict(float)
    targets = await plan_repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0])
    for t in targets:
        by_rep[t.rep_id] += t.value
    reps = await rep_repo.reps_by_ids(session, list(by_rep))
    peers = _peers(rep, reps, by_rep)
    monthly = statistics.median(by_rep[p] for p in peers) / len(months) if peers else 0.0
    kept = kept_fractions(months, plan.period_start, date.fromordinal(start.toordinal() - 1))
    full = np.asarray(ramp(months, start, monthly), dtype=np.float64)
    months_after = prorate(full, np.asarray(kept), integer=metric.is_integer)
    rows: list[dict[str, Any]] = [
        {
            "plan_id": plan.id,
            "rep_id": rep.id,
            "metric_id": metric.id,
            "month": month,
            "value": 0.0,
            "suggested": float(months_after[m]),
            "explanation": {"joiner": {"start": start.isoformat(), "peer_monthly": monthly}},
            "flags": ["joiner"],
            "locked": False,
            "probability": None,
            "version": 1,
        }
        for m, month in enumerate(months)
    ]
    await plan_repo.insert_rows(session, Target, rows)
    if peers:
        peer = _median_peer(peers, by_rep)
        stored = await plan_repo.distributions(
            session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=[peer]
        )
        total = float(months_after.sum())
        if stored and by_rep[peer] > 0:
            session.add(_scaled_distribution(stored[0], rep.id or 0, total / by_rep[peer]))
    await session.flush()
    return [float(v) for v in months_after]


async def add_joiner(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    rep_id: int,
    start_date: date,
    reason: str,
    as_of: date | None = None,
) -> list[AdjustmentRequest]:
    """Give a rep who joins on ``start_date`` targets in an active plan (see the module)."""
    if not reason.strip():
        raise DomainError.single(ErrorCode.INVALID, "say who joins and why", "reason")
    plan, rep, metrics = await _check(session, principal, plan_id, rep_id, start_date)
    team_path = await plan_repo.team_path_of(session, rep_id) or ""
    out = []
    for metric in metrics:
        wanted = np.asarray(await _seed(session, plan, metric, rep, start_date))

        def months_of(state: TeamState, wanted: FloatArray = wanted) -> FloatArray:
            return wanted

        change = Change(plan, metric, rep_id, team_path, start_date, "joining", reason.strip())
        out.append(
            await change_months(
                session,
                actor=principal.username,
                requester_rep_id=principal.rep_id,
                change=change,
                months_of=months_of,
                as_of=as_of or date.today(),
            )
        )
    return out
