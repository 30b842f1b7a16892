"""Queries on reps, their rank history and monthly actuals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, MonthlyActual, OrgUnit, Rank, Region, Rep, RepRankHistory

RepSortKey = Literal["name", "hire_date", "rank", "team", "external_id"]


@dataclass(frozen=True)
class RepQuery:
    """Filters and order for a page of reps; ``org_path`` selects a whole subtree."""

    org_path: str | None = None
    rank_codes: tuple[str, ...] = ()
    region_codes: tuple[str, ...] = ()
    search: str | None = None
    include_leavers: bool = False
    sort: RepSortKey = "name"
    descending: bool = False
    scope_path: str | None = None  # the caller's subtree; None = whole company
    scope_rep_id: int | None = None  # a rep sees only themself


def in_scope(query: Any, scope_path: str | None, scope_rep_id: int | None) -> Any:
    """Limit a query on reps to a caller's scope (used by every rep query)."""
    if scope_rep_id is not None:
        query = query.where(col(Rep.id) == scope_rep_id)
    if scope_path is not None:
        teams = select(OrgUnit.id).where(col(OrgUnit.path).startswith(scope_path))
        query = query.where(col(Rep.team_id).in_(teams))
    return query


def _filtered(query: Any, q: RepQuery) -> Any:
    query = in_scope(query, q.scope_path, q.scope_rep_id)
    if q.org_path:
        team_ids = select(OrgUnit.id).where(col(OrgUnit.path).startswith(q.org_path))
        query = query.where(col(Rep.team_id).in_(team_ids))
    if q.rank_codes:
        rank_ids = select(Rank.id).where(col(Rank.code).in_(q.rank_codes))
        query = query.where(col(Rep.rank_id).in_(rank_ids))
    if q.region_codes:
        region_ids = select(Region.id).where(col(Region.code).in_(q.region_codes))
        query = query.where(col(Rep.region_id).in_(region_ids))
    if q.search:
        pattern = f"%{q.search.strip().lower()}%"
        query = query.where(
            or_(func.lower(Rep.name).like(pattern), func.lower(Rep.external_id).like(pattern))
        )
    if not q.include_leavers:
        query = query.where(col(Rep.leave_date).is_(None))
    return query


def _ordered(query: Any, q: RepQuery) -> Any:
    if q.sort == "rank":
        query = query.join(Rank, col(Rank.id) == col(Rep.rank_id))
        key: Any = col(Rank.level)
    elif q.sort == "team":
        query = query.join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
        key = col(OrgUnit.name)
    else:
        key = col(getattr(Rep, q.sort))
    primary = key.desc() if q.descending else key.asc()
    tiebreak = col(Rep.id).desc() if q.descending else col(Rep.id).asc()
    return query.order_by(primary, tiebreak)


async def page_of_reps(
    session: AsyncSession, q: RepQuery, *, offset: int, limit: int
) -> Sequence[Rep]:
    query = _ordered(_filtered(select(Rep), q), q).offset(offset).limit(limit)
    rows: Sequence[Rep] = (await session.exec(query)).all()
    return rows


async def count_reps(session: AsyncSession, q: RepQuery) -> int:
    query = _filtered(select(func.count()).select_from(Rep), q)
    return int((await session.exec(query)).one())


async def reps_by_ids(
    session: AsyncSession,
    ids: Sequence[int],
    *,
    scope_path: str | None = None,
    scope_rep_id: int | None = None,
) -> dict[int, Rep]:
    query = in_scope(select(Rep).where(col(Rep.id).in_(ids)), scope_path, scope_rep_id)
    return {r.id: r for r in (await session.exec(query)).all() if r.id is not None}


async def rank_history(
    session: AsyncSession, rep_ids: Sequence[int]
) -> dict[int, list[RepRankHistory]]:
    query = (
        select(RepRankHistory)
        .where(col(RepRankHistory.rep_id).in_(rep_ids))
        .order_by(col(RepRankHistory.effective_from), col(RepRankHistory.id))
    )
    grouped: dict[int, list[RepRankHistory]] = defaultdict(list)
    for row in (await session.exec(query)).all():
        grouped[row.rep_id].append(row)
    return grouped


@dataclass(frozen=True)
class ActualRow:
    rep_id: int
    month: date
    metric_code: str
    value: float


async def actuals(
    session: AsyncSession,
    rep_ids: Sequence[int],
    *,
    metric_codes: Sequence[str] | None = None,
    from_month: date | None = None,
    to_month: date | None = None,
) -> dict[int, list[ActualRow]]:
    """Monthly actuals of many reps in one statement, ordered by month then metric."""
    query = (
        select(
            col(MonthlyActual.rep_id),
            col(MonthlyActual.month),
            col(Metric.code),
            col(MonthlyActual.value),
        )
        .join(Metric, col(Metric.id) == col(MonthlyActual.metric_id))
        .where(col(MonthlyActual.rep_id).in_(rep_ids))
        .order_by(col(MonthlyActual.month), col(Metric.id))
    )
    if metric_codes:
        query = query.where(col(Metric.code).in_(metric_codes))
    if from_month:
        query = query.where(col(MonthlyActual.month) >= from_month)
    if to_month:
        query = query.where(col(MonthlyActual.month) <= to_month)
    grouped: dict[int, list[ActualRow]] = defaultdict(list)
    for rep_id, month, code, value in (await session.exec(query)).all():
        grouped[rep_id].append(ActualRow(rep_id, month, code, value))
    return grouped
