"""API tokens never reach beyond their own scope and actions nor their owner's current ones.

A token's reach is, at every use, the intersection of what it was minted with and what its
owner (the user who minted it) holds now. A token whose scope no longer overlaps its owner's
is refused like a revoked one: the caller is anonymous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import User
from tests.backend.conftest import GraphQLClient
from tests.backend.security.world import REP_COUNT, World, build_world
from tests.factories import make_user

MINT = """mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { id actions } errors { field code message } } }"""
REACH = "{ me { role via actions } reps(first: 100) { totalCount } }"
ME = "{ me { role via actions } }"
CHANGE_ROLE = """mutation($id: ID!, $v: Int!, $role: String!, $scope: ID, $rep: ID) {
  changeUserRole(input: {userId: $id, expectedVersion: $v, role: $role, scopeOrgId: $scope,
  repId: $rep}) { user { role version } errors { field code message } } }"""

ClientFactory = Callable[[dict[str, str]], Awaitable[GraphQLClient]]
SignIn = Callable[[User], Awaitable[GraphQLClient]]


async def mint(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(MINT, input=fields))["createApiToken"]
    return payload


async def bearer(client_factory: ClientFactory, payload: dict[str, Any]) -> GraphQLClient:
    assert payload["errors"] == [], payload["errors"]
    return await client_factory({"authorization": f"Bearer {payload['token']}"})


async def reach(client: GraphQLClient) -> int | None:
    """How many reps the caller sees; None when the caller is refused (anonymous)."""
    body = await client.execute(REACH)
    if body["data"] is None or body["data"].get("reps") is None:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", body
        return None
    count: int = body["data"]["reps"]["totalCount"]
    return count


async def move(admin: GraphQLClient, user: User, role: str, **where: str) -> None:
    changed = await admin.data(CHANGE_ROLE, id=str(user.id), v=user.version, role=role, **where)
    assert changed["changeUserRole"]["errors"] == [], changed


async def test_a_subtree_token_mints_only_tokens_inside_its_subtree(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory
) -> None:
    world = await build_world(session)
    planner = await sign_in_as(world.users["hq_planner"])
    north = str(world.ids["north_branch"])
    minter = await bearer(
        client_factory,
        await mint(planner, name="minter", actions=["read", "manage_tokens"], scopeOrgId=north),
    )
    assert await reach(minter) == REP_COUNT["branch_manager"]

    child = await bearer(client_factory, await mint(minter, name="child", actions=["read"]))
    wider = await mint(minter, name="wide", actions=["read"], scopeOrgId=str(world.company.root.id))
    sideways = await mint(
        minter, name="side", actions=["read"], scopeOrgId=str(world.ids["south_branch"])
    )

    assert await reach(child) == REP_COUNT["branch_manager"]  # not all 12
    assert wider["token"] is None and wider["errors"][0]["code"] == "FORBIDDEN"
    assert wider["errors"][0]["field"] == "scopeOrgId"
    assert sideways["token"] is None and sideways["errors"][0]["code"] == "FORBIDDEN"


async def test_a_token_grants_no_action_its_minter_lacks_and_says_which(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory
) -> None:
    world = await build_world(session)
    manager = await sign_in_as(world.users["branch_manager"])
    by_session = await mint(manager, name="x", actions=["read", "manage_users"])
    minter = await bearer(
        client_factory, await mint(manager, name="m", actions=["read", "manage_tokens"])
    )
    by_token = await mint(minter, name="y", actions=["read", "manage_reps"])

    for refused in (by_session, by_token):
        assert refused["token"] is None
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [("actions[1]", "FORBIDDEN")]


async def test_moving_the_owner_to_another_branch_never_widens_the_token(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory, api: GraphQLClient
) -> None:
    world = await build_world(session)
    owner = world.users["branch_manager"]
    manager = await sign_in_as(owner)
    team0 = str(world.ids["north_team0"])
    explicit = await bearer(
        client_factory, await mint(manager, name="team", actions=["read"], scopeOrgId=team0)
    )
    implicit = await bearer(client_factory, await mint(manager, name="branch", actions=["read"]))
    assert await reach(explicit) == REP_COUNT["team_lead"]
    assert await reach(implicit) == REP_COUNT["branch_manager"]

    await move(api, owner, "branch_manager", scope=str(world.ids["south_branch"]))

    assert await reach(explicit) is None  # disjoint: refused, not widened to the South branch
    assert await reach(implicit) is None
    assert (await explicit.data(ME))["me"]["role"] is None


async def test_a_demoted_owner_narrows_the_token_to_the_owners_scope_and_actions(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory, api: GraphQLClient
) -> None:
    world = await build_world(session)
    owner = world.users["branch_manager"]
    manager = await sign_in_as(owner)
    token = await bearer(
        client_factory, await mint(manager, name="t", actions=["read", "manage_reps"])
    )
    assert "manage_reps" in (await token.data(ME))["me"]["actions"]

    await move(api, owner, "team_lead", scope=str(world.ids["north_team0"]))

    assert await reach(token) == REP_COUNT["team_lead"]
    assert (await token.data(ME))["me"]["actions"] == ["read", "sign_in"]


async def test_an_owner_who_becomes_a_rep_leaves_the_token_rep_scoped(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory, api: GraphQLClient
) -> None:
    world = await build_world(session)
    owner = world.users["branch_manager"]
    manager = await sign_in_as(owner)
    team0 = str(world.ids["north_team0"])
    scoped = await bearer(
        client_factory, await mint(manager, name="a", actions=["read"], scopeOrgId=team0)
    )
    whole = await bearer(client_factory, await mint(manager, name="b", actions=["read"]))

    await move(api, owner, "rep", rep=str(world.ids["n01"]))

    assert await reach(scoped) == REP_COUNT["rep"]
    assert await reach(whole) == REP_COUNT["rep"]


async def test_a_token_lists_and_revokes_only_its_owners_tokens(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory
) -> None:
    world: World = await build_world(session)
    other_admin = await make_user(session, username="u-admin2", role="admin")
    await session.commit()
    theirs = await mint(await sign_in_as(other_admin), name="theirs", actions=["read"])
    admin = await sign_in_as(world.users["admin"])
    everyone = await admin.data("{ apiTokens { name } }")
    assert {t["name"] for t in everyone["apiTokens"]} == {"theirs"}  # a session of an admin

    token = await bearer(
        client_factory,
        await mint(admin, name="ops", actions=["read", "manage_tokens", "manage_users"]),
    )
    listed = await token.data("{ apiTokens { name } }")
    revoked = await token.data(
        "mutation($id: ID!) { revokeApiToken(id: $id) { apiToken { id } errors { code } } }",
        id=theirs["apiToken"]["id"],
    )
    assert [t["name"] for t in listed["apiTokens"]] == ["ops"]
    assert revoked["revokeApiToken"] == {"apiToken": None, "errors": [{"code": "NOT_FOUND"}]}


async def test_a_subtree_admin_token_changes_no_role_outside_its_subtree(
    session: AsyncSession, sign_in_as: SignIn, client_factory: ClientFactory
) -> None:
    world = await build_world(session)
    admin = await sign_in_as(world.users["admin"])
    token = await bearer(
        client_factory,
        await mint(
            admin,
            name="north-admin",
            actions=["read", "manage_users"],
            scopeOrgId=str(world.ids["north_branch"]),
        ),
    )
    planner = world.users["hq_planner"]
    demoted = await token.data(
        CHANGE_ROLE,
        id=str(planner.id),
        v=planner.version,
        role="rep",
        rep=str(world.ids["n01"]),
    )
    assert demoted["changeUserRole"]["user"] is None
    assert demoted["changeUserRole"]["errors"][0]["code"] in {"FORBIDDEN", "NOT_FOUND"}
    listed = await token.data("{ users { username } }")
    assert {u["username"] for u in listed["users"]} == {"u-branch", "u-lead", "u-rep"}
