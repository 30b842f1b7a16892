"""Queries on the org tree and regions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Region, Rep
from backend.db.repositories.reps import in_scope


async def all_units(session: AsyncSession) -> Sequence[OrgUnit]:
    result = await session.exec(select(OrgUnit).order_by(col(OrgUnit.path)))
    return result.all()


async def units_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, OrgUnit]:
    result = await session.exec(select(OrgUnit).where(col(OrgUnit.id).in_(ids)))
    return {u.id: u for u in result.all() if u.id is not None}


async def unit_by_code(session: AsyncSession, code: str) -> OrgUnit | None:
    result = await session.exec(select(OrgUnit).where(OrgUnit.code == code))
    return result.first()


async def children_of(session: AsyncSession, parent_ids: Sequence[int]) -> Sequence[OrgUnit]:
    query = (
        select(OrgUnit).where(col(OrgUnit.parent_id).in_(parent_ids)).order_by(col(OrgUnit.name))
    )
    return (await session.exec(query)).all()


async def subtree(session: AsyncSession, path_prefix: str) -> Sequence[OrgUnit]:
    query = select(OrgUnit).where(col(OrgUnit.path).startswith(path_prefix, autoescape=True))
    return (await session.exec(query)).all()


async def active_rep_counts_by_team(
    session: AsyncSession, *, scope_path: str | None = None, scope_rep_id: int | None = None
) -> dict[int, int]:
    query = in_scope(
        select(Rep.team_id, func.count()).where(col(Rep.leave_date).is_(None)),
        scope_path,
        scope_rep_id,
    ).group_by(col(Rep.team_id))
    return {team_id: n for team_id, n in (await session.exec(query)).all()}


async def all_regions(session: AsyncSession) -> Sequence[Region]:
    return (await session.exec(select(Region).order_by(col(Region.code)))).all()


async def regions_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Region]:
    result = await session.exec(select(Region).where(col(Region.id).in_(ids)))
    return {r.id: r for r in result.all() if r.id is not None}
