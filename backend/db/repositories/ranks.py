"""Queries on the rank ladder, its settings versions and metrics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Rank, RankMetricSetting, RankSettingsVersion, Rep
from backend.db.repositories.reps import in_scope


async def all_ranks(session: AsyncSession) -> Sequence[Rank]:
    return (await session.exec(select(Rank).order_by(col(Rank.level)))).all()


async def ranks_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Rank]:
    result = await session.exec(select(Rank).where(col(Rank.id).in_(ids)))
    return {r.id: r for r in result.all() if r.id is not None}


async def rank_by_code(session: AsyncSession, code: str) -> Rank | None:
    return (await session.exec(select(Rank).where(Rank.code == code))).first()


async def all_metrics(session: AsyncSession) -> Sequence[Metric]:
    return (await session.exec(select(Metric).order_by(col(Metric.id)))).all()


async def metrics_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Metric]:
    result = await session.exec(select(Metric).where(col(Metric.id).in_(ids)))
    return {m.id: m for m in result.all() if m.id is not None}


async def versions_for_ranks(
    session: AsyncSession, rank_ids: Sequence[int]
) -> dict[int, list[RankSettingsVersion]]:
    """All versions per rank, newest first."""
    query = (
        select(RankSettingsVersion)
        .where(col(RankSettingsVersion.rank_id).in_(rank_ids))
        .order_by(col(RankSettingsVersion.version).desc())
    )
    grouped: dict[int, list[RankSettingsVersion]] = defaultdict(list)
    for version in (await session.exec(query)).all():
        grouped[version.rank_id].append(version)
    return grouped


def in_effect(versions: Sequence[RankSettingsVersion], on: date) -> RankSettingsVersion | None:
    """The newest version already in effect on a day, else the earliest one."""
    for version in versions:  # newest first
        if version.effective_from <= on:
            return version
    return versions[-1] if versions else None


async def metric_settings_for_versions(
    session: AsyncSession, settings_ids: Sequence[int]
) -> dict[int, list[RankMetricSetting]]:
    query = (
        select(RankMetricSetting)
        .where(col(RankMetricSetting.settings_id).in_(settings_ids))
        .order_by(col(RankMetricSetting.metric_id))
    )
    grouped: dict[int, list[RankMetricSetting]] = defaultdict(list)
    for setting in (await session.exec(query)).all():
        grouped[setting.settings_id].append(setting)
    return grouped


async def active_rep_counts_by_rank(
    session: AsyncSession, *, scope_path: str | None = None, scope_rep_id: int | None = None
) -> dict[int, int]:
    query = in_scope(
        select(Rep.rank_id, func.count()).where(col(Rep.leave_date).is_(None)),
        scope_path,
        scope_rep_id,
    ).group_by(col(Rep.rank_id))
    return {rank_id: n for rank_id, n in (await session.exec(query)).all()}
