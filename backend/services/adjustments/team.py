"""What a change inside a running period reads: the team that absorbs it (the lowest node with
a goal containing the rep, as for an override), its reps' months, bounds and forecasts, and what
each has sold so far.

Only the team's reps are read (a few dozen rows and distributions), never the whole plan, so a
preview stays fast in a plan of any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Plan
from backend.db.repositories import adjustments as repo
from backend.db.repositories import planning as plan_repo
from backend.services.errors import DomainError, ErrorCode
from backend.services.planning.common import period_months
from backend.services.planning.override_rows import TeamRows, distribution, team_rows
from solver.planning import RepBasis
from solver.planning.adjustments import TeamCells
from solver.planning.months import month_start
from solver.tracking import ForecastArrays, conditional_probability, elapsed_months
from solver.types import FloatArray


@dataclass(frozen=True, eq=False)
class TeamState:
    """The absorbing team of one metric of an active plan as of a day. Rows follow
    ``rep_ids``; ``rows[rep]`` are the Target rows by month."""

    plan: Plan
    metric: Metric
    node: TeamRows
    months: list[date]
    as_of: date
    rep_ids: list[int]
    cells: TeamCells
    actual: FloatArray
    forecast: ForecastArrays
    elapsed: float

    def row_of(self, rep_id: int) -> int:
        return self.rep_ids.index(rep_id)

    def from_month(self, effective: date) -> int:
        """The first month a change effective on ``effective`` touches."""
        first = month_start(effective)
        return next(i for i, m in enumerate(self.months) if m >= first)

    def probability(self, totals: FloatArray) -> FloatArray:
        """P(achieve | actuals so far) of each rep for period totals ``totals``."""
        return conditional_probability(
            self.forecast, target=totals, actual_to_date=self.actual, elapsed=self.elapsed
        )


def _bounds(basis: RepBasis | None) -> tuple[float, float]:
    return (float("nan"), float("nan")) if basis is None else (basis.floor, basis.ceiling)


async def _alone(session: AsyncSession, plan: Plan, metric: Metric, rep_id: int) -> TeamRows:
    """A rep under no node with a goal: their own rows, nobody to absorb."""
    ids = [metric.id or 0]
    rows = list(await plan_repo.targets(session, plan.id or 0, metric_ids=ids, rep_ids=[rep_id]))
    dists = await plan_repo.distributions(session, plan.id or 0, metric_ids=ids, rep_ids=[rep_id])
    return TeamRows(None, None, {rep_id: rows} if rows else {}, {d.rep_id: d for d in dists})


async def team_state(
    session: AsyncSession, plan: Plan, metric: Metric, team_path: str, rep_id: int, as_of: date
) -> TeamState:
    """The team absorbing a change of ``rep_id``'s targets (the rep alone when no node above
    it has a goal)."""
    if metric.kind != "additive":
        raise DomainError.single(
            ErrorCode.INVALID,
            f"{metric.code} is a ratio: its targets are rates, changed by an override",
            "metric",
        )
    months = period_months(plan)
    node = await team_rows(session, plan, metric, team_path)
    if node.unit is None:
        node = await _alone(session, plan, metric, rep_id)
    if rep_id not in node.rows:
        raise DomainError.single(
            ErrorCode.NOT_FOUND, f"the rep has no {metric.code} targets in this plan", "repId"
        )
    rep_ids = sorted(node.rows)
    bases = {
        r: RepBasis.from_json(d.bounds or {}) if d.bounds else None for r, d in node.dists.items()
    }
    bounds = [_bounds(bases.get(r)) for r in rep_ids]
    cells = TeamCells(
        targets=np.asarray([[t.value for t in node.rows[r]] for r in rep_ids], dtype=np.float64),
        floors=np.asarray([b[0] for b in bounds], dtype=np.float64),
        ceilings=np.asarray([b[1] for b in bounds], dtype=np.float64),
        locked=np.asarray([node.rows[r][0].locked for r in rep_ids], dtype=np.bool_),
    )
    sold = await repo.actuals_by_rep(session, metric.id or 0, rep_ids, months[0], as_of)
    dists = [distribution(node.dists[r]) if r in node.dists else None for r in rep_ids]
    return TeamState(
        plan=plan,
        metric=metric,
        node=node,
        months=months,
        as_of=as_of,
        rep_ids=rep_ids,
        cells=cells,
        actual=np.asarray([sold.get(r, 0.0) for r in rep_ids], dtype=np.float64),
        forecast=ForecastArrays.stack(dists, len(months)),
        elapsed=elapsed_months(plan.period_start, len(months), as_of),
    )
