"""A rank change inside a running period: the rep's months from the effective month scaled by
the new rank's baseline over the old one's (the settings in effect on that day, per metric),
the difference handled by the plan's policy as for any people change (see ``people``).

>>> rescaled(np.array([10.0, 10.0, 10.0]), 1, 1.5, integer=True).tolist()
[10.0, 15.0, 15.0]
"""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest
from backend.db.repositories import people as people_repo
from backend.db.repositories import planning as plan_repo
from backend.db.repositories import ranks as rank_repo
from backend.services.adjustments.people import Change, MonthsOf, change_months
from backend.services.adjustments.team import TeamState
from backend.services.planning.loading import rank_settings
from solver.types import FloatArray


def rescaled(months: FloatArray, from_month: int, factor: float, *, integer: bool) -> FloatArray:
    """``months`` with those from ``from_month`` on multiplied by ``factor`` (whole numbers
    rounded to the nearest)."""
    out: FloatArray = np.asarray(months, dtype=np.float64).copy()
    out[from_month:] *= factor
    if integer:
        out[from_month:] = np.round(out[from_month:])
    return out


def _months_of(rep_id: int, effective: date, factor: float, integer: bool) -> MonthsOf:
    def months_of(state: TeamState) -> FloatArray:
        current = state.cells.targets[state.row_of(rep_id)]
        return rescaled(current, state.from_month(effective), factor, integer=integer)

    return months_of


async def follow_rank_change(
    session: AsyncSession,
    *,
    actor: str,
    rep_id: int,
    old_rank_id: int,
    new_rank_id: int,
    effective: date,
    reason: str,
    as_of: date | None = None,
) -> list[AdjustmentRequest]:
    """Follow a rank change in every active plan whose period holds ``effective`` (a metric
    without a positive baseline for the old rank is left as it is)."""
    held = [
        (p, m)
        for p, m in await people_repo.active_plan_metrics(session, rep_id)
        if p.period_start <= effective <= p.period_end
    ]
    if not held:
        return []
    codes = {r.id: r.code for r in await rank_repo.all_ranks(session)}
    settings = await rank_settings(session, effective)
    old, new = settings.get(codes[old_rank_id]), settings.get(codes[new_rank_id])
    team_path = await plan_repo.team_path_of(session, rep_id) or ""
    out = []
    for plan, metric in held:
        before = old.baseline.get(metric.code, 0.0) if old else 0.0
        after = new.baseline.get(metric.code) if new else None
        if before <= 0 or after is None:
            continue
        change = Change(plan, metric, rep_id, team_path, effective, "rank_change", reason)
        out.append(
            await change_months(
                session,
                actor=actor,
                change=change,
                months_of=_months_of(rep_id, effective, after / before, metric.is_integer),
                as_of=as_of or date.today(),
            )
        )
    return out
