"""The tracking dashboard: everything the home page shows for one org node, in one read.

For the node asked for (by default the top of what the caller sees in the plan): the
headline figures, its child nodes for drill-down (company > region > branch > team), the
reps directly under a team, per rank the figures and the pace and projection histograms,
the reps at risk (lowest P(achieve | actuals so far) first, capped) and the weekly trend.
Every part counts only the reps the caller's scope covers: a branch manager never sees
another branch's reps in any of them, a rep sees only themself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Plan
from backend.services.access import Principal, Scope
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.tracking.progress import (
    Figures,
    RepFigures,
    Teams,
    at_risk_order,
    buckets,
    by_rank,
    children,
    figures,
    plan_snapshot,
    rep_figures,
    tracked_metric,
    tracked_plan,
    visible,
)
from backend.services.tracking.snapshot import RankInfo, Snapshot, Unit
from backend.services.tracking.weeks import MAX_WEEKS, Week, weekly

IntArray = NDArray[np.int64]
#: The at-risk list holds at most this many reps (paged); a rep below ``AT_RISK_P`` counts
#: as at risk in a node's tally.
AT_RISK_CAP = 200
AT_RISK_P = 0.3
DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class NodeRow:
    unit: Unit
    figures: Figures
    at_risk: int


@dataclass(frozen=True)
class RankRow:
    rank: RankInfo
    figures: Figures
    pace_buckets: list[int]
    projected_buckets: list[int]


@dataclass(frozen=True, eq=False)
class Dashboard:
    plan: Plan
    metric: Metric
    snapshot: Snapshot
    node: Unit | None
    trail: list[Unit]  # from the top the caller sees down to the node
    headline: NodeRow
    children: list[NodeRow]
    ranks: list[RankRow]
    weeks: list[Week]
    at_risk_rows: IntArray
    member_rows: IntArray  # the reps of a node without child units (a team), by name

    @property
    def as_of(self) -> date:
        return self.snapshot.as_of

    def page(self, rows: IntArray, offset: int, limit: int) -> list[RepFigures]:
        return [rep_figures(self.snapshot, int(r)) for r in rows[offset : offset + limit]]


async def tracking_dashboard(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int | None = None,
    metric_code: str = "revenue",
    org_unit_id: int | None = None,
    as_of: date | None = None,
    weeks: int = DEFAULT_WEEKS,
) -> Dashboard | None:
    """The dashboard of a node (see the module); None when no plan is being tracked."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise DomainError.single(ErrorCode.INVALID, f"weeks must be 1 to {MAX_WEEKS}", "weeks")
    plan = await tracked_plan(session, principal, plan_id)
    if plan is None:
        return None
    metric = await tracked_metric(session, metric_code)
    s = await plan_snapshot(session, plan=plan, metric=metric, as_of=as_of)
    teams = Teams(s)
    seen = visible(s, teams, principal.scope)
    node = _node(s, principal.scope, org_unit_id)
    under = seen & teams.under(node.path) if node is not None else seen
    rows = np.flatnonzero(under).astype(np.int64)
    kids = [_row(s, u, r) for u, r in children(s, teams, node, under)] if node else []
    return Dashboard(
        plan=plan,
        metric=metric,
        snapshot=s,
        node=node,
        trail=_trail(s, node, principal.scope),
        headline=_row(s, node or _self(s, rows), rows),
        children=kids,
        ranks=[_rank_row(s, rank, r) for rank, r in by_rank(s, rows)],
        weeks=await weekly(
            session,
            s,
            rows,
            weeks=weeks,
            path=node.path if node else None,
            rep_id=principal.scope.rep_id if node is None else None,
        ),
        at_risk_rows=at_risk_order(s, rows)[:AT_RISK_CAP],
        member_rows=_by_name(s, rows) if not kids else np.zeros(0, dtype=np.int64),
    )


def _row(s: Snapshot, unit: Unit, rows: IntArray) -> NodeRow:
    risky = s.probability[rows]
    return NodeRow(unit, figures(s, rows), int((risky[np.isfinite(risky)] < AT_RISK_P).sum()))


def _rank_row(s: Snapshot, rank: RankInfo, rows: IntArray) -> RankRow:
    return RankRow(
        rank,
        figures(s, rows),
        buckets(s.progress.pace[rows]),
        buckets(s.progress.projected_attainment[rows]),
    )


def _self(s: Snapshot, rows: IntArray) -> Unit:
    """A rep's own dashboard has no node: its headline is labelled by their team."""
    team = int(s.team_ids[rows[0]]) if len(rows) else s.plan_scope_id
    return s.people.units.get(team) or Unit(team, None, "", "team", "", 0)


def _node(s: Snapshot, scope: Scope, asked: int | None) -> Unit | None:
    """The node asked for, else the top one the caller sees in the plan; None for a rep (they
    see themself only). A node outside the plan or the caller's scope is NOT_FOUND."""
    plan_unit = s.people.units.get(s.plan_scope_id)
    if scope.rep_id is not None:
        if asked is not None:
            raise not_found("Org unit", asked, "orgUnitId")
        return None
    if asked is None:
        if plan_unit is not None and scope.covers_path(plan_unit.path):
            return plan_unit
        return _scope_unit(s, scope)
    unit = s.people.units.get(asked)
    if (
        unit is None
        or plan_unit is None
        or not scope.covers_path(unit.path)
        or not (unit.path.startswith(plan_unit.path) or plan_unit.path.startswith(unit.path))
    ):
        raise not_found("Org unit", asked, "orgUnitId")
    return unit


def _scope_unit(s: Snapshot, scope: Scope) -> Unit | None:
    if scope.org_path is None or scope.nothing:
        return None
    last = [p for p in scope.org_path.split("/") if p][-1]
    return s.people.units.get(int(last))


def _trail(s: Snapshot, node: Unit | None, scope: Scope) -> list[Unit]:
    """The node's ancestors the caller sees, top first, then the node."""
    if node is None:
        return []
    ids = [int(p) for p in node.path.split("/") if p]
    units = [s.people.units[i] for i in ids if i in s.people.units]
    return [u for u in units if scope.covers_path(u.path)]


def _by_name(s: Snapshot, rows: IntArray) -> IntArray:
    out: IntArray = rows[np.argsort([s.names[int(r)] for r in rows], kind="stable")]
    return out
