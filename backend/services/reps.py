"""Use cases on reps: listing with filters, transfers and rank changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Rank, Rep, RepRankHistory
from backend.db.repositories import reps as rep_repo
from backend.db.repositories.reps import RepQuery
from backend.services import audit
from backend.services.access import EVERYTHING, Scope
from backend.services.errors import Problems, not_found, stale


def snapshot(rep: Rep) -> dict[str, object]:
    return {"team_id": rep.team_id, "rank_id": rep.rank_id, "version": rep.version}


async def get_rep(session: AsyncSession, rep_id: int, scope: Scope = EVERYTHING) -> Rep:
    """A rep inside the scope; one outside it is reported as missing (no existence leak)."""
    found = await rep_repo.reps_by_ids(
        session, [rep_id], scope_path=scope.org_path, scope_rep_id=scope.rep_id
    )
    if rep_id not in found or scope.nothing:
        raise not_found("Rep", rep_id, field="repId")
    return found[rep_id]


async def org_path(
    session: AsyncSession, org_unit_id: int | None, scope: Scope = EVERYTHING
) -> str | None:
    """The subtree path used to filter reps; an unknown or unseen unit is NOT_FOUND."""
    if org_unit_id is None:
        return None
    unit = await session.get(OrgUnit, org_unit_id)
    if unit is None or not scope.covers_path(unit.path):
        raise not_found("Org unit", org_unit_id, field="filter.orgUnitId")
    return unit.path


async def page(
    session: AsyncSession, query: RepQuery, *, offset: int, limit: int
) -> tuple[Sequence[Rep], int]:
    rows = await rep_repo.page_of_reps(session, query, offset=offset, limit=limit)
    return rows, await rep_repo.count_reps(session, query)


def _check_reason(reason: str, problems: Problems) -> None:
    if not reason.strip():
        problems.invalid("reason", "a reason is required for the audit trail")


async def transfer(
    session: AsyncSession,
    *,
    actor: str,
    rep_id: int,
    expected_version: int,
    team_id: int,
    reason: str,
    scope: Scope = EVERYTHING,
) -> Rep:
    rep = await get_rep(session, rep_id, scope)
    if rep.version != expected_version:
        raise stale("Rep", rep.version)
    problems = Problems()
    team = await session.get(OrgUnit, team_id)
    if team is None or not scope.covers_path(team.path):
        problems.invalid("teamId", f"org unit {team_id} does not exist")
    elif team.kind != "team":
        problems.invalid("teamId", f"{team.name} is a {team.kind}; reps belong to teams")
    elif team_id == rep.team_id:
        problems.invalid("teamId", "the rep is already in this team")
    _check_reason(reason, problems)
    problems.raise_if_any()
    before = snapshot(rep)
    rep.team_id = team_id
    rep.version += 1
    assert team is not None
    await audit.record(
        session,
        actor=actor,
        action="transfer",
        org_path=team.path,
        entity="rep",
        entity_id=rep.id,
        before=before,
        after=snapshot(rep),
        reason=reason,
    )
    return rep


async def change_rank(
    session: AsyncSession,
    *,
    actor: str,
    rep_id: int,
    expected_version: int,
    rank_id: int,
    effective_from: date,
    reason: str,
    scope: Scope = EVERYTHING,
) -> Rep:
    rep = await get_rep(session, rep_id, scope)
    if rep.version != expected_version:
        raise stale("Rep", rep.version)
    problems = Problems()
    if await session.get(Rank, rank_id) is None:
        problems.invalid("rankId", f"rank {rank_id} does not exist")
    elif rank_id == rep.rank_id:
        problems.invalid("rankId", "the rep already holds this rank")
    if effective_from < rep.hire_date:
        problems.invalid("effectiveFrom", "a rank change cannot precede the hire date")
    history = (await rep_repo.rank_history(session, [rep_id])).get(rep_id, [])
    if history and effective_from < history[-1].effective_from:
        problems.invalid(
            "effectiveFrom",
            f"must not precede the current rank's start ({history[-1].effective_from})",
        )
    _check_reason(reason, problems)
    problems.raise_if_any()
    before = snapshot(rep)
    rep.rank_id = rank_id
    rep.version += 1
    session.add(
        RepRankHistory(rep_id=rep_id, rank_id=rank_id, effective_from=effective_from, reason=reason)
    )
    await audit.record(
        session,
        actor=actor,
        action="change_rank",
        org_path=await _team_path(session, rep),
        entity="rep",
        entity_id=rep.id,
        before=before,
        after=snapshot(rep),
        reason=reason,
    )
    return rep


async def _team_path(session: AsyncSession, rep: Rep) -> str | None:
    team = await session.get(OrgUnit, rep.team_id)
    return team.path if team else None
