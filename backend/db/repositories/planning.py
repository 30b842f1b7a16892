"""Queries on plans, their goals, targets, stored distributions and comments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AuditEntry, Metric, OrgUnit, Plan, PlanGoal, Rep, Target
from backend.db.models.planning import PlanComment, TargetDistribution

BATCH_ROWS = 5_000


async def plan_by_id(
    session: AsyncSession, plan_id: int, *, for_update: bool = False
) -> Plan | None:
    query = select(Plan).where(col(Plan.id) == plan_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def bump_plan_version(session: AsyncSession, plan: Plan, *, expected: int) -> bool:
    """Compare-and-set: raise the plan's version by one if it is still ``expected``.

    One ``UPDATE ... WHERE version = :expected RETURNING version``, so of concurrent writers
    with one version exactly one gets a row back. On success the loaded plan carries the new
    version without being marked changed; returns False when someone else changed it first.
    """
    query = (
        update(Plan)
        .where(col(Plan.id) == plan.id, col(Plan.version) == expected)
        .values(version=col(Plan.version) + 1)
        .returning(col(Plan.version))
        .execution_options(synchronize_session=False)
    )
    version = (await session.execute(query)).scalar_one_or_none()
    if version is None:
        return False
    set_committed_value(plan, "version", version)
    return True


async def plan_version(session: AsyncSession, plan_id: int) -> int:
    """The plan's version as stored now (not as loaded in the session)."""
    query = sa_select(col(Plan.version)).where(col(Plan.id) == plan_id)
    return int((await session.execute(query)).scalar_one())


async def list_plans(
    session: AsyncSession, *, scope_path: str | None, status: str | None = None
) -> Sequence[Plan]:
    """Plans whose scope overlaps the caller's subtree (above it or inside it), newest first."""
    query = select(Plan).join(OrgUnit, col(OrgUnit.id) == col(Plan.scope_org_id))
    if scope_path is not None:
        ancestors = [f"/{p}/" for p in _prefixes(scope_path)]
        query = query.where(
            or_(col(OrgUnit.path).startswith(scope_path), col(OrgUnit.path).in_(ancestors))
        )
    if status:
        query = query.where(col(Plan.status) == status)
    return (await session.exec(query.order_by(col(Plan.id).desc()))).all()


def _prefixes(path: str) -> list[str]:
    """``/1/4/17/`` -> ``1``, ``1/4``, ``1/4/17``: the paths of a node and its ancestors."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


async def goals(session: AsyncSession, plan_id: int) -> Sequence[PlanGoal]:
    query = select(PlanGoal).where(col(PlanGoal.plan_id) == plan_id).order_by(col(PlanGoal.id))
    return (await session.exec(query)).all()


async def delete_goals(session: AsyncSession, plan_id: int, *, source: str | None = None) -> None:
    query = delete(PlanGoal).where(col(PlanGoal.plan_id) == plan_id)
    if source is not None:
        query = query.where(col(PlanGoal.source) == source)
    await session.execute(query)


async def delete_generated(session: AsyncSession, plan_id: int) -> None:
    """Targets, distributions and derived goals of a plan (before a regeneration)."""
    await session.execute(delete(Target).where(col(Target.plan_id) == plan_id))
    await session.execute(
        delete(TargetDistribution).where(col(TargetDistribution.plan_id) == plan_id)
    )
    await delete_goals(session, plan_id, source="derived")


async def insert_rows(
    session: AsyncSession, table: type[Any], rows: Sequence[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), BATCH_ROWS):
        await session.execute(insert(table), list(rows[start : start + BATCH_ROWS]))


async def targets(
    session: AsyncSession,
    plan_id: int,
    *,
    metric_ids: Sequence[int] | None = None,
    rep_ids: Sequence[int] | None = None,
    month: date | None = None,
) -> Sequence[Target]:
    """Targets of a plan ordered by rep, metric and month."""
    query = select(Target).where(col(Target.plan_id) == plan_id)
    if metric_ids is not None:
        query = query.where(col(Target.metric_id).in_(metric_ids))
    if rep_ids is not None:
        query = query.where(col(Target.rep_id).in_(rep_ids))
    if month is not None:
        query = query.where(col(Target.month) == month)
    query = query.order_by(col(Target.rep_id), col(Target.metric_id), col(Target.month))
    return (await session.exec(query)).all()


async def target_columns(
    session: AsyncSession, plan_id: int, metric_id: int, rep_ids: Sequence[int] | None
) -> Sequence[tuple[int, date, float, float, float | None, bool, int]]:
    """Plain tuples (rep, month, value, suggested, probability, locked, version) for a grid."""
    query = sa_select(
        col(Target.rep_id),
        col(Target.month),
        col(Target.value),
        col(Target.suggested),
        col(Target.probability),
        col(Target.locked),
        col(Target.version),
    ).where(col(Target.plan_id) == plan_id, col(Target.metric_id) == metric_id)
    if rep_ids is not None:
        query = query.where(col(Target.rep_id).in_(rep_ids))
    query = query.order_by(col(Target.rep_id), col(Target.month))
    rows: Sequence[tuple[int, date, float, float, float | None, bool, int]] = (
        await session.execute(query)
    ).all()
    return rows


async def distributions(
    session: AsyncSession,
    plan_id: int,
    *,
    metric_ids: Sequence[int] | None = None,
    rep_ids: Sequence[int] | None = None,
) -> Sequence[TargetDistribution]:
    query = select(TargetDistribution).where(col(TargetDistribution.plan_id) == plan_id)
    if metric_ids is not None:
        query = query.where(col(TargetDistribution.metric_id).in_(metric_ids))
    if rep_ids is not None:
        query = query.where(col(TargetDistribution.rep_id).in_(rep_ids))
    return (await session.exec(query.order_by(col(TargetDistribution.rep_id)))).all()


async def period_quantiles(
    session: AsyncSession, plan_id: int, metric_id: int, rep_ids: Sequence[int]
) -> dict[int, tuple[list[float], list[float]]]:
    """rep id -> (levels, period quantiles) of the stored distributions, without the months."""
    query = select(
        col(TargetDistribution.rep_id),
        col(TargetDistribution.levels),
        col(TargetDistribution.period),
    ).where(
        col(TargetDistribution.plan_id) == plan_id,
        col(TargetDistribution.metric_id) == metric_id,
        col(TargetDistribution.rep_id).in_(rep_ids),
    )
    return {rep: (levels, period) for rep, levels, period in (await session.exec(query)).all()}


async def reps_under(
    session: AsyncSession, path: str, *, active_on: date | None = None
) -> Sequence[tuple[Rep, str]]:
    """Reps in a subtree with their team's path; ``active_on`` drops those who left before."""
    query = (
        select(Rep, col(OrgUnit.path))
        .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
        .where(col(OrgUnit.path).startswith(path))
    )
    if active_on is not None:
        query = query.where(or_(col(Rep.leave_date).is_(None), col(Rep.leave_date) >= active_on))
    return (await session.exec(query.order_by(col(Rep.id)))).all()


async def metrics_by_code(session: AsyncSession) -> dict[str, Metric]:
    return {m.code: m for m in (await session.exec(select(Metric))).all()}


async def comments(session: AsyncSession, plan_id: int) -> Sequence[PlanComment]:
    query = select(PlanComment).where(col(PlanComment.plan_id) == plan_id)
    return (await session.exec(query.order_by(col(PlanComment.id)))).all()


async def audit_trail(
    session: AsyncSession, plan_id: int, *, limit: int = 500, after_id: int = 0
) -> Sequence[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(
            col(AuditEntry.entity) == "plan",
            col(AuditEntry.entity_id) == str(plan_id),
            col(AuditEntry.id) > after_id,
        )
        .order_by(col(AuditEntry.id))
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def team_path_of(session: AsyncSession, rep_id: int) -> str | None:
    query = (
        select(col(OrgUnit.path))
        .join(Rep, col(Rep.team_id) == col(OrgUnit.id))
        .where(col(Rep.id) == rep_id)
    )
    return (await session.exec(query)).first()


async def swap_targets(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> bool:
    """Compare-and-set of target rows: each row (``id``, ``expected`` version, new values) is
    written only if its version is still ``expected``. False when any row was changed by
    someone else; the caller refuses and rolls back, so the rows written before it vanish.
    """
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("id", "expected")}
        query = (
            update(Target)
            .where(col(Target.id) == row["id"], col(Target.version) == row["expected"])
            .values(**values)
            .returning(col(Target.id))
        )
        if (await session.execute(query)).scalar_one_or_none() is None:
            return False
    return True
