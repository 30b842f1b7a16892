"""Optimistic concurrency on org units, reps and users: of N writers holding one version,
exactly one succeeds and the others get a typed STALE_VERSION (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import asyncio
from typing import Any

from backend.db.models import User
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany, make_user

WRITERS = 8
RENAME = """mutation($id: ID!, $name: String!) { updateOrgUnit(input: {id: $id,
  expectedVersion: 1, name: $name}) { orgUnit { name version } errors { code } } }"""
TRANSFER = """mutation($rep: ID!, $team: ID!) { transferRep(input: {repId: $rep,
  expectedVersion: 1, teamId: $team, reason: "race"}) { rep { team { id } } errors { code } } }"""
CHANGE_ROLE = """mutation($id: ID!, $scope: ID!) { changeUserRole(input: {userId: $id,
  expectedVersion: 1, role: "team_lead", scopeOrgId: $scope}) { user { version }
  errors { code } } }"""


def _outcomes(replies: list[dict[str, Any]], field: str) -> list[str]:
    return sorted(
        "ok" if r[field]["errors"] == [] else r[field]["errors"][0]["code"] for r in replies
    )


async def _race(api: GraphQLClient, query: str, variables: list[dict[str, Any]]) -> list[Any]:
    return list(await asyncio.gather(*(api.data(query, **v) for v in variables)))


async def test_concurrent_renames_with_one_version_let_exactly_one_through(
    api: GraphQLClient, company: SmallCompany
):
    unit = str(company.teams[0].id)
    names = [f"Team {i}" for i in range(WRITERS)]
    replies = await _race(api, RENAME, [{"id": unit, "name": n} for n in names])
    assert _outcomes(replies, "updateOrgUnit") == ["STALE_VERSION"] * (WRITERS - 1) + ["ok"]
    winner = next(r["updateOrgUnit"]["orgUnit"] for r in replies if r["updateOrgUnit"]["orgUnit"])
    stored = await api.data("query($id: ID!) { orgUnit(id: $id) { name version } }", id=unit)
    assert stored["orgUnit"] == winner == {"name": winner["name"], "version": 2}


async def test_concurrent_transfers_with_one_version_let_exactly_one_through(
    api: GraphQLClient, company: SmallCompany
):
    rep = str(company.reps[0].id)
    others = [t for t in company.teams if t.id != company.reps[0].team_id]
    teams = [str(others[i % len(others)].id) for i in range(WRITERS)]
    replies = await _race(api, TRANSFER, [{"rep": rep, "team": t} for t in teams])
    assert _outcomes(replies, "transferRep") == ["STALE_VERSION"] * (WRITERS - 1) + ["ok"]


async def test_concurrent_role_changes_with_one_version_let_exactly_one_through(
    api: GraphQLClient, company: SmallCompany, session: Any
):
    user: User = await make_user(session, username="racer", role="rep", rep=company.reps[1])
    await session.commit()
    scopes = [str(company.teams[i % len(company.teams)].id) for i in range(WRITERS)]
    replies = await _race(api, CHANGE_ROLE, [{"id": str(user.id), "scope": s} for s in scopes])
    assert _outcomes(replies, "changeUserRole") == ["STALE_VERSION"] * (WRITERS - 1) + ["ok"]
