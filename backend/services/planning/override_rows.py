"""What an override reads and writes: the rep's rows, the team that absorbs the change (the
lowest node with a goal containing the rep), and the changed rows with fresh P(achieve)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services.access import Principal
from backend.services.errors import DomainError, ErrorCode, not_found
from solver.planning import ForecastDistribution


@dataclass(frozen=True)
class RepChange:
    rep_id: int
    total: float
    probability: float
    months: list[float]
    version: int


@dataclass
class TeamRows:
    unit: OrgUnit | None
    goal: float | None
    rows: dict[int, list[Target]]
    dists: dict[int, TargetDistribution]


def stale_error(rows: list[Target], month: date | None) -> DomainError:
    current = (
        sum(t.value for t in rows)
        if month is None
        else next(t.value for t in rows if t.month == month)
    )
    return DomainError.single(
        ErrorCode.STALE_VERSION,
        f"the target was changed by someone else: it is now {current:.6g}"
        f" (version {rows[0].version})",
        "expectedVersion",
    )


def check_value(metric: Metric, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise DomainError.single(ErrorCode.INVALID, "a target is a number, 0 or more", "value")
    if metric.is_integer and abs(value - round(value)) > 1e-9:
        raise DomainError.single(
            ErrorCode.INVALID, f"{metric.code} counts: a whole number", "value"
        )


async def rep_rows(
    session: AsyncSession, principal: Principal, plan: Plan, rep_id: int, metric: Metric
) -> tuple[list[Target], str]:
    team_path = await repo.team_path_of(session, rep_id)
    if team_path is None or not principal.scope.covers_rep(rep_id, team_path):
        raise not_found("Rep", rep_id, "repId")
    if principal.rep_id == rep_id:
        raise DomainError.single(ErrorCode.FORBIDDEN, "nobody changes their own targets", "repId")
    rows = list(
        await repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=[rep_id])
    )
    if not rows:
        raise not_found("Target", f"of rep {rep_id}", "repId")
    return rows, team_path


async def team_rows(session: AsyncSession, plan: Plan, metric: Metric, team_path: str) -> TeamRows:
    """The lowest node with a goal for the metric containing the rep, its reps' rows."""
    goals = {
        g.org_unit_id: g.value
        for g in await repo.goals(session, plan.id or 0)
        if g.metric_id == metric.id
    }
    units = (await org_repo.units_by_ids(session, list(goals))).values()
    holding = [u for u in units if team_path.startswith(u.path)]
    if not holding:
        return TeamRows(None, None, {}, {})
    unit = max(holding, key=lambda u: len(u.path))
    reps = [rep.id or 0 for rep, _ in await repo.reps_under(session, unit.path)]
    rows: dict[int, list[Target]] = {}
    for t in await repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=reps):
        rows.setdefault(t.rep_id, []).append(t)
    dists = {
        d.rep_id: d
        for d in await repo.distributions(
            session, plan.id or 0, metric_ids=[metric.id or 0], rep_ids=list(rows)
        )
    }
    return TeamRows(unit, goals[unit.id or 0], rows, dists)


def distribution(row: TargetDistribution) -> ForecastDistribution:
    return ForecastDistribution.from_stored(row.levels, row.period, row.monthly)


def totals(node: TeamRows, new_values: dict[int, list[float]]) -> dict[int, list[float]]:
    return {r: new_values.get(r, [t.value for t in ts]) for r, ts in node.rows.items()}


async def apply_changes(
    session: AsyncSession,
    plan: Plan,
    metric: Metric,
    node: TeamRows,
    rows: list[Target],
    new_values: dict[int, list[float]],
    own_dist: TargetDistribution,
    months: list[date],
) -> list[RepChange]:
    """Write the changed rows with fresh P(achieve) and versions, each only if its version is
    still the one read (compare-and-set): a concurrent override of another rep of the team
    that rebalanced these rows makes this one stale instead of overwriting its values."""
    own = rows[0].rep_id
    all_rows = dict(node.rows)
    all_rows[own] = rows
    updates: list[dict[str, Any]] = []
    changes = []
    for rep_id, values in new_values.items():
        current = all_rows[rep_id]
        if rep_id != own and all(
            abs(a - t.value) <= 1e-9 for a, t in zip(values, current, strict=True)
        ):
            continue
        dist = distribution(own_dist if rep_id == own else node.dists[rep_id])
        total = float(sum(values))
        p_total = dist.p_period(values[0] if dist.is_ratio else total)
        p_months = dist.p_months(values)
        version = current[0].version + 1
        for m, t in enumerate(current):
            updates.append(
                {
                    "id": t.id,
                    "expected": t.version,
                    "value": float(values[m]),
                    "probability": p_months[m],
                    "locked": True if rep_id == own else t.locked,
                    "version": version,
                    "explanation": {
                        **(t.explanation or {}),
                        "period_total": total,
                        "period_probability": p_total,
                    },
                }
            )
        changes.append(RepChange(rep_id, total, p_total, [float(v) for v in values], version))
    if not await repo.swap_targets(session, updates):
        raise DomainError.single(
            ErrorCode.STALE_VERSION,
            "the team's targets were changed by someone else meanwhile; reload and retry",
            "expectedVersion",
        )
    return changes
