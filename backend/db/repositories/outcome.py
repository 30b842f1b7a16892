"""Queries on what a generation leaves beside the targets: relaxations and bottom-up totals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, PlanBottomUp, PlanRelaxation, Rank, Rep

RelaxationRow = tuple[PlanRelaxation, str | None, str | None]


async def replace_relaxations(
    session: AsyncSession, *, plan_id: int, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Delete a plan's relaxations and insert ``rows`` (column name -> value) instead."""
    await session.execute(delete(PlanRelaxation).where(col(PlanRelaxation.plan_id) == plan_id))
    if rows:
        await session.execute(insert(PlanRelaxation), [{**r, "plan_id": plan_id} for r in rows])


async def replace_node_relaxations(
    session: AsyncSession,
    *,
    plan_id: int,
    metric_code: str,
    node_id: int,
    rep_ids: Sequence[int],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Delete one metric's relaxations of a node and of its reps; insert ``rows`` instead."""
    mine = (col(PlanRelaxation.org_unit_id) == node_id) | col(PlanRelaxation.rep_id).in_(rep_ids)
    await session.execute(
        delete(PlanRelaxation).where(
            col(PlanRelaxation.plan_id) == plan_id,
            col(PlanRelaxation.metric_code) == metric_code,
            mine,
        )
    )
    if rows:
        await session.execute(insert(PlanRelaxation), [{**r, "plan_id": plan_id} for r in rows])


async def relaxations(session: AsyncSession, *, plan_id: int) -> Sequence[RelaxationRow]:
    """A plan's relaxations with the path of the rep's team and of the node (for scoping).

    Ordered as the solver listed them (the family priority, then as found).
    """
    team = aliased(OrgUnit)
    node = aliased(OrgUnit)
    query = (
        select(PlanRelaxation, col(team.path), col(node.path))
        .outerjoin(Rep, col(Rep.id) == col(PlanRelaxation.rep_id))
        .outerjoin(team, col(team.id) == col(Rep.team_id))
        .outerjoin(node, col(node.id) == col(PlanRelaxation.org_unit_id))
        .where(col(PlanRelaxation.plan_id) == plan_id)
        .order_by(col(PlanRelaxation.id))
    )
    return (await session.exec(query)).all()


async def replace_bottom_up(
    session: AsyncSession, *, plan_id: int, totals: Mapping[str, float]
) -> None:
    """Delete a plan's bottom-up totals and store ``totals`` (metric code -> value) instead."""
    await session.execute(delete(PlanBottomUp).where(col(PlanBottomUp.plan_id) == plan_id))
    if totals:
        rows = [{"plan_id": plan_id, "metric_code": c, "value": v} for c, v in totals.items()]
        await session.execute(insert(PlanBottomUp), rows)


async def bottom_up(
    session: AsyncSession, *, plan_ids: Sequence[int]
) -> dict[int, dict[str, float]]:
    """Bottom-up totals per plan: plan id -> metric code -> value."""
    query = select(PlanBottomUp).where(col(PlanBottomUp.plan_id).in_(plan_ids))
    out: dict[int, dict[str, float]] = {}
    for row in (await session.exec(query)).all():
        out.setdefault(row.plan_id, {})[row.metric_code] = row.value
    return out


async def names(
    session: AsyncSession, *, rep_ids: Sequence[int], org_ids: Sequence[int]
) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Today's names: rep id -> (name, rank code), org unit id -> name."""
    reps: dict[int, tuple[str, str]] = {}
    if rep_ids:
        query = (
            select(col(Rep.id), col(Rep.name), col(Rank.code))
            .join(Rank, col(Rank.id) == col(Rep.rank_id))
            .where(col(Rep.id).in_(rep_ids))
        )
        reps = {i: (n, c) for i, n, c in (await session.exec(query)).all() if i is not None}
    units: dict[int, str] = {}
    if org_ids:
        query_units = select(col(OrgUnit.id), col(OrgUnit.name)).where(col(OrgUnit.id).in_(org_ids))
        units = {i: n for i, n in (await session.exec(query_units)).all() if i is not None}
    return reps, units
