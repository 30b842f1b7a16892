"""Use cases on reps: listing with filters, transfers and rank changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Rank, Rep, RepRankHistory
from backend.db.repositories import reps as rep_repo
from backend.db.repositories.reps import RepQuery
from backend.services import audit
from backend.services.access import EVERYTHING, Scope
from backend.services.adjustments import people_bulk
from backend.services.errors import DomainError, ErrorCode, Problems, not_found, stale


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
    old_path = await _team_path(session, rep) or ""
    rep.team_id = team_id
    rep.version += 1
    assert team is not None
    # the rep's targets in active plans move with the rep: their goals follow
    moved = people_bulk.Moved(rep_id, old_path, team.path)
    await people_bulk.move_in_plans(
        session, actor=actor, moves=[moved], effective=date.today(), reason=reason
    )
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
    old_rank = rep.rank_id
    rep.rank_id = rank_id
    rep.version += 1
    session.add(
        RepRankHistory(rep_id=rep_id, rank_id=rank_id, effective_from=effective_from, reason=reason)
    )
    # active plans follow: months from the effective one scaled by the new rank's baseline
    from backend.services.adjustments import people_rank  # it reads reps through this module

    await people_rank.follow_rank_change(
        session,
        actor=actor,
        rep_id=rep_id,
        old_rank_id=old_rank,
        new_rank_id=rank_id,
        effective=effective_from,
        reason=reason,
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


# --- imports: the same rules, one rep per row ------------------------------------------------


def import_snapshot(rep: Rep) -> dict[str, object]:
    return {
        "name": rep.name,
        "team_id": rep.team_id,
        "rank_id": rep.rank_id,
        "leave_date": str(rep.leave_date),
        "version": rep.version,
    }


async def _unit_path(session: AsyncSession, unit_id: int) -> str:
    unit = await session.get(OrgUnit, unit_id)
    return unit.path if unit else "/nowhere/"


async def _refuse_outside(
    session: AsyncSession, scope: Scope, rep_id: int | None, from_team: int | None, to_team: int
) -> str:
    """The destination team's path; a rep or a team outside the scope is refused (FORBIDDEN).

    An import reports such rows before it gets here; this is the rule itself, so no caller can
    change a rep it does not cover, nor move one out of its scope.
    """
    to_path = await _unit_path(session, to_team)
    from_path = await _unit_path(session, from_team) if from_team is not None else to_path
    inside = scope.covers_path(to_path) and (rep_id is None or scope.covers_rep(rep_id, from_path))
    if not inside or scope.nothing:
        raise DomainError.single(ErrorCode.FORBIDDEN, "the rep is outside your scope", "repId")
    return to_path


async def update_from_import(
    session: AsyncSession,
    *,
    actor: str,
    rep: Rep,
    changes: Mapping[str, Any],
    effective_from: date,
    scope: Scope = EVERYTHING,
    reason: str = "import",
) -> bool:
    """Apply an import row to a rep: name, team, region, rank, hire and leave dates.

    Audited with the team's org path (so only subscribers who see the rep hear of it); a new
    rank starts a rank history entry from ``effective_from``. False when nothing changed.
    """
    team_id = int(changes.get("team_id", rep.team_id))
    path = await _refuse_outside(session, scope, rep.id, rep.team_id, team_id)
    changed = {k: v for k, v in changes.items() if getattr(rep, k) != v}
    if not changed:
        return False
    before = import_snapshot(rep)
    if "rank_id" in changed:
        assert rep.id is not None
        session.add(
            RepRankHistory(
                rep_id=rep.id,
                rank_id=changed["rank_id"],
                effective_from=effective_from,
                reason=reason,
            )
        )
    for name, value in changed.items():
        setattr(rep, name, value)
    rep.version += 1
    await audit.record(
        session,
        actor=actor,
        action="update",
        org_path=path,
        entity="rep",
        entity_id=rep.id,
        before=before,
        after=import_snapshot(rep),
        reason=reason,
    )
    return True


async def create_from_import(
    session: AsyncSession,
    *,
    actor: str,
    rep: Rep,
    scope: Scope = EVERYTHING,
    reason: str = "import",
) -> Rep:
    """Add a new rep (its first rank from its hire date), audited at its team's org path."""
    path = await _refuse_outside(session, scope, None, None, rep.team_id)
    session.add(rep)
    await session.flush()
    assert rep.id is not None
    session.add(
        RepRankHistory(
            rep_id=rep.id, rank_id=rep.rank_id, effective_from=rep.hire_date, reason=reason
        )
    )
    await audit.record(
        session,
        actor=actor,
        action="create",
        org_path=path,
        entity="rep",
        entity_id=rep.id,
        before=None,
        after=import_snapshot(rep),
        reason=reason,
    )
    return rep
