"""Use cases on the org tree: create, rename and move units, rep counts per subtree."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Region
from backend.db.repositories import org as org_repo
from backend.services import audit, text
from backend.services.access import EVERYTHING, Scope
from backend.services.errors import DomainError, ErrorCode, Problems, not_found, stale

ORG_KINDS = ("company", "region", "branch", "team")
MAX_NAME_LENGTH = 200  # the columns' widths
MAX_CODE_LENGTH = 64


def snapshot(unit: OrgUnit) -> dict[str, object]:
    return {"name": unit.name, "code": unit.code, "kind": unit.kind, "parent_id": unit.parent_id}


async def get_unit(session: AsyncSession, unit_id: int, scope: Scope = EVERYTHING) -> OrgUnit:
    """A unit inside the scope; one outside it is reported as missing (no existence leak)."""
    unit = await session.get(OrgUnit, unit_id)
    if unit is None or not scope.covers_path(unit.path):
        raise not_found("Org unit", unit_id)
    return unit


async def list_units(session: AsyncSession, scope: Scope = EVERYTHING) -> Sequence[OrgUnit]:
    return [u for u in await org_repo.all_units(session) if scope.covers_path(u.path)]


async def list_regions(session: AsyncSession) -> Sequence[Region]:
    return await org_repo.all_regions(session)


async def subtree_rep_counts(session: AsyncSession, scope: Scope = EVERYTHING) -> dict[int, int]:
    """Active reps (that the scope sees) in each unit's subtree, from one grouped query."""
    per_team = await org_repo.active_rep_counts_by_team(
        session, scope_path=scope.org_path, scope_rep_id=scope.rep_id
    )
    counts: dict[int, int] = {}
    for unit in await org_repo.all_units(session):
        assert unit.id is not None
        counts.setdefault(unit.id, 0)
        n = per_team.get(unit.id, 0)
        for ancestor in _path_ids(unit.path):
            counts[ancestor] = counts.get(ancestor, 0) + n
    return counts


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


async def create_unit(
    session: AsyncSession,
    *,
    actor: str,
    parent_id: int,
    name: str,
    code: str,
    kind: str,
    scope: Scope = EVERYTHING,
) -> OrgUnit:
    problems = Problems()
    name = text.clean_name(name, field="name", problems=problems, max_length=MAX_NAME_LENGTH)
    before = len(problems.items)
    code = text.clean_identifier(
        code, field="code", problems=problems, max_length=MAX_CODE_LENGTH, label="code"
    )
    if len(problems.items) == before and await org_repo.unit_by_code(session, code):
        problems.invalid("code", f"code {code!r} is already used by another unit")
    if kind not in ORG_KINDS or kind == "company":
        problems.invalid("kind", "kind must be one of region, branch, team")
    parent = await session.get(OrgUnit, parent_id)
    if parent is None or not scope.covers_path(parent.path):
        problems.invalid("parentId", f"parent org unit {parent_id} does not exist")
        parent = None
    elif parent.kind == "team":
        problems.invalid("parentId", "a team cannot contain other units")
    problems.raise_if_any()
    assert parent is not None and parent.id is not None
    unit = OrgUnit(
        parent_id=parent.id,
        name=name,
        code=code,
        kind=kind,
        region_code=parent.region_code,
        depth=parent.depth + 1,
    )
    session.add(unit)
    await session.flush()
    unit.path = f"{parent.path}{unit.id}/"
    await audit.record(
        session,
        actor=actor,
        action="create",
        entity="org_unit",
        entity_id=unit.id,
        before=None,
        after=snapshot(unit),
        org_path=unit.path,
    )
    return unit


async def update_unit(
    session: AsyncSession,
    *,
    actor: str,
    unit_id: int,
    expected_version: int,
    name: str | None = None,
    parent_id: int | None = None,
    scope: Scope = EVERYTHING,
) -> OrgUnit:
    unit = await get_unit(session, unit_id, scope)
    if scope.org_path == unit.path:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "the root of your own scope can only be changed above you", "id"
        )
    if unit.version != expected_version:
        raise stale("Org unit", unit.version)
    before = snapshot(unit)
    problems = Problems()
    if name is not None:
        name = text.clean_name(name, field="name", problems=problems, max_length=MAX_NAME_LENGTH)
    new_parent = None
    if parent_id is not None and parent_id != unit.parent_id:
        new_parent = await _valid_new_parent(session, unit, parent_id, problems, scope)
    problems.raise_if_any()
    if name is not None:
        unit.name = name
    if new_parent is not None:
        await _move(session, unit, new_parent)
    unit.version += 1
    await audit.record(
        session,
        actor=actor,
        action="update",
        entity="org_unit",
        entity_id=unit.id,
        before=before,
        after=snapshot(unit),
        org_path=unit.path,
    )
    return unit


async def _valid_new_parent(
    session: AsyncSession, unit: OrgUnit, parent_id: int, problems: Problems, scope: Scope
) -> OrgUnit | None:
    parent = await session.get(OrgUnit, parent_id)
    if parent is None or not scope.covers_path(parent.path):
        problems.invalid("parentId", f"parent org unit {parent_id} does not exist")
    elif parent.path.startswith(unit.path):
        problems.invalid("parentId", "a unit cannot move under itself or its own subtree")
    elif parent.kind == "team":
        problems.invalid("parentId", "a team cannot contain other units")
    elif unit.kind == "company":
        problems.invalid("parentId", "the company is the root and cannot move")
    return parent


async def _move(session: AsyncSession, unit: OrgUnit, parent: OrgUnit) -> None:
    """Re-root the unit's subtree: rewrite each descendant's path prefix and depth."""
    old_prefix, new_prefix = unit.path, f"{parent.path}{unit.id}/"
    depth_shift = parent.depth + 1 - unit.depth
    for node in await org_repo.subtree(session, old_prefix):
        node.path = new_prefix + node.path[len(old_prefix) :]
        node.depth += depth_shift
    unit.parent_id = parent.id
