"""Reading targets (grid, per rep, summaries, peers) and live achievement probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import planning as repo
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.planning.common import period_months, visible_plan
from solver.planning import ForecastDistribution
from solver.planning.distribution import stored_period_probabilities


@dataclass(frozen=True)
class RepInfo:
    rep_id: int
    name: str
    team_id: int
    team_path: str
    rank_id: int
    region_id: int | None


@dataclass(frozen=True)
class Grid:
    """Parallel arrays for one metric: reps (rows) x months; values are rep-major."""

    metric: Metric
    months: list[date]
    reps: list[RepInfo]
    rank_codes: list[str]
    values: list[float]
    suggested: list[float]
    probabilities: list[float | None]
    locked: list[bool]
    versions: list[int]
    period_probabilities: list[float | None] = field(default_factory=list)  # by rep


async def metric_by_code(
    session: AsyncSession, code: str, field_name: str = "metricCode"
) -> Metric:
    metric = (await repo.metrics_by_code(session)).get(code)
    if metric is None:
        raise DomainError.single(ErrorCode.INVALID, f"unknown metric {code!r}", field_name)
    return metric


async def visible_reps(
    session: AsyncSession, unit: OrgUnit, scope: Scope, org_unit_id: int | None = None
) -> dict[int, RepInfo]:
    """Reps of the plan's scope that the caller may see (optionally under one org unit)."""
    path = unit.path
    if org_unit_id is not None:
        node = await session.get(OrgUnit, org_unit_id)
        if (
            node is None
            or not node.path.startswith(unit.path)
            or (not scope.covers_path(node.path) and scope.rep_id is None)
        ):
            raise not_found("Org unit", org_unit_id, "orgUnitId")
        path = node.path
    elif scope.org_path is not None and scope.org_path.startswith(path):
        path = scope.org_path
    return {
        rep.id or 0: RepInfo(
            rep.id or 0, rep.name, rep.team_id, team_path, rep.rank_id, rep.region_id
        )
        for rep, team_path in await repo.reps_under(session, path)
        if scope.covers_rep(rep.id or 0, team_path)
    }


async def targets_grid(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    metric_code: str,
    org_unit_id: int | None = None,
) -> Grid:
    plan, unit = await visible_plan(session, plan_id, principal)
    metric = await metric_by_code(session, metric_code)
    reps = await visible_reps(session, unit, principal.scope, org_unit_id)
    rows = await repo.target_columns(session, plan_id, metric.id or 0, None)
    ranks = {r.id: r.code for r in await all_ranks(session)}
    months = period_months(plan)
    seen: list[RepInfo] = []
    values, suggested, probs, locked, versions = [], [], [], [], []
    for rep_id, _month, value, sugg, p, lock, version in rows:
        info = reps.get(rep_id)
        if info is None:
            continue
        if not seen or seen[-1].rep_id != rep_id:
            seen.append(info)
        values.append(value)
        suggested.append(sugg)
        probs.append(p)
        locked.append(lock)
        versions.append(version)
    return Grid(
        metric,
        months,
        seen,
        [ranks.get(r.rank_id, "") for r in seen],
        values,
        suggested,
        probs,
        locked,
        versions,
        await _period_probabilities(session, plan_id, metric, seen, values, len(months)),
    )


async def _period_probabilities(
    session: AsyncSession,
    plan_id: int,
    metric: Metric,
    reps: list[RepInfo],
    values: list[float],
    months: int,
) -> list[float | None]:
    """Each row's P(achieve) of the period total (of the rate, for a ratio metric): the P
    shown wherever no month is, read as live editing reads it."""
    ids = [r.rep_id for r in reps]
    stored = await repo.period_quantiles(session, plan_id, metric.id or 0, ids)
    known = [i for i, rep_id in enumerate(ids) if rep_id in stored and months]
    row = [values[i * months : (i + 1) * months] for i in known]
    at = [r[0] if not stored[ids[i]][0] else float(sum(r)) for i, r in zip(known, row, strict=True)]
    p = stored_period_probabilities([stored[ids[i]] for i in known], at)
    out: list[float | None] = [None] * len(ids)
    for i, value in zip(known, p, strict=True):
        out[i] = value
    return out


async def all_ranks(session: AsyncSession) -> list[Any]:
    from backend.db.repositories import ranks as rank_repo

    return list(await rank_repo.all_ranks(session))


@dataclass(frozen=True)
class RepTargets:
    rep: RepInfo
    rank_code: str
    targets: list[Target]
    metric_codes: dict[int, str]


async def rep_targets(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    metric_code: str | None = None,
    rep_id: int | None = None,
    org_unit_id: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[RepTargets], int]:
    """Targets grouped per rep (a page of reps), with every month."""
    _, unit = await visible_plan(session, plan_id, principal)
    reps = await visible_reps(session, unit, principal.scope, org_unit_id)
    metrics = {m.id or 0: m.code for m in (await repo.metrics_by_code(session)).values()}
    metric_ids = [(await metric_by_code(session, metric_code)).id or 0] if metric_code else None
    if rep_id is not None:
        reps = {rep_id: reps[rep_id]} if rep_id in reps else {}
    ids = sorted(reps)
    rows = await repo.targets(
        session, plan_id, metric_ids=metric_ids, rep_ids=ids[offset : offset + limit]
    )
    ranks = {r.id: r.code for r in await all_ranks(session)}
    grouped: dict[int, list[Target]] = {}
    for t in rows:
        grouped.setdefault(t.rep_id, []).append(t)
    out = [
        RepTargets(reps[i], ranks.get(reps[i].rank_id, ""), grouped[i], metrics)
        for i in ids[offset : offset + limit]
        if i in grouped
    ]
    return out, len([i for i in ids])


def stored_distribution(row: TargetDistribution) -> ForecastDistribution:
    return ForecastDistribution.from_stored(row.levels, row.period, row.monthly)


async def achievement_probability(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    rep_id: int,
    metric_code: str,
    value: float,
    month: date | None,
) -> float:
    """A cheap read for live typing: one stored distribution row, no forecast."""
    scope = principal.scope
    plan, _unit = await visible_plan(session, plan_id, principal)
    metric = await metric_by_code(session, metric_code)
    rows = await repo.distributions(session, plan_id, metric_ids=[metric.id or 0], rep_ids=[rep_id])
    team = await repo.team_path_of(session, rep_id)
    if not rows or team is None or not scope.covers_rep(rep_id, team):
        raise not_found("Target", f"of rep {rep_id}", "repId")
    dist, m = stored_distribution(rows[0]), month_index(plan, month)
    return dist.p_period(value) if m is None else dist.p_month(m, value)


def month_index(plan: Plan, month: date | None) -> int | None:
    if month is None:
        return None
    months = period_months(plan)
    first = month.replace(day=1)
    if first not in months:
        raise DomainError.single(
            ErrorCode.INVALID, "the month lies outside the plan's period", "month"
        )
    return months.index(first)
