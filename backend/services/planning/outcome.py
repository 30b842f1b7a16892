"""What generation and rebalance leave beside the targets: relaxations and the bottom-up forecast.

Generation calls ``record_relaxations`` and ``record_bottom_up`` after storing the targets, each
replacing what the plan held before; a rebalance replaces only its node's and reps'
relaxations (``record_node_relaxations``). Reads are limited to the caller's scope.
Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import PlanRelaxation
from backend.db.repositories import outcome as repo
from backend.services.access import Principal
from backend.services.planning.common import sees_whole, visible_plan
from solver.planning.context import RelaxationContext
from solver.types import Relaxation


async def record_relaxations(
    session: AsyncSession,
    *,
    plan_id: int,
    relaxations: Sequence[Relaxation],
    context: RelaxationContext,
) -> None:
    """Replace the plan's relaxations with ``relaxations``, named with ``context``.

    An empty sequence clears them (a plan whose constraints all held).
    """
    rows = [_row(r, context) for r in relaxations]
    await repo.replace_relaxations(session, plan_id=plan_id, rows=rows)
    await session.flush()


async def record_node_relaxations(
    session: AsyncSession,
    *,
    plan_id: int,
    metric_code: str,
    node_id: int,
    rep_ids: Sequence[int],
    relaxations: Sequence[Relaxation],
    context: RelaxationContext,
) -> None:
    """After a rebalance of one node: replace that metric's relaxations of the node and its
    reps, keeping the rest of the plan's (other nodes, other metrics, the goals above)."""
    await repo.replace_node_relaxations(
        session,
        plan_id=plan_id,
        metric_code=metric_code,
        node_id=node_id,
        rep_ids=rep_ids,
        rows=[_row(r, context) for r in relaxations],
    )
    await session.flush()


def _row(r: Relaxation, context: RelaxationContext) -> dict[str, Any]:
    rep, node = r.rep_id, r.org_id
    return {
        "metric_code": r.metric,
        "family": r.family,
        "side": r.side,
        "scope": r.scope,
        "rep_id": rep,
        "org_unit_id": node,
        "limit_value": float(r.limit),
        "required": float(r.required),
        "amount": float(r.amount),
        "because": r.because,
        "reps": int(r.reps),
        "rep_name": context.rep_names.get(rep) if rep is not None else None,
        "rank_code": context.rep_ranks.get(rep) if rep is not None else None,
        "forecast": context.rep_forecasts.get((rep, r.metric)) if rep is not None else None,
        "node_name": context.node_names.get(node) if node is not None else None,
    }


def unsaved_relaxations(
    relaxations: Sequence[Relaxation], context: RelaxationContext
) -> list[PlanRelaxation]:
    """Relaxations of a computation that is not stored (what-if), shaped like stored ones."""
    return [PlanRelaxation(plan_id=0, **_row(r, context)) for r in relaxations]


async def what_if_relaxations(
    session: AsyncSession, *, relaxations: Sequence[Relaxation]
) -> list[PlanRelaxation]:
    """A what-if's relaxations (not stored), named with today's rep, rank and node names."""
    rep_ids = sorted({r.rep_id for r in relaxations if r.rep_id is not None})
    org_ids = sorted({r.org_id for r in relaxations if r.org_id is not None})
    reps, units = await repo.names(session, rep_ids=rep_ids, org_ids=org_ids)
    context = RelaxationContext(
        rep_names={i: name for i, (name, _) in reps.items()},
        rep_ranks={i: rank for i, (_, rank) in reps.items()},
        rep_forecasts={},
        node_names=units,
    )
    return unsaved_relaxations(relaxations, context)


async def record_bottom_up(
    session: AsyncSession, *, plan_id: int, totals: Mapping[str, float]
) -> None:
    """Replace the plan's bottom-up forecast: metric code -> sum of the reps' forecast means."""
    await repo.replace_bottom_up(
        session, plan_id=plan_id, totals={c: float(v) for c, v in totals.items()}
    )
    await session.flush()


async def plan_relaxations(
    session: AsyncSession, *, principal: Principal, plan_id: int
) -> list[PlanRelaxation]:
    """The relaxations of a plan the caller may read, in the solver's order.

    A rep's relaxation is visible where the rep is; a node's where the node is; a metric-wide
    one (phasing, monotonicity) only to whoever sees the plan's whole scope.
    """
    scope = principal.scope
    _, unit = await visible_plan(session, plan_id, principal)
    whole = sees_whole(principal, unit)
    out = []
    for row, team_path, node_path in await repo.relaxations(session, plan_id=plan_id):
        if row.scope == "rep" and row.rep_id is not None:
            visible = team_path is not None and scope.covers_rep(row.rep_id, team_path)
        elif row.scope == "node" and node_path is not None:
            visible = scope.rep_id is None and scope.covers_path(node_path)
        else:
            visible = whole
        if visible:
            out.append(row)
    return out


async def bottom_up_totals(
    session: AsyncSession, *, plan_ids: Sequence[int]
) -> dict[int, dict[str, float]]:
    """Bottom-up forecast per plan and metric code (plans never generated are absent)."""
    return await repo.bottom_up(session, plan_ids=plan_ids)


async def copy_outcome(session: AsyncSession, *, source_id: int, clone_id: int) -> None:
    """Give a clone the relaxations and bottom-up forecast of the plan it copies."""
    rows = [
        r.model_dump(exclude={"id", "plan_id"})
        for r, _, _ in await repo.relaxations(session, plan_id=source_id)
    ]
    await repo.replace_relaxations(session, plan_id=clone_id, rows=rows)
    totals = (await repo.bottom_up(session, plan_ids=[source_id])).get(source_id, {})
    await repo.replace_bottom_up(session, plan_id=clone_id, totals=totals)
    await session.flush()
