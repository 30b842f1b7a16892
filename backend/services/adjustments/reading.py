"""Reading adjustments: which requests a caller sees, one request, its lines and attachment,
and a target's dated history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    AdjustmentAttachment,
    AdjustmentLine,
    AdjustmentRequest,
    TargetRevision,
)
from backend.db.repositories import adjustments as repo
from backend.db.repositories import planning as plan_repo
from backend.services.access import Principal
from backend.services.errors import not_found
from backend.services.planning.common import visible_plan
from backend.services.planning.targets import metric_by_code


async def subject_team_path(session: AsyncSession, principal: Principal, rep_id: int) -> str:
    """The rep's team path, if the caller may act on the rep's targets."""
    team_path = await plan_repo.team_path_of(session, rep_id)
    if team_path is None or not principal.scope.covers_rep(rep_id, team_path):
        raise not_found("Rep", rep_id, "repId")
    return team_path


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Requests a caller sees: a rep those about them or made by them; a manager those in
    their subtree."""
    scope = principal.scope
    if scope.nothing:
        return col(AdjustmentRequest.id) < 0
    if scope.rep_id is not None:
        return or_(
            col(AdjustmentRequest.subject_rep_id) == scope.rep_id,
            col(AdjustmentRequest.requested_by) == principal.username,
        )
    if scope.org_path is None:
        return col(AdjustmentRequest.id) >= 0
    return col(AdjustmentRequest.org_path).startswith(scope.org_path)


@dataclass(frozen=True)
class RequestFilter:
    plan_id: int | None = None
    rep_id: int | None = None
    statuses: tuple[str, ...] = ()
    to_decide: bool = False  # pending ones the caller may decide (not their own)


async def list_requests(
    session: AsyncSession,
    *,
    principal: Principal,
    which: RequestFilter,
    limit: int,
    offset: int,
) -> tuple[list[AdjustmentRequest], int]:
    where = [_visible(principal)]
    if which.plan_id is not None:
        where.append(col(AdjustmentRequest.plan_id) == which.plan_id)
    if which.rep_id is not None:
        where.append(col(AdjustmentRequest.subject_rep_id) == which.rep_id)
    if which.statuses:
        where.append(col(AdjustmentRequest.status).in_(which.statuses))
    if which.to_decide:
        where.append(col(AdjustmentRequest.status) == "pending")
        where.append(col(AdjustmentRequest.requested_by) != principal.username)
        if principal.rep_id is not None:
            where.append(col(AdjustmentRequest.subject_rep_id) != principal.rep_id)
    condition = and_(*where)
    total = (
        await session.exec(select(func.count()).select_from(AdjustmentRequest).where(condition))
    ).one()
    rows = (
        await session.exec(
            select(AdjustmentRequest)
            .where(condition)
            .order_by(col(AdjustmentRequest.id).desc())
            .offset(offset)
            .limit(limit)
        )
    ).all()
    return list(rows), int(total)


async def get_request(
    session: AsyncSession, *, principal: Principal, request_id: int
) -> AdjustmentRequest:
    row = (
        await session.exec(
            select(AdjustmentRequest).where(
                col(AdjustmentRequest.id) == request_id, _visible(principal)
            )
        )
    ).first()
    if row is None:
        raise not_found("AdjustmentRequest", request_id, "requestId")
    return row


async def lines(session: AsyncSession, request_id: int) -> list[AdjustmentLine]:
    """A request's lines (the caller has read the request, so may read them)."""
    return await repo.lines_of(session, [request_id])


async def attachment_of(
    session: AsyncSession, *, principal: Principal, request_id: int
) -> AdjustmentAttachment | None:
    await get_request(session, principal=principal, request_id=request_id)
    query = select(AdjustmentAttachment).where(AdjustmentAttachment.request_id == request_id)
    return (await session.exec(query)).first()


async def target_history(
    session: AsyncSession, *, principal: Principal, plan_id: int, rep_id: int, metric_code: str
) -> list[TargetRevision]:
    """Every dated change of a rep's targets in a plan, oldest first."""
    plan, _ = await visible_plan(session, plan_id, principal)
    await subject_team_path(session, principal, rep_id)
    metric = await metric_by_code(session, metric_code)
    return await repo.revisions(session, plan.id or 0, rep_id, metric.id or 0)
