"""Queries of the tracking feature: actual entries by day, and what progress reads in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ActualEntry, Metric, MonthlyActual, OrgUnit, Plan, Rep, Target
from backend.db.models.planning import TargetDistribution

CHUNK = 500


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


async def entries_by_external_ids(
    session: AsyncSession, external_ids: Sequence[str]
) -> dict[str, ActualEntry]:
    out: dict[str, ActualEntry] = {}
    for chunk in _chunks(sorted(set(external_ids))):
        query = select(ActualEntry).where(col(ActualEntry.external_id).in_(chunk))
        out.update({e.external_id: e for e in (await session.exec(query)).all()})
    return out


async def reps_with_team_paths(
    session: AsyncSession, *, ids: Sequence[int] = (), codes: Sequence[str] = ()
) -> list[tuple[Rep, str]]:
    """Reps by id or by external id (code), each with its team's materialised path."""
    if not ids and not codes:
        return []
    query = (
        select(Rep, col(OrgUnit.path))
        .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
        .where(or_(col(Rep.id).in_(list(ids)), col(Rep.external_id).in_(list(codes))))
    )
    return list((await session.exec(query)).all())


async def add_entries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        await session.execute(insert(ActualEntry), list(chunk))


async def add_to_monthly(
    session: AsyncSession, *, rep_id: int, metric_id: int, month: date, delta: float
) -> None:
    """``value += delta`` in one statement (concurrent writers never lose an increment); the
    row is created when the rep-month has none yet."""
    query = (
        update(MonthlyActual)
        .where(
            col(MonthlyActual.rep_id) == rep_id,
            col(MonthlyActual.metric_id) == metric_id,
            col(MonthlyActual.month) == month,
        )
        .values(value=col(MonthlyActual.value) + delta)
        .returning(col(MonthlyActual.id))
        .execution_options(synchronize_session=False)
    )
    if (await session.execute(query)).first() is None:
        session.add(MonthlyActual(rep_id=rep_id, metric_id=metric_id, month=month, value=delta))
        await session.flush()


async def entry_days(
    session: AsyncSession,
    rep_ids: Sequence[int],
    start: date,
    end: date,
    *,
    metric_ids: Sequence[int] | None = None,
) -> list[tuple[int, int, date, float]]:
    """(rep, metric, day, value) of the entries with ``start <= day < end``."""
    out: list[tuple[int, int, date, float]] = []
    for chunk in _chunks(sorted(set(rep_ids))):
        query = sa_select(
            col(ActualEntry.rep_id),
            col(ActualEntry.metric_id),
            col(ActualEntry.day),
            col(ActualEntry.value),
        ).where(
            col(ActualEntry.rep_id).in_(chunk),
            col(ActualEntry.day) >= start,
            col(ActualEntry.day) < end,
        )
        if metric_ids is not None:
            query = query.where(col(ActualEntry.metric_id).in_(metric_ids))
        out += [(r, m, d, v) for r, m, d, v in (await session.execute(query)).all()]
    return out


async def active_plans(session: AsyncSession) -> Sequence[tuple[Plan, OrgUnit]]:
    """Every active plan with its scope unit, newest first."""
    query = (
        select(Plan, OrgUnit)
        .join(OrgUnit, col(OrgUnit.id) == col(Plan.scope_org_id))
        .where(col(Plan.status) == "active")
        .order_by(col(Plan.id).desc())
    )
    return (await session.exec(query)).all()


async def reps_under(
    session: AsyncSession, path: str, *, active_on: date
) -> list[tuple[int, str, int, int, int | None, str]]:
    """(rep, name, team, rank, region, team path) of the reps in a subtree still employed on
    ``active_on`` (plain tuples: a dashboard reads ten thousand of them)."""
    query = (
        sa_select(
            col(Rep.id),
            col(Rep.name),
            col(Rep.team_id),
            col(Rep.rank_id),
            col(Rep.region_id),
            col(OrgUnit.path),
        )
        .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
        .where(col(OrgUnit.path).startswith(path, autoescape=True))
        .where(or_(col(Rep.leave_date).is_(None), col(Rep.leave_date) >= active_on))
        .order_by(col(Rep.id))
    )
    return [tuple(r) for r in (await session.execute(query)).all()]


async def target_values(
    session: AsyncSession, plan_id: int, metric_id: int
) -> list[tuple[int, date, float]]:
    """(rep, month, value) of one metric's targets in a plan."""
    query = sa_select(col(Target.rep_id), col(Target.month), col(Target.value)).where(
        col(Target.plan_id) == plan_id, col(Target.metric_id) == metric_id
    )
    return [(r, m, v) for r, m, v in (await session.execute(query)).all()]


async def monthly_values(
    session: AsyncSession, metric_id: int, start: date, end: date
) -> list[tuple[int, date, float]]:
    """(rep, month, value) of one metric's monthly actuals with ``start <= month <= end``."""
    query = sa_select(
        col(MonthlyActual.rep_id), col(MonthlyActual.month), col(MonthlyActual.value)
    ).where(
        col(MonthlyActual.metric_id) == metric_id,
        col(MonthlyActual.month) >= start,
        col(MonthlyActual.month) <= end,
    )
    return [(r, m, v) for r, m, v in (await session.execute(query)).all()]


async def stored_distributions(
    session: AsyncSession, plan_id: int, metric_id: int
) -> list[tuple[int, list[float], list[float], list[list[float]]]]:
    """(rep, levels, period, monthly) of one metric's stored distributions in a plan."""
    query = sa_select(
        col(TargetDistribution.rep_id),
        col(TargetDistribution.levels),
        col(TargetDistribution.period),
        col(TargetDistribution.monthly),
    ).where(
        col(TargetDistribution.plan_id) == plan_id,
        col(TargetDistribution.metric_id) == metric_id,
    )
    return [(r, lv, p, m) for r, lv, p, m in (await session.execute(query)).all()]


async def metric_by_code(session: AsyncSession, code: str) -> Metric | None:
    return (await session.exec(select(Metric).where(col(Metric.code) == code))).first()


async def metrics_by_codes(session: AsyncSession, codes: Sequence[str]) -> dict[str, Metric]:
    query = select(Metric).where(col(Metric.code).in_(sorted(set(codes))))
    return {m.code: m for m in (await session.exec(query)).all()}
