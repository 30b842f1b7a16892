"""Roles x operations x owner of the object, over HTTP: no unexpected allow or denial."""

from __future__ import annotations

import pytest

from tests.backend.security.world import (
    READ_REP,
    READ_UNIT,
    RENAME_UNIT,
    REP_COUNT,
    REPS,
    ROLES,
    TRANSFER_REP,
    UNIT_COUNT,
    UNITS,
    build_world,
    transfer_destination,
)

UNIT = "query($id: ID!) { orgUnit(id: $id) { id version } }"
REP = "query($id: ID!) { rep(id: $id) { id version team { id } } }"
COUNTS = "{ reps(first: 100) { totalCount } orgUnits { id } }"
RENAME = """mutation($id: ID!, $v: Int!) { updateOrgUnit(input: {id: $id, expectedVersion: $v,
  name: "Renamed"}) { orgUnit { name } errors { code } } }"""
TRANSFER = """mutation($rep: ID!, $team: ID!, $v: Int!) { transferRep(input: {repId: $rep,
  expectedVersion: $v, teamId: $team, reason: "matrix"}) { rep { id } errors { code } } }"""


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_sees_exactly_its_scope(role, session, sign_in_as):
    world = await build_world(session)
    client = await sign_in_as(world.users[role])
    seen_units = {
        u for u in UNITS if (await client.data(UNIT, id=str(world.ids[u])))["orgUnit"] is not None
    }
    seen_reps = {
        r for r in REPS if (await client.data(REP, id=str(world.ids[r])))["rep"] is not None
    }
    counts = await client.data(COUNTS)
    assert seen_units == READ_UNIT[role]
    assert seen_reps == READ_REP[role]
    assert counts["reps"]["totalCount"] == REP_COUNT[role]
    assert len(counts["orgUnits"]) == UNIT_COUNT[role]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_changes_exactly_what_it_may(role, session, sign_in_as):
    world = await build_world(session)
    admin = await sign_in_as(world.users["admin"])
    client = await sign_in_as(world.users[role])
    renamed = set()
    for unit in UNITS:
        version = (await admin.data(UNIT, id=str(world.ids[unit])))["orgUnit"]["version"]
        payload = (await client.data(RENAME, id=str(world.ids[unit]), v=version))["updateOrgUnit"]
        if payload["errors"] == []:
            renamed.add(unit)
        else:
            assert payload["orgUnit"] is None
    moved = set()
    for rep in REPS:
        version = (await admin.data(REP, id=str(world.ids[rep])))["rep"]["version"]
        team = str(world.ids[transfer_destination(rep)])
        payload = await client.data(TRANSFER, rep=str(world.ids[rep]), team=team, v=version)
        if payload["transferRep"]["errors"] == []:
            moved.add(rep)
    assert renamed == RENAME_UNIT[role]
    assert moved == TRANSFER_REP[role]
    # Denied changes left no trace: unchanged names for units outside what the role may rename.
    names = {
        u: (
            await admin.data("query($id: ID!) { orgUnit(id: $id) { name } }", id=str(world.ids[u]))
        )["orgUnit"]["name"]
        for u in UNITS
    }
    assert {u for u, n in names.items() if n == "Renamed"} == RENAME_UNIT[role]


@pytest.mark.parametrize("role", ROLES)
async def test_only_administrators_manage_ranks_and_users(role, session, sign_in_as):
    world = await build_world(session)
    client = await sign_in_as(world.users[role])
    created = await client.data(
        """mutation($rep: ID!) { createUser(input: {username: "new-user",
           password: "long-enough-pw", role: "rep", repId: $rep}) {
           user { id } errors { code } } }""",
        rep=str(world.ids["n01"]),
    )
    rank = await client.data(
        'mutation { createRank(input: {code: "X1", name: "X", level: 9}) { errors { code } } }'
    )
    allowed = role == "admin"
    assert (created["createUser"]["errors"] == []) is allowed
    assert (rank["createRank"]["errors"] == []) is allowed
    if not allowed:
        assert created["createUser"]["errors"] == [{"code": "FORBIDDEN"}]
