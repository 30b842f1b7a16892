"""Reading targets (grid, per rep, summaries, peers) and live achievement probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.planning.common import period_months, visible_plan
from solver.planning import ForecastDistribution

BUCKETS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001)


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
    scope: Scope,
    plan_id: int,
    metric_code: str,
    org_unit_id: int | None = None,
) -> Grid:
    plan, unit = await visible_plan(session, plan_id, scope)
    metric = await metric_by_code(session, metric_code)
    reps = await visible_reps(session, unit, scope, org_unit_id)
    rows = await repo.target_columns(session, plan_id, metric.id or 0, None)
    period_p = await _period_probabilities(session, plan_id, metric, list(reps))
    ranks = {r.id: r.code for r in await _ranks(session)}
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
        [period_p.get(r.rep_id) for r in seen],
    )


async def _period_probabilities(
    session: AsyncSession, plan_id: int, metric: Metric, rep_ids: list[int]
) -> dict[int, float | None]:
    """Each rep's P(achieve) of the period total: the one shown wherever no month is."""
    out: dict[int, float | None] = {}
    for t in await repo.targets(session, plan_id, metric_ids=[metric.id or 0], rep_ids=rep_ids):
        out.setdefault(t.rep_id, (t.explanation or {}).get("period_probability"))
    return out


async def _ranks(session: AsyncSession) -> list[Any]:
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
    scope: Scope,
    plan_id: int,
    metric_code: str | None = None,
    rep_id: int | None = None,
    org_unit_id: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[RepTargets], int]:
    """Targets grouped per rep (a page of reps), with every month."""
    _, unit = await visible_plan(session, plan_id, scope)
    reps = await visible_reps(session, unit, scope, org_unit_id)
    metrics = {m.id or 0: m.code for m in (await repo.metrics_by_code(session)).values()}
    metric_ids = [(await metric_by_code(session, metric_code)).id or 0] if metric_code else None
    if rep_id is not None:
        reps = {rep_id: reps[rep_id]} if rep_id in reps else {}
    ids = sorted(reps)
    rows = await repo.targets(
        session, plan_id, metric_ids=metric_ids, rep_ids=ids[offset : offset + limit]
    )
    ranks = {r.id: r.code for r in await _ranks(session)}
    grouped: dict[int, list[Target]] = {}
    for t in rows:
        grouped.setdefault(t.rep_id, []).append(t)
    out = [
        RepTargets(reps[i], ranks.get(reps[i].rank_id, ""), grouped[i], metrics)
        for i in ids[offset : offset + limit]
        if i in grouped
    ]
    return out, len([i for i in ids])


@dataclass(frozen=True)
class Summary:
    key: str
    label: str
    reps: int
    total: float
    goal: float | None
    mean_probability: float | None
    buckets: list[int]


def _bucket(ps: list[float]) -> list[int]:
    counts, _ = np.histogram(np.asarray(ps, dtype=np.float64), bins=np.asarray(BUCKETS))
    return [int(c) for c in counts]


async def _period_rows(
    session: AsyncSession, scope: Scope, plan_id: int, metric_code: str
) -> tuple[Plan, OrgUnit, Metric, dict[int, RepInfo], dict[int, tuple[float, float | None]]]:
    plan, unit = await visible_plan(session, plan_id, scope)
    metric = await metric_by_code(session, metric_code)
    reps = await visible_reps(session, unit, scope)
    per_rep: dict[int, tuple[float, float | None]] = {}
    for t in await repo.targets(session, plan_id, metric_ids=[metric.id or 0], rep_ids=list(reps)):
        total, _ = per_rep.get(t.rep_id, (0.0, None))
        p = t.explanation.get("period_probability") if t.explanation else None
        per_rep[t.rep_id] = (total + t.value, p)
    if metric.kind == "ratio":
        months = len(period_months(plan))
        per_rep = {k: (v / max(months, 1), p) for k, (v, p) in per_rep.items()}
    return plan, unit, metric, reps, per_rep


async def rank_summaries(
    session: AsyncSession, *, scope: Scope, plan_id: int, metric_code: str
) -> list[Summary]:
    _, _, _, reps, per_rep = await _period_rows(session, scope, plan_id, metric_code)
    ranks = {r.id: r for r in await _ranks(session)}
    out = []
    for rank_id in sorted({reps[r].rank_id for r in per_rep}, key=lambda i: ranks[i].level):
        members = [r for r in per_rep if reps[r].rank_id == rank_id]
        out.append(_summary(f"{rank_id}", ranks[rank_id].code, members, per_rep, None))
    return out


def _summary(
    key: str,
    label: str,
    members: list[int],
    per_rep: dict[int, tuple[float, float | None]],
    goal: float | None,
) -> Summary:
    ps = [p for r in members if (p := per_rep[r][1]) is not None]
    return Summary(
        key,
        label,
        len(members),
        float(sum(per_rep[r][0] for r in members)),
        goal,
        float(np.mean(ps)) if ps else None,
        _bucket(ps),
    )


async def node_summaries(
    session: AsyncSession,
    *,
    scope: Scope,
    plan_id: int,
    metric_code: str,
    parent_id: int | None = None,
) -> list[Summary]:
    """Per org node of the plan (children of ``parent_id``, or the scope and its children)."""
    _, unit, metric, reps, per_rep = await _period_rows(session, scope, plan_id, metric_code)
    goals = {
        g.org_unit_id: g.value
        for g in await repo.goals(session, plan_id)
        if g.metric_id == metric.id
    }
    units = [
        u
        for u in await org_repo.subtree(session, unit.path)
        if scope.covers_path(u.path) or scope.rep_id is not None
    ]
    if parent_id is None:
        chosen = [u for u in units if u.id == unit.id or u.parent_id == unit.id]
    else:
        chosen = [u for u in units if u.id == parent_id or u.parent_id == parent_id]
    out = []
    for node in sorted(chosen, key=lambda u: (u.depth, u.name)):
        members = [r for r in per_rep if reps[r].team_path.startswith(node.path)]
        if members:
            out.append(_summary(str(node.id), node.name, members, per_rep, goals.get(node.id or 0)))
    return out


@dataclass(frozen=True)
class Peer:
    label: str
    rep_id: int | None
    total: float
    probability: float | None
    is_self: bool


async def peers(
    session: AsyncSession, *, principal: Principal, plan_id: int, rep_id: int, metric_code: str
) -> list[Peer]:
    """The rep and every rep of the same rank and region in the plan; anonymous for a rep."""
    scope = principal.scope
    _plan, unit = await visible_plan(session, plan_id, scope)
    metric = await metric_by_code(session, metric_code)
    everyone = await visible_reps(session, unit, Scope())  # peers beyond the caller's subtree
    me = everyone.get(rep_id)
    if me is None or not scope.covers_rep(rep_id, me.team_path):
        raise not_found("Rep", rep_id, "repId")
    group = [
        r for r in everyone.values() if r.rank_id == me.rank_id and r.region_id == me.region_id
    ]
    totals: dict[int, list[float]] = {}
    probs: dict[int, float | None] = {}
    for t in await repo.targets(
        session, plan_id, metric_ids=[metric.id or 0], rep_ids=[r.rep_id for r in group]
    ):
        totals.setdefault(t.rep_id, []).append(t.value)
        probs[t.rep_id] = (t.explanation or {}).get("period_probability")
    anonymous = principal.rep_id is not None or scope.rep_id is not None
    out = []
    for k, r in enumerate(sorted(group, key=lambda r: -sum(totals.get(r.rep_id, [0.0])))):
        if r.rep_id not in totals:
            continue
        own = r.rep_id == rep_id
        visible = not anonymous or own
        out.append(
            Peer(
                r.name if visible else f"Peer {k + 1}",
                r.rep_id if visible else None,
                float(sum(totals[r.rep_id])),
                probs.get(r.rep_id),
                own,
            )
        )
    return out


def stored_distribution(row: TargetDistribution) -> ForecastDistribution:
    return ForecastDistribution.from_stored(row.levels, row.period, row.monthly)


async def achievement_probability(
    session: AsyncSession,
    *,
    scope: Scope,
    plan_id: int,
    rep_id: int,
    metric_code: str,
    value: float,
    month: date | None,
) -> float:
    """A cheap read for live typing: one stored distribution row, no forecast."""
    plan, _unit = await visible_plan(session, plan_id, scope)
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
