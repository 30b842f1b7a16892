"""Queries of adjustments: actuals to date of a team, goals along a rep's path, requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    AdjustmentLine,
    AdjustmentRequest,
    MonthlyActual,
    OrgUnit,
    PlanGoal,
    TargetRevision,
)


async def actuals_by_rep(
    session: AsyncSession, metric_id: int, rep_ids: Sequence[int], start: date, end: date
) -> dict[int, float]:
    """Each rep's monthly actuals summed over ``start <= month <= end``."""
    if not rep_ids:
        return {}
    query = (
        sa_select(col(MonthlyActual.rep_id), func.sum(col(MonthlyActual.value)))
        .where(
            col(MonthlyActual.metric_id) == metric_id,
            col(MonthlyActual.rep_id).in_(rep_ids),
            col(MonthlyActual.month) >= start,
            col(MonthlyActual.month) <= end,
        )
        .group_by(col(MonthlyActual.rep_id))
    )
    return {r: float(v or 0.0) for r, v in (await session.execute(query)).all()}


async def goals_on_path(
    session: AsyncSession, plan_id: int, metric_id: int, team_path: str
) -> list[tuple[PlanGoal, OrgUnit]]:
    """The plan's goals for the metric at every node containing ``team_path``."""
    query = (
        select(PlanGoal, OrgUnit)
        .join(OrgUnit, col(OrgUnit.id) == col(PlanGoal.org_unit_id))
        .where(col(PlanGoal.plan_id) == plan_id, col(PlanGoal.metric_id) == metric_id)
    )
    rows = (await session.exec(query)).all()
    return [(g, u) for g, u in rows if team_path.startswith(u.path)]


async def move_goals(session: AsyncSession, goal_ids: Sequence[int], delta: float) -> None:
    """Add ``delta`` to each goal in one UPDATE (relative: concurrent changes add up)."""
    if goal_ids and delta:
        await session.execute(
            update(PlanGoal)
            .where(col(PlanGoal.id).in_(goal_ids))
            .values(value=col(PlanGoal.value) + delta)
        )


async def lines_of(session: AsyncSession, request_ids: Sequence[int]) -> list[AdjustmentLine]:
    if not request_ids:
        return []
    query = (
        select(AdjustmentLine)
        .where(col(AdjustmentLine.request_id).in_(request_ids))
        .order_by(
            col(AdjustmentLine.request_id), col(AdjustmentLine.rep_id), col(AdjustmentLine.month)
        )
    )
    return list((await session.exec(query)).all())


async def revisions(
    session: AsyncSession, plan_id: int, rep_id: int, metric_id: int
) -> list[TargetRevision]:
    query = (
        select(TargetRevision)
        .where(
            col(TargetRevision.plan_id) == plan_id,
            col(TargetRevision.rep_id) == rep_id,
            col(TargetRevision.metric_id) == metric_id,
        )
        .order_by(col(TargetRevision.id))
    )
    return list((await session.exec(query)).all())


async def pending_for_subject(
    session: AsyncSession, plan_id: int, metric_id: int, rep_id: int
) -> AdjustmentRequest | None:
    query = select(AdjustmentRequest).where(
        col(AdjustmentRequest.plan_id) == plan_id,
        col(AdjustmentRequest.metric_id) == metric_id,
        col(AdjustmentRequest.subject_rep_id) == rep_id,
        col(AdjustmentRequest.status) == "pending",
    )
    return (await session.exec(query)).first()
