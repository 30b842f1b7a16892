"""Sign-in, CSRF, lockout, API tokens (expiry, revocation, scope) and the security audit."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import col, select

from backend.app import create_app
from backend.db.models import ApiToken, AuditEntry
from backend.graphql.authn import CSRF_COOKIE, SESSION_COOKIE
from backend.services.auth import MAX_FAILED_SIGN_INS, now_utc
from backend.settings import Settings
from tests.backend.conftest import TEST_SETTINGS
from tests.factories import TEST_PASSWORD, make_user

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) {
  me { username role } csrfToken errors { code message } } }"""
ME = "{ me { username role via actions } }"
TOKEN = """mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  token apiToken { id prefix actions } errors { field code message } } }"""


def raw_client(engine, **kwargs) -> httpx.AsyncClient:
    app = create_app(kwargs.pop("settings", TEST_SETTINGS), engine=engine)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", **kwargs
    )


async def actions_logged(session) -> list[str]:
    rows = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    return [row.action for row in rows]


async def test_sign_in_sets_a_session_that_needs_the_csrf_header(engine, session, company):
    await make_user(session, username="ann", role="hq_planner")
    await session.commit()
    async with raw_client(engine) as client:
        body = (
            await client.post(
                "/graphql", json={"query": SIGN_IN, "variables": {"u": "ann", "p": TEST_PASSWORD}}
            )
        ).json()
        payload = body["data"]["signIn"]
        assert payload["me"] == {"username": "ann", "role": "hq_planner"}
        assert client.cookies[CSRF_COOKIE] == payload["csrfToken"]
        assert SESSION_COOKIE in client.cookies
        without = await client.post("/graphql", json={"query": ME})
        forged = await client.post(
            "/graphql", json={"query": ME}, headers={"x-csrf-token": "0" * 64}
        )
        good = await client.post(
            "/graphql", json={"query": ME}, headers={"x-csrf-token": payload["csrfToken"]}
        )
    assert without.status_code == forged.status_code == 403
    assert without.json()["errors"][0]["extensions"]["code"] == "CSRF"
    assert good.json()["data"]["me"]["via"] == "session"


async def test_signing_out_ends_the_session(engine, session, company):
    await make_user(session, username="ann", role="admin")
    await session.commit()
    async with raw_client(engine) as client:
        body = (
            await client.post(
                "/graphql", json={"query": SIGN_IN, "variables": {"u": "ann", "p": TEST_PASSWORD}}
            )
        ).json()
        stolen = client.cookies[SESSION_COOKIE]
        csrf = {"x-csrf-token": body["data"]["signIn"]["csrfToken"]}
        await client.post("/graphql", json={"query": "mutation { signOut { ok } }"}, headers=csrf)
    async with raw_client(engine, cookies={SESSION_COOKIE: stolen}) as replay:
        me = (await replay.post("/graphql", json={"query": ME}, headers=csrf)).json()
    assert me["data"]["me"]["role"] is None


async def test_repeated_failures_lock_the_account_and_every_attempt_is_audited(
    engine, session, company
):
    await make_user(session, username="bob", role="admin")
    await session.commit()
    async with raw_client(engine) as client:

        async def attempt(password: str) -> dict:
            response = await client.post(
                "/graphql", json={"query": SIGN_IN, "variables": {"u": "bob", "p": password}}
            )
            return response.json()["data"]["signIn"]

        for _ in range(MAX_FAILED_SIGN_INS):
            assert (await attempt("wrong-password"))["errors"][0]["message"] == (
                "wrong username or password"
            )
        locked = await attempt(TEST_PASSWORD)
    assert locked["me"] is None and "too many failed sign-ins" in locked["errors"][0]["message"]
    logged = await actions_logged(session)
    assert logged.count("sign_in_failed") == MAX_FAILED_SIGN_INS
    assert logged[-1] == "sign_in_refused_locked"


async def test_a_cross_site_socket_gets_no_session(engine, session, company):
    from starlette.requests import HTTPConnection

    from backend.graphql.authn import same_origin

    def connection(origin: str) -> HTTPConnection:
        headers = [(b"host", b"quotient.example"), (b"origin", origin.encode())]
        return HTTPConnection({"type": "websocket", "headers": headers, "path": "/graphql"})

    assert same_origin(connection("https://quotient.example"))
    assert not same_origin(connection("https://evil.example"))


async def test_tokens_work_until_revoked_or_expired_and_never_exceed_their_actions(
    engine, session, company, sign_in_as
):
    planner = await make_user(session, username="pat", role="hq_planner")
    await session.commit()
    ui = await sign_in_as(planner)
    created = (await ui.data(TOKEN, input={"name": "bi", "actions": ["read"]}))["createApiToken"]
    assert created["errors"] == [] and created["token"].startswith(created["apiToken"]["prefix"])
    bearer = {"authorization": f"Bearer {created['token']}"}
    async with raw_client(engine, headers=bearer) as integration:
        me = (await integration.post("/graphql", json={"query": ME})).json()["data"]["me"]
        assert me["via"] == "token" and "plan" not in me["actions"]
        write = (
            await integration.post(
                "/graphql",
                json={
                    "query": """mutation {
            transferRep(input: {repId: "1", expectedVersion: 1, teamId: "2", reason: "x"}) {
            errors { code } } }"""
                },
            )
        ).json()
        assert write["data"]["transferRep"]["errors"] == [{"code": "FORBIDDEN"}]
        revoked = await ui.data(
            "mutation($id: ID!) { revokeApiToken(id: $id) { errors { code } } }",
            id=created["apiToken"]["id"],
        )
        assert revoked["revokeApiToken"]["errors"] == []
        after = (await integration.post("/graphql", json={"query": ME})).json()["data"]["me"]
        assert after["role"] is None
    listed = await ui.data("{ apiTokens { name revokedAt lastUsedAt } }")
    assert listed["apiTokens"][0]["revokedAt"] and listed["apiTokens"][0]["lastUsedAt"]
    assert "token" not in str(listed).lower().replace("apitokens", "")

    second = (await ui.data(TOKEN, input={"name": "old", "actions": ["read"]}))["createApiToken"]
    token = (await session.exec(select(ApiToken).where(ApiToken.name == "old"))).one()
    token.expires_at = now_utc() - timedelta(seconds=1)
    await session.commit()
    async with raw_client(engine, headers={"authorization": f"Bearer {second['token']}"}) as c:
        assert (await c.post("/graphql", json={"query": ME})).json()["data"]["me"]["role"] is None
    logged = await actions_logged(session)
    assert logged.count("create_token") == 2 and "revoke_token" in logged


async def test_nobody_grants_beyond_their_own_actions_or_subtree(session, company, sign_in_as):
    manager = await make_user(
        session, username="bm", role="branch_manager", scope=company.branches[0]
    )
    await session.commit()
    ui = await sign_in_as(manager)
    too_much = await ui.data(TOKEN, input={"name": "x", "actions": ["read", "manage_users"]})
    outside = await ui.data(
        TOKEN, input={"name": "y", "actions": ["read"], "scopeOrgId": str(company.branches[1].id)}
    )
    inside = await ui.data(
        TOKEN, input={"name": "z", "actions": ["read"], "scopeOrgId": str(company.teams[0].id)}
    )
    assert too_much["createApiToken"]["errors"][0]["field"] == "actions[1]"
    assert outside["createApiToken"]["errors"][0]["code"] == "FORBIDDEN"
    assert inside["createApiToken"]["errors"] == []


async def test_role_changes_are_audited_and_checked(session, company, api):
    data = await api.data(
        """mutation($rep: ID!) { createUser(input: {username: "r1",
        password: "long-enough-pw", role: "rep", repId: $rep}) { user { id version }
        errors { field code } } }""",
        rep=str(company.reps[0].id),
    )
    user = data["createUser"]["user"]
    promoted = await api.data(
        """mutation($id: ID!, $scope: ID!) { changeUserRole(input: {
        userId: $id, expectedVersion: 1, role: "team_lead", scopeOrgId: $scope}) {
        user { role version } errors { field code } } }""",
        id=user["id"],
        scope=str(company.teams[0].id),
    )
    assert promoted["changeUserRole"] == {"user": {"role": "team_lead", "version": 2}, "errors": []}
    logged = await actions_logged(session)
    assert "create_user" in logged and "change_role" in logged


async def test_production_turns_introspection_and_the_ide_off(engine):
    production = Settings(env="production", secret_key="p" * 40)
    query = {"query": "{ __schema { queryType { name } } }"}
    async with raw_client(engine, settings=production) as prod, raw_client(engine) as dev:
        assert "errors" in (await prod.post("/graphql", json=query)).json()
        assert (await dev.post("/graphql", json=query)).json()["data"]["__schema"]
        ide = await prod.get("/graphql", headers={"accept": "text/html"})
        dev_ide = await dev.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in ide.text.lower()
    assert "graphiql" in dev_ide.text.lower()


async def test_a_caller_learns_whether_signing_in_would_help(
    session, company, anonymous, sign_in_as
):
    rep = await make_user(session, username="ria", role="rep", rep=company.reps[0])
    await session.commit()
    signed_out = await anonymous.execute("{ reps(first: 5) { totalCount } }")
    not_allowed = await (await sign_in_as(rep)).execute("{ users { username } }")
    assert signed_out["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not_allowed["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_user_whose_scope_holds_no_unit_still_learns_who_they_are(
    session, company, sign_in_as
):
    unplaced = await make_user(session, username="ugo", role="rep")  # a rep with no rep linked
    await session.commit()
    body = await (await sign_in_as(unplaced)).execute("{ me { username scopeOrgUnit { id } } }")
    assert body["data"]["me"] == {"username": "ugo", "scopeOrgUnit": None}, body
    reps = await (await sign_in_as(unplaced)).execute("{ reps(first: 5) { totalCount } }")
    assert reps["data"]["reps"]["totalCount"] == 0
