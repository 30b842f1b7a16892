"""One demo account per role, each scoped to a real part of the demo company."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Rep, User
from backend.services.passwords import hash_password

# A reserved test domain (RFC 2606): demo e-mails reach only a server configured for them.
DEMO_MAIL_DOMAIN = "demo.quotient.test"
DEMO_ROLES = (
    ("admin", "admin"),
    ("planner", "hq_planner"),
    ("branch", "branch_manager"),
    ("lead", "team_lead"),
    ("rep", "rep"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    sees: str


async def create_demo_users(session: AsyncSession) -> list[DemoAccount]:
    """admin, HQ planner, a branch manager, a team lead of that branch and one of its reps."""
    branch, team, reps = await demo_team(session)
    rep = reps[0]
    placement = {
        "admin": (None, None, "everything, and manages users and the rank ladder"),
        "hq_planner": (None, None, "the whole company; plans and approves"),
        "branch_manager": (branch.id, None, f"branch {branch.name} only"),
        "team_lead": (team.id, None, f"team {team.name} only"),
        "rep": (None, rep.id, f"{rep.name}'s own record only"),
    }
    accounts = []
    for username, role in DEMO_ROLES:
        scope_id, rep_id, sees = placement[role]
        password = demo_password(username)
        session.add(
            User(
                username=username,
                display_name=username.title(),
                email=f"{username}@{DEMO_MAIL_DOMAIN}",
                role=role,
                password_hash=hash_password(password),
                scope_org_id=scope_id,
                rep_id=rep_id,
            )
        )
        accounts.append(DemoAccount(username, password, role, sees))
    await session.flush()
    return accounts


async def demo_team(session: AsyncSession) -> tuple[OrgUnit, OrgUnit, list[Rep]]:
    """The demo branch, its first team (the team lead's) and that team's current reps in id
    order (the first is the demo rep)."""
    branch = await _first(session, "branch")
    team = (
        await session.exec(
            select(OrgUnit)
            .where(OrgUnit.parent_id == branch.id, OrgUnit.kind == "team")
            .order_by(col(OrgUnit.id))
        )
    ).first()
    assert team is not None
    reps = (
        await session.exec(
            select(Rep)
            .where(Rep.team_id == team.id, col(Rep.leave_date).is_(None))
            .order_by(col(Rep.id))
        )
    ).all()
    assert reps
    return branch, team, list(reps)


async def _first(session: AsyncSession, kind: str) -> OrgUnit:
    unit = (
        await session.exec(select(OrgUnit).where(OrgUnit.kind == kind).order_by(col(OrgUnit.id)))
    ).first()
    assert unit is not None, f"the company has no {kind}"
    return unit


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"
