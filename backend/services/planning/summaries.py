"""Per-rank and per-node summaries of a plan's targets, and a rep beside the peers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services.access import Principal, Scope
from backend.services.errors import not_found
from backend.services.planning.common import period_months, visible_plan
from backend.services.planning.targets import RepInfo, all_ranks, metric_by_code, visible_reps

BUCKETS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0000001)


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
    session: AsyncSession, principal: Principal, plan_id: int, metric_code: str
) -> tuple[Plan, OrgUnit, Metric, dict[int, RepInfo], dict[int, tuple[float, float | None]]]:
    plan, unit = await visible_plan(session, plan_id, principal)
    metric = await metric_by_code(session, metric_code)
    reps = await visible_reps(session, unit, principal.scope)
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
    session: AsyncSession, *, principal: Principal, plan_id: int, metric_code: str
) -> list[Summary]:
    """Per rank, over the reps the caller sees."""
    _, _, _, reps, per_rep = await _period_rows(session, principal, plan_id, metric_code)
    ranks = {r.id: r for r in await all_ranks(session)}
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
    principal: Principal,
    plan_id: int,
    metric_code: str,
    parent_id: int | None = None,
) -> list[Summary]:
    """Per org node of the plan in the caller's scope (children of ``parent_id``, or the top
    node they see and its children): the reps they see, and a node's goal only to a manager
    of the node (never to a rep)."""
    scope = principal.scope
    _, unit, metric, reps, per_rep = await _period_rows(session, principal, plan_id, metric_code)
    goals = {
        g.org_unit_id: g.value
        for g in await repo.goals(session, plan_id)
        if g.metric_id == metric.id and scope.rep_id is None
    }
    units = [u for u in await org_repo.subtree(session, unit.path) if scope.covers_path(u.path)]
    if parent_id is None:
        top = min(units, key=lambda u: u.depth, default=None)  # the plan's, or the caller's
        chosen = [u for u in units if top is not None and top.id in (u.id, u.parent_id)]
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
    """The rep and every rep of the same rank and region in the plan. Peers outside the
    caller's scope are anonymised (``Peer n``, no id): a rep sees only their own name, a team
    lead their team's, a planner of the whole scope everyone's."""
    scope = principal.scope
    _plan, unit = await visible_plan(session, plan_id, principal)
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
    out = []
    for k, r in enumerate(sorted(group, key=lambda r: -sum(totals.get(r.rep_id, [0.0])))):
        if r.rep_id not in totals:
            continue
        own = r.rep_id == rep_id
        visible = scope.covers_rep(r.rep_id, r.team_path)
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
