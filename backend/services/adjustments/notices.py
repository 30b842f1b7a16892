"""Who hears of an adjustment: deciders in scope when it is asked; the requester, the rep and
every teammate whose targets moved when it is decided; webhooks subscribed to
``adjustment.*``. All in the transaction of the change."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentLine, AdjustmentRequest, Metric, Plan, Rep, User
from backend.services.access import ROLE_ACTIONS, Action, Role
from backend.services.auth import principal_for
from backend.services.notifications import webhooks
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify

DECIDERS = tuple(role.value for role in Role if Action.DECIDE_ADJUSTMENTS in ROLE_ACTIONS[role])


class AdjustmentEventData(BaseModel):
    """The ``data`` of an ``adjustment.*`` webhook event."""

    model_config = ConfigDict(frozen=True)
    request_id: int
    plan_id: int
    metric: str
    rep_id: int | None
    kind: str
    reason: str
    status: str
    effective_date: date
    requested_by: str
    decided_by: str | None
    goal_relief: float


async def _deciders(session: AsyncSession, org_path: str) -> list[User]:
    query = select(User).where(col(User.is_active).is_(True), col(User.role).in_(DECIDERS))
    out = []
    for user in (await session.exec(query)).all():
        principal = await principal_for(session, user)
        if principal.can(Action.DECIDE_ADJUSTMENTS) and principal.scope.covers_path(org_path):
            out.append(user)
    return out


async def _users_of_reps(session: AsyncSession, rep_ids: set[int]) -> list[User]:
    if not rep_ids:
        return []
    query = select(User).where(col(User.is_active).is_(True), col(User.rep_id).in_(rep_ids))
    return list((await session.exec(query)).all())


async def _by_name(session: AsyncSession, username: str) -> list[User]:
    return list((await session.exec(select(User).where(col(User.username) == username))).all())


async def _publish(session: AsyncSession, row: AdjustmentRequest, metric: Metric) -> None:
    await webhooks.publish(
        session,
        event_type=f"adjustment.{'requested' if row.status == 'pending' else row.status}",
        org_path=row.org_path,
        data=AdjustmentEventData(
            request_id=row.id or 0,
            plan_id=row.plan_id,
            metric=metric.code,
            rep_id=row.subject_rep_id,
            kind=row.kind,
            reason=row.reason,
            status=row.status,
            effective_date=row.effective_date,
            requested_by=row.requested_by,
            decided_by=row.decided_by,
            goal_relief=row.goal_relief,
        ),
    )


async def _rep_name(session: AsyncSession, rep_id: int | None) -> str:
    rep = await session.get(Rep, rep_id) if rep_id else None
    return rep.name if rep else ""


async def requested(
    session: AsyncSession, *, request: AdjustmentRequest, plan: Plan, metric: Metric
) -> None:
    subject_users = {u.id for u in await _users_of_reps(session, {request.subject_rep_id or 0})}
    users = [
        u
        for u in await _deciders(session, request.org_path)
        if u.username != request.requested_by and u.id not in subject_users
    ]
    await notify(
        session,
        users=users,
        kind="adjustment_requested",
        message_key=MessageKey.ADJUSTMENT_REQUESTED,
        params={
            "rep": await _rep_name(session, request.subject_rep_id),
            "metric": metric.code,
            "plan": plan.name,
            "actor": request.requested_by,
        },
    )
    await _publish(session, request, metric)


async def decided(
    session: AsyncSession, *, request: AdjustmentRequest, plan: Plan, metric: Metric
) -> None:
    approved = request.status == "approved"
    told = await _by_name(session, request.requested_by)
    told += await _users_of_reps(session, {request.subject_rep_id or 0})
    params = {
        "rep": await _rep_name(session, request.subject_rep_id),
        "metric": metric.code,
        "plan": plan.name,
        "actor": request.decided_by or "",
    }
    await notify(
        session,
        users=[u for u in told if u.username != request.decided_by],
        kind=f"adjustment_{request.status}",
        message_key=MessageKey.ADJUSTMENT_APPROVED if approved else MessageKey.ADJUSTMENT_REFUSED,
        params=params,
    )
    if approved:
        query = select(AdjustmentLine.rep_id).where(
            col(AdjustmentLine.request_id) == request.id, col(AdjustmentLine.role) == "absorbs"
        )
        moved = set((await session.exec(query)).all())
        await notify(
            session,
            users=await _users_of_reps(session, moved),
            kind="target_adjusted",
            message_key=MessageKey.TARGET_ADJUSTED,
            params=params,
        )
    await _publish(session, request, metric)
