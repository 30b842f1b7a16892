"""A small company with one user per role, and the access each role should have (the spec).

Org: Acme > North (region) > North Branch > North Team 0, North Team 1; South likewise.
The branch manager holds North Branch, the team lead North Team 0, the rep is North-0-0.
Expectations are written out by hand, not derived from the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import User
from tests.factories import SmallCompany, make_small_company, make_user

ROLES = ("admin", "hq_planner", "branch_manager", "team_lead", "rep")
UNITS = ("root", "north_region", "north_branch", "north_team0", "north_team1", "south_branch")
REPS = ("n00", "n01", "n10", "s00")
ALL = frozenset(UNITS) | frozenset(REPS)

READ_UNIT = {
    "admin": frozenset(UNITS),
    "hq_planner": frozenset(UNITS),
    "branch_manager": frozenset({"north_branch", "north_team0", "north_team1"}),
    "team_lead": frozenset({"north_team0"}),
    "rep": frozenset({"north_team0"}),
}
READ_REP = {
    "admin": frozenset(REPS),
    "hq_planner": frozenset(REPS),
    "branch_manager": frozenset({"n00", "n01", "n10"}),
    "team_lead": frozenset({"n00", "n01"}),
    "rep": frozenset({"n00"}),
}
RENAME_UNIT = {  # MANAGE_ORG, strictly inside one's scope
    "admin": frozenset(UNITS),
    "hq_planner": frozenset(),
    "branch_manager": frozenset({"north_team0", "north_team1"}),
    "team_lead": frozenset(),
    "rep": frozenset(),
}
TRANSFER_REP = {  # MANAGE_REPS, rep and destination team inside one's scope
    "admin": frozenset(REPS),
    "hq_planner": frozenset(REPS),
    "branch_manager": frozenset({"n00", "n01", "n10"}),
    "team_lead": frozenset(),
    "rep": frozenset(),
}
REP_COUNT = {"admin": 12, "hq_planner": 12, "branch_manager": 6, "team_lead": 3, "rep": 1}
UNIT_COUNT = {"admin": 9, "hq_planner": 9, "branch_manager": 3, "team_lead": 1, "rep": 1}


@dataclass
class World:
    company: SmallCompany
    users: dict[str, User]
    ids: dict[str, int]


async def build_world(session: AsyncSession) -> World:
    c = await make_small_company(session)
    ids = {
        "root": c.root.id,
        "north_region": c.regions[0].id,
        "north_branch": c.branches[0].id,
        "north_team0": c.teams[0].id,
        "north_team1": c.teams[1].id,
        "south_branch": c.branches[1].id,
        "n00": c.reps[0].id,
        "n01": c.reps[1].id,
        "n10": c.reps[3].id,
        "s00": c.reps[6].id,
    }
    users = {
        "admin": await make_user(session, username="u-admin", role="admin"),
        "hq_planner": await make_user(session, username="u-hq", role="hq_planner"),
        "branch_manager": await make_user(
            session, username="u-branch", role="branch_manager", scope=c.branches[0]
        ),
        "team_lead": await make_user(
            session, username="u-lead", role="team_lead", scope=c.teams[0]
        ),
        "rep": await make_user(session, username="u-rep", role="rep", rep=c.reps[0]),
    }
    await session.commit()
    return World(company=c, users=users, ids={k: int(v or 0) for k, v in ids.items()})


def transfer_destination(rep: str) -> str:
    """Move each rep to the other North team (South reps too: a cross-branch move)."""
    return "north_team0" if rep == "n10" else "north_team1"
