"""Queries of the tracking feature: actual entries by day, and what progress reads in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    ActualEntry,
    AuditEntry,
    Metric,
    MonthlyActual,
    OrgUnit,
    Plan,
    Rank,
    Rep,
    Target,
)
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


async def month_values(
    session: AsyncSession, metric_id: int, month: date
) -> list[tuple[int, float]]:
    """(rep, value) of one metric's monthly actuals of one month (no dates to convert)."""
    query = sa_select(col(MonthlyActual.rep_id), col(MonthlyActual.value)).where(
        col(MonthlyActual.metric_id) == metric_id, col(MonthlyActual.month) == month
    )
    return [(r, v) for r, v in (await session.execute(query)).all()]


async def stored_distributions(
    session: AsyncSession, plan_id: int, metric_id: int
) -> list[tuple[int, list[float], list[float], list[list[float]], dict[str, Any]]]:
    """(rep, levels, period, monthly, bounds) of one metric's stored distributions in a plan."""
    query = sa_select(
        col(TargetDistribution.rep_id),
        col(TargetDistribution.levels),
        col(TargetDistribution.period),
        col(TargetDistribution.monthly),
        col(TargetDistribution.bounds),
    ).where(
        col(TargetDistribution.plan_id) == plan_id,
        col(TargetDistribution.metric_id) == metric_id,
    )
    return [(r, lv, p, m, b) for r, lv, p, m, b in (await session.execute(query)).all()]


async def metric_by_code(session: AsyncSession, code: str) -> Metric | None:
    return (await session.exec(select(Metric).where(col(Metric.code) == code))).first()


async def metrics_by_codes(session: AsyncSession, codes: Sequence[str]) -> dict[str, Metric]:
    query = select(Metric).where(col(Metric.code).in_(sorted(set(codes))))
    return {m.code: m for m in (await session.exec(query)).all()}


async def entry_sums_by_rep(
    session: AsyncSession, metric_id: int, after: date, through: date
) -> list[tuple[int, float]]:
    """(rep, total) of one metric's entries with ``after < day <= through``."""
    query = (
        sa_select(col(ActualEntry.rep_id), func.sum(col(ActualEntry.value)))
        .where(
            col(ActualEntry.metric_id) == metric_id,
            col(ActualEntry.day) > after,
            col(ActualEntry.day) <= through,
        )
        .group_by(col(ActualEntry.rep_id))
    )
    return [(r, float(v)) for r, v in (await session.execute(query)).all()]


async def entry_totals_by_day(
    session: AsyncSession,
    *,
    plan_id: int,
    metric_id: int,
    start: date,
    end: date,
    path: str | None = None,
    rep_id: int | None = None,
) -> list[tuple[date, float]]:
    """(day, total) of one metric's entries with ``start <= day <= end`` of the plan's reps
    (those with a distribution of the metric in it) in a subtree, or of one rep."""
    planned = sa_select(col(TargetDistribution.rep_id)).where(
        col(TargetDistribution.plan_id) == plan_id,
        col(TargetDistribution.metric_id) == metric_id,
    )
    query = sa_select(col(ActualEntry.day), func.sum(col(ActualEntry.value))).where(
        col(ActualEntry.metric_id) == metric_id,
        col(ActualEntry.day) >= start,
        col(ActualEntry.day) <= end,
        col(ActualEntry.rep_id).in_(planned),
    )
    if rep_id is not None:
        query = query.where(col(ActualEntry.rep_id) == rep_id)
    if path is not None:
        query = (
            query.join(Rep, col(Rep.id) == col(ActualEntry.rep_id))
            .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
            .where(col(OrgUnit.path).startswith(path, autoescape=True))
        )
    query = query.group_by(col(ActualEntry.day))
    return [(d, float(v)) for d, v in (await session.execute(query)).all()]


async def monthly_fingerprints(
    session: AsyncSession, metric_id: int, start: date, end: date
) -> dict[date, tuple[Any, ...]]:
    """Per month (``start <= month <= end``) of one metric's monthly actuals: the count and
    two sums (one weighted by rep), which change whenever a value does."""
    query = (
        sa_select(
            col(MonthlyActual.month),
            func.count(),
            func.sum(col(MonthlyActual.value)),
            func.sum(col(MonthlyActual.value) * col(MonthlyActual.rep_id)),
        )
        .where(
            col(MonthlyActual.metric_id) == metric_id,
            col(MonthlyActual.month) >= start,
            col(MonthlyActual.month) <= end,
        )
        .group_by(col(MonthlyActual.month))
    )
    return {m: (n, s, w) for m, n, s, w in (await session.execute(query)).all()}


async def entry_fingerprints(
    session: AsyncSession, metric_id: int, start: date, end: date
) -> list[tuple[date, int, float, Any]]:
    """Per day (``start <= day <= end``) of one metric's entries: count, sum and the latest
    recording (an update of a value, or of its day, changes it)."""
    query = (
        sa_select(
            col(ActualEntry.day),
            func.count(),
            func.sum(col(ActualEntry.value)),
            func.max(col(ActualEntry.recorded_at)),
        )
        .where(
            col(ActualEntry.metric_id) == metric_id,
            col(ActualEntry.day) >= start,
            col(ActualEntry.day) <= end,
        )
        .group_by(col(ActualEntry.day))
    )
    return [(d, n, s, t) for d, n, s, t in (await session.execute(query)).all()]


async def people_fingerprint(session: AsyncSession) -> tuple[Any, ...]:
    """What changes whenever a rep or an org unit is added, moved, renamed, re-ranked or
    leaves (versions count every edit; sums catch bulk writes that skip them)."""
    reps = sa_select(
        func.count(),
        func.max(col(Rep.id)),
        func.sum(col(Rep.version)),
        func.sum(col(Rep.team_id) * col(Rep.id)),
        func.sum(col(Rep.rank_id) * col(Rep.id)),
        func.count(col(Rep.leave_date)),
        func.sum(func.length(col(Rep.name))),
    )
    units = sa_select(
        func.count(),
        func.max(col(OrgUnit.id)),
        func.sum(col(OrgUnit.version)),
        func.sum(func.length(col(OrgUnit.path))),
        func.sum(func.length(col(OrgUnit.name))),
    )
    ranks = sa_select(func.count(), func.sum(col(Rank.level) * col(Rank.id)))
    out: list[Any] = []
    for query in (reps, units, ranks):
        out += list((await session.execute(query)).one())
    return tuple(out)


async def people(
    session: AsyncSession,
) -> tuple[
    list[tuple[int, str, int, int, int | None, date | None]],
    list[tuple[int, int | None, str, str, str, int]],
    list[tuple[int, str, str, int]],
]:
    """Every rep (id, name, team, rank, region, leave date), org unit (id, parent, name, kind,
    path, depth) and rank (id, code, name, level), as plain tuples."""
    reps = sa_select(
        col(Rep.id),
        col(Rep.name),
        col(Rep.team_id),
        col(Rep.rank_id),
        col(Rep.region_id),
        col(Rep.leave_date),
    )
    units = sa_select(
        col(OrgUnit.id),
        col(OrgUnit.parent_id),
        col(OrgUnit.name),
        col(OrgUnit.kind),
        col(OrgUnit.path),
        col(OrgUnit.depth),
    )
    ranks = sa_select(col(Rank.id), col(Rank.code), col(Rank.name), col(Rank.level))
    return (
        [tuple(r) for r in (await session.execute(reps)).all()],
        [tuple(r) for r in (await session.execute(units)).all()],
        [tuple(r) for r in (await session.execute(ranks)).all()],
    )


async def additive_metrics(session: AsyncSession) -> list[Metric]:
    query = select(Metric).where(col(Metric.kind) == "additive").order_by(col(Metric.id))
    return list((await session.exec(query)).all())


async def latest_ids(session: AsyncSession) -> tuple[Any, ...]:
    """The newest id of the audit log and of the tables progress reads (index lookups only):
    unchanged, nothing was added, and nothing changed through a service (they audit)."""
    tables = (AuditEntry, MonthlyActual, ActualEntry, Rep, OrgUnit, Target)
    query = sa_select(*(sa_select(func.max(col(t.id))).scalar_subquery() for t in tables))
    return tuple((await session.execute(query)).one())
