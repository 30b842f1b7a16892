"""Progress for what a caller sees: per rep, rolled up per org node and per rank.

A snapshot (``snapshot.py``) holds every rep of a plan; here it is narrowed to the reps the
caller's scope covers (a rep: only themself; a manager: their subtree) and summed. Additive
metrics roll up by sums: a node's pace is its reps' actual over their expected to date, its
attainment their actual over their targets. A node's share projected to reach target is the
mean of its reps' P(achieve | actuals so far) (the expected share of reps at target), beside
the plan's design point (the mean of the reps' P when the period began).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan
from backend.db.repositories import tracking as repo
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.planning.common import may_see, visible_plan
from backend.services.tracking.snapshot import MetricInfo, RankInfo, Snapshot, Unit, snapshot
from backend.services.tracking.weeks import Week, weekly

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
#: Bucket edges of a pace or attainment histogram: <50%, 50-70, 70-90, 90-100, 100-110,
#: 110-130, >=130% (the bands sales compensation reviews use).
BUCKET_EDGES = (0.5, 0.7, 0.9, 1.0, 1.1, 1.3)
TRACKED = frozenset({"active", "closed"})
REP_WEEKS = 12


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _mean(values: NDArray[np.float64]) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if len(finite) else None


@dataclass(frozen=True)
class Figures:
    """A group of reps (a node, a rank): sums and the ratios of the sums."""

    reps: int
    actual: float
    expected: float
    target: float
    projected: float | None
    pace: float | None
    attainment: float | None
    projected_attainment: float | None
    share_projected: float | None  # mean P(achieve | actuals so far)
    share_on_pace: float | None  # share of reps at or above their expected to date
    design_point: float | None  # mean P(achieve) when the period began


def figures(s: Snapshot, rows: IntArray) -> Figures:
    p = s.progress
    actual, expected, target = (float(a[rows].sum()) for a in (p.actual, p.expected, p.target))
    projections = p.projected[rows]
    finite = np.isfinite(projections)
    projected = float(projections[finite].sum()) if finite.any() else None
    paces = p.pace[rows]
    known = paces[np.isfinite(paces)]
    return Figures(
        reps=len(rows),
        actual=actual,
        expected=expected,
        target=target,
        projected=projected,
        pace=_ratio(actual, expected),
        attainment=_ratio(actual, target),
        projected_attainment=_ratio(projected, target) if projected is not None else None,
        share_projected=_mean(s.probability[rows]),
        share_on_pace=float((known >= 1.0).mean()) if len(known) else None,
        design_point=_mean(s.plan_probability[rows]),
    )


def buckets(values: NDArray[np.float64]) -> list[int]:
    """Counts per ``BUCKET_EDGES`` band (values not known are left out)."""
    known = values[np.isfinite(values)]
    index = np.searchsorted(np.asarray(BUCKET_EDGES), known, side="right")
    return [int(c) for c in np.bincount(index, minlength=len(BUCKET_EDGES) + 1)]


@dataclass(frozen=True)
class RepFigures:
    """One rep's progress (``row`` indexes the snapshot)."""

    row: int
    rep_id: int
    name: str
    team_id: int
    team_name: str
    rank_code: str
    actual: float
    expected: float
    target: float
    pace: float | None
    attainment: float | None
    projected: float | None
    projected_attainment: float | None
    probability: float | None
    plan_probability: float | None


def rep_figures(s: Snapshot, row: int) -> RepFigures:
    p, team = s.progress, s.people.units.get(int(s.team_ids[row]))
    rank = s.people.ranks.get(int(s.rank_ids[row]))
    return RepFigures(
        row=row,
        rep_id=int(s.rep_ids[row]),
        name=s.names[row],
        team_id=int(s.team_ids[row]),
        team_name=team.name if team else "",
        rank_code=rank.code if rank else "",
        actual=float(p.actual[row]),
        expected=float(p.expected[row]),
        target=float(p.target[row]),
        pace=_num(p.pace[row]),
        attainment=_num(p.attainment[row]),
        projected=_num(p.projected[row]),
        projected_attainment=_num(p.projected_attainment[row]),
        probability=_num(s.probability[row]),
        plan_probability=_num(s.plan_probability[row]),
    )


class Teams:
    """The snapshot's reps grouped by team, so a question about a path is asked once per team
    (a thousand) instead of once per rep (ten thousand)."""

    def __init__(self, s: Snapshot) -> None:
        self.ids, self.inverse = np.unique(s.team_ids, return_inverse=True)
        by_id = dict(zip(s.team_ids.tolist(), s.team_paths, strict=True))
        self.paths = [by_id[int(t)] for t in self.ids]

    def reps_where(self, team_test: BoolArray) -> BoolArray:
        out: BoolArray = team_test[self.inverse]
        return out

    def under(self, path: str) -> BoolArray:
        return self.reps_where(np.asarray([p.startswith(path) for p in self.paths], dtype=bool))


def visible(s: Snapshot, teams: Teams, scope: Scope) -> BoolArray:
    """The reps a scope covers: a rep only themself, a manager their subtree."""
    if scope.nothing:
        return np.zeros(s.n, dtype=bool)
    if scope.rep_id is not None:
        out: BoolArray = s.rep_ids == scope.rep_id
        return out
    covered = np.asarray([scope.covers_path(p) for p in teams.paths], dtype=bool)
    return teams.reps_where(covered)


def children(s: Snapshot, teams: Teams, node: Unit, seen: BoolArray) -> list[tuple[Unit, IntArray]]:
    """The node's child units with the seen reps beneath each (those with none left out)."""
    depth = len([p for p in node.path.split("/") if p])
    child_of_team = np.full(len(teams.ids), -1, dtype=np.int64)
    for t, path in enumerate(teams.paths):
        parts = [p for p in path.split("/") if p]
        if path.startswith(node.path) and len(parts) > depth:
            child_of_team[t] = int(parts[depth])
    child = np.where(seen, child_of_team[teams.inverse], -1)
    out = []
    for c in np.unique(child[child >= 0]):
        unit = s.people.units.get(int(c))
        if unit is not None:
            out.append((unit, np.flatnonzero(child == c).astype(np.int64)))
    return sorted(out, key=lambda u: u[0].name)


def by_rank(s: Snapshot, rows: IntArray) -> list[tuple[RankInfo, IntArray]]:
    out = []
    for rank_id in np.unique(s.rank_ids[rows]):
        rank = s.people.ranks.get(int(rank_id))
        if rank is not None:
            out.append((rank, rows[s.rank_ids[rows] == rank_id]))
    return sorted(out, key=lambda r: r[0].level)


def at_risk_order(s: Snapshot, rows: IntArray) -> IntArray:
    """Rows by P(achieve | actuals so far), lowest first; then by pace; unknown P last."""
    p = np.where(np.isfinite(s.probability[rows]), s.probability[rows], np.inf)
    pace = np.where(np.isfinite(s.progress.pace[rows]), s.progress.pace[rows], np.inf)
    out: IntArray = rows[np.lexsort((s.rep_ids[rows], pace, p))]
    return out


# --- which plan, which metric ------------------------------------------------------------


async def tracked_plan(
    session: AsyncSession, principal: Principal, plan_id: int | None
) -> Plan | None:
    """The plan asked for (active or closed), or the newest active plan the caller sees,
    preferring one that covers their whole scope; None when there is none."""
    if plan_id is not None:
        plan, _ = await visible_plan(session, plan_id, principal)
        if plan.status not in TRACKED:
            raise DomainError.single(
                ErrorCode.CONFLICT,
                f"the plan is {plan.status}: progress is tracked once it is active",
                "planId",
            )
        return plan
    seen = [(p, u) for p, u in await repo.active_plans(session) if may_see(principal, p, u)]
    covering = [p for p, u in seen if _covers(u, principal.scope)]
    chosen = covering or [p for p, _ in seen]
    return chosen[0] if chosen else None


def _covers(unit: OrgUnit, scope: Scope) -> bool:
    return scope.org_path is None or scope.org_path.startswith(unit.path)


async def tracked_metric(session: AsyncSession, code: str) -> Metric:
    metric = await repo.metric_by_code(session, code)
    if metric is None:
        raise DomainError.single(ErrorCode.INVALID, f"unknown metric {code!r}", "metric")
    return metric


async def plan_snapshot(
    session: AsyncSession, *, plan: Plan, metric: Metric, as_of: date | None
) -> Snapshot:
    return await snapshot(session, plan=plan, metric=metric, as_of=as_of or date.today())


# --- a rep's own page --------------------------------------------------------------------


@dataclass(frozen=True)
class RepProgress:
    """A rep's progress on one metric of a plan, with the months' targets and actuals."""

    plan_id: int
    plan_name: str
    metric: MetricInfo
    as_of: date
    elapsed: float
    figures: RepFigures
    months: list[date]
    month_targets: list[float]
    month_actuals: list[float]
    weeks: list[Week]


async def rep_progress(
    session: AsyncSession,
    *,
    principal: Principal,
    rep_id: int,
    plan_id: int | None = None,
    as_of: date | None = None,
) -> list[RepProgress]:
    """The rep's progress on every additive metric of the plan (the newest active plan by
    default); NOT_FOUND when the rep lies outside the caller's scope or the plan."""
    plan = await tracked_plan(session, principal, plan_id)
    if plan is None:
        return []
    out = []
    for metric in await _additive_metrics(session):
        s = await plan_snapshot(session, plan=plan, metric=metric, as_of=as_of)
        rows = np.flatnonzero((s.rep_ids == rep_id) & visible(s, Teams(s), principal.scope))
        if len(rows):
            out.append(await _rep_page(session, s, int(rows[0])))
    if not out:
        raise not_found("Rep", rep_id, "repId")
    return out


async def _additive_metrics(session: AsyncSession) -> list[Metric]:
    metrics = await repo.additive_metrics(session)
    return sorted(metrics, key=lambda m: (m.code != "revenue", m.code))


async def _rep_page(session: AsyncSession, s: Snapshot, row: int) -> RepProgress:
    return RepProgress(
        plan_id=s.plan_id,
        plan_name=s.plan_name,
        metric=s.metric,
        as_of=s.as_of,
        elapsed=s.elapsed,
        figures=rep_figures(s, row),
        months=s.months,
        month_targets=[float(v) for v in s.targets[row]],
        month_actuals=[float(v) for v in s.actuals[row]],
        weeks=await weekly(
            session,
            s,
            np.asarray([row], dtype=np.int64),
            weeks=REP_WEEKS,
            rep_id=int(s.rep_ids[row]),
        ),
    )
