"""Queries of people changes inside running periods: which active plans hold a rep's targets,
the period totals of many reps at once, and their goals."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, func, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, PlanGoal, Rep, Target

CHUNK = 900  # ids per IN list: under SQLite's bound-parameter limit with room to spare


async def active_plan_metrics(session: AsyncSession, rep_id: int) -> list[tuple[Plan, Metric]]:
    """Each active plan and additive metric in which ``rep_id`` has targets."""
    pairs = (
        sa_select(col(Target.plan_id), col(Target.metric_id))
        .join(Plan, col(Plan.id) == col(Target.plan_id))
        .join(Metric, col(Metric.id) == col(Target.metric_id))
        .where(
            col(Target.rep_id) == rep_id,
            col(Plan.status) == "active",
            col(Metric.kind) == "additive",
        )
        .distinct()
    )
    found = sorted((int(p), int(m)) for p, m in (await session.execute(pairs)).all())
    if not found:
        return []
    plans = (await session.exec(select(Plan).where(col(Plan.id).in_({p for p, _ in found})))).all()
    metrics = (
        await session.exec(select(Metric).where(col(Metric.id).in_({m for _, m in found})))
    ).all()
    by_plan = {p.id: p for p in plans}
    by_metric = {m.id: m for m in metrics}
    return [(by_plan[p], by_metric[m]) for p, m in found]


async def plan_metrics(session: AsyncSession, plan_id: int) -> list[Metric]:
    """The additive metrics a plan sets targets for."""
    ids = (
        sa_select(col(Target.metric_id)).where(col(Target.plan_id) == plan_id).distinct()
    ).scalar_subquery()
    query = select(Metric).where(col(Metric.id).in_(ids), col(Metric.kind) == "additive")
    return list((await session.exec(query.order_by(col(Metric.id)))).all())


async def active_plans(session: AsyncSession) -> list[Plan]:
    return list((await session.exec(select(Plan).where(col(Plan.status) == "active"))).all())


async def targets_of_reps(
    session: AsyncSession, plan_ids: Sequence[int], rep_ids: Sequence[int]
) -> list[Target]:
    """The additive targets of ``rep_ids`` in ``plan_ids`` (chunked IN lists)."""
    additive = sa_select(col(Metric.id)).where(col(Metric.kind) == "additive").scalar_subquery()
    out: list[Target] = []
    for start in range(0, len(rep_ids), CHUNK):
        query = select(Target).where(
            col(Target.plan_id).in_(plan_ids),
            col(Target.rep_id).in_(rep_ids[start : start + CHUNK]),
            col(Target.metric_id).in_(additive),
        )
        out.extend((await session.exec(query)).all())
    return out


async def goals_with_units(
    session: AsyncSession, plan_ids: Sequence[int]
) -> list[tuple[PlanGoal, OrgUnit]]:
    query = (
        select(PlanGoal, OrgUnit)
        .join(OrgUnit, col(OrgUnit.id) == col(PlanGoal.org_unit_id))
        .where(col(PlanGoal.plan_id).in_(plan_ids))
    )
    return [(g, u) for g, u in (await session.exec(query)).all()]


async def add_to_goals(session: AsyncSession, deltas: dict[int, float]) -> None:
    """Add each goal's delta in one executemany UPDATE (relative: concurrent changes add)."""
    if not deltas:
        return
    table = PlanGoal.__table__  # type: ignore[attr-defined]
    query = (
        update(table)
        .where(table.c.id == bindparam("goal_id"))
        .values(value=table.c.value + bindparam("delta"))
    )
    await session.execute(query, [{"goal_id": g, "delta": d} for g, d in deltas.items() if d])


async def move_reps(session: AsyncSession, moves: dict[int, tuple[Rep, int]]) -> None:
    """Each rep (id -> loaded rep, new team) to its new team with its version raised, in one
    executemany UPDATE; the loaded reps carry the new values without being marked changed."""
    table = Rep.__table__  # type: ignore[attr-defined]
    query = (
        update(table)
        .where(table.c.id == bindparam("rep_id"))
        .values(team_id=bindparam("new_team"), version=table.c.version + 1)
    )
    await session.execute(query, [{"rep_id": r, "new_team": t} for r, (_, t) in moves.items()])
    for rep, team in moves.values():
        set_committed_value(rep, "team_id", team)
        set_committed_value(rep, "version", rep.version + 1)


async def sum_beneath(session: AsyncSession, plan_id: int) -> dict[tuple[int, int], float]:
    """Each (rep, metric)'s period total in a plan: for checks that goals add up."""
    query = (
        sa_select(col(Target.rep_id), col(Target.metric_id), func.sum(col(Target.value)))
        .where(col(Target.plan_id) == plan_id)
        .group_by(col(Target.rep_id), col(Target.metric_id))
    )
    return {(r, m): float(v) for r, m, v in (await session.execute(query)).all()}
