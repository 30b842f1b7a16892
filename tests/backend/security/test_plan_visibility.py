"""Plans by role and state, and scope inside a visible plan (HTTP).

Company: Acme > North > North Branch > North Team 0/1, South likewise; a company-wide plan,
generated (a draft until a test approves it). Users: planner and approver (HQ), the North
branch manager, the North Team 0 lead and the rep North-0-0 (see ``tests/backend/planning``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ApiToken, Plan
from backend.services.access import SYSTEM
from backend.services.auth import digest, now_utc
from backend.services.planning.generation import generate_plan
from backend.services.planning.plans import NewPlan, create_plan
from tests.backend.conftest import GraphQLClient
from tests.backend.planning.conftest import People, add_history, approve, new_plan
from tests.factories import SmallCompany, make_small_company, make_user

PLANS = "{ plans { id status } }"
PLAN = "query($id: ID!) { plan(id: $id) { id status version } }"
GOALS = "query($id: ID!) { plan(id: $id) { goals { orgUnitId metricCode } } }"
TRAIL = """query($id: ID!) { plan(id: $id) { auditTrail { action after } } }"""
COMMENTS = "query($id: ID!) { plan(id: $id) { comments { body } } }"
NODES = """query($id: ID!) { plan(id: $id) {
  nodeSummaries(metricCode: "revenue") { key goal reps } } }"""
PEERS = """query($plan: ID!, $rep: ID!) {
  planPeers(planId: $plan, repId: $rep, metricCode: "revenue") { label repId isSelf } }"""
GRID = """query($plan: ID!) { targetsGrid(planId: $plan, metricCode: "revenue") {
  repIds versions values } }"""
COMMENT = """mutation($id: ID!, $body: String!) { commentOnPlan(planId: $id, body: $body) {
  comment { author } errors { code } } }"""
OVERRIDE = """mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) { errors { code message } } }"""
UPDATE = """mutation($input: UpdatePlanInput!) { updatePlan(input: $input) {
  errors { code message } } }"""
GENERATE = """mutation($id: ID!) { generatePlan(planId: $id) { errors { code message } } }"""
TRANSITION = """mutation($input: PlanTransitionInput!) {
  %s(input: $input) { plan { status version } errors { code message } } }"""

Clients = Callable[[str], Awaitable[GraphQLClient]]


@pytest.fixture
async def company(session: AsyncSession) -> SmallCompany:
    c = await make_small_company(session, months=0)
    await add_history(session, c)
    await session.commit()
    return c


@pytest.fixture
async def plan(session: AsyncSession, company: SmallCompany) -> Plan:
    plan = await new_plan(session, company)
    await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    await session.commit()
    return plan


@pytest.fixture
async def people(session: AsyncSession, company: SmallCompany) -> People:
    c = company
    users = {
        "admin": await make_user(session, username="admin", role="admin"),
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "approver": await make_user(session, username="approver", role="hq_planner"),
        "branch": await make_user(
            session, username="branch", role="branch_manager", scope=c.branches[0]
        ),
        "lead": await make_user(session, username="lead", role="team_lead", scope=c.teams[0]),
        "rep": await make_user(session, username="rep", role="rep", rep=c.reps[0]),
    }
    await session.commit()
    return People(users)


@pytest.fixture
def client_of(
    people: People,
    sign_in_as: Callable[[Any], Awaitable[GraphQLClient]],
) -> Clients:
    async def make(name: str) -> GraphQLClient:
        return await sign_in_as(people.users[name])

    return make


@pytest.fixture
async def read_only(
    session: AsyncSession,
    people: People,
    client_factory: Callable[[dict[str, str]], Awaitable[GraphQLClient]],
) -> GraphQLClient:
    """The branch manager's token with the read action only."""
    raw = "qt_visibility_read"
    session.add(
        ApiToken(
            user_id=people.users["branch"].id,
            name="read-only",
            prefix=raw[:10],
            token_hash=digest(raw),
            actions=["read"],
            expires_at=now_utc() + timedelta(days=1),
        )
    )
    await session.commit()
    return await client_factory({"authorization": f"Bearer {raw}"})


async def _visible(api: GraphQLClient, plan: Plan) -> bool:
    listed = {p["id"] for p in (await api.data(PLANS))["plans"]}
    one = (await api.data(PLAN, id=str(plan.id)))["plan"]
    assert (str(plan.id) in listed) == (one is not None)
    return one is not None


async def _override(api: GraphQLClient, admin: GraphQLClient, plan: Plan, rep: int) -> Any:
    grid = (await admin.data(GRID, plan=str(plan.id)))["targetsGrid"]
    row = grid["repIds"].index(str(rep))
    total = sum(grid["values"][row * 12 : row * 12 + 12])
    change = {
        "planId": str(plan.id),
        "repId": str(rep),
        "metricCode": "revenue",
        "value": round(total * 1.05),
        "expectedVersion": grid["versions"][row * 12],
    }
    return (await api.data(OVERRIDE, input=change))["overrideTarget"]["errors"]


class TestRolesByState:
    async def test_drafts_only_for_those_who_may_plan_or_approve(
        self, client_of: Clients, read_only: GraphQLClient, plan: Plan
    ) -> None:
        seen = {name: await _visible(await client_of(name), plan) for name in ("rep", "lead")}
        seen["read-only token"] = await _visible(read_only, plan)
        seen["branch"] = await _visible(await client_of("branch"), plan)
        assert seen == {"rep": False, "lead": True, "read-only token": False, "branch": True}

    async def test_an_approved_plan_is_seen_by_a_rep_and_a_read_only_token(
        self, session: AsyncSession, client_of: Clients, read_only: GraphQLClient, plan: Plan
    ) -> None:
        await approve(session, plan)
        assert await _visible(await client_of("rep"), plan)
        assert await _visible(read_only, plan)

    async def test_a_rep_never_sees_another_branchs_plan(
        self, session: AsyncSession, client_of: Clients, company: SmallCompany
    ) -> None:
        south = await create_plan(
            session,
            principal=SYSTEM,
            new=NewPlan("South FY", company.branches[1].id or 0, "year", 2026),
        )
        await approve(session, south)
        assert not await _visible(await client_of("rep"), south)
        assert not await _visible(await client_of("lead"), south)

    async def test_a_submitted_plan_is_read_only_until_returned(
        self, client_of: Clients, company: SmallCompany, plan: Plan
    ) -> None:
        planner, approver, lead = (
            await client_of("planner"),
            await client_of("approver"),
            await client_of("lead"),
        )
        pid = str(plan.id)
        version = (await planner.data(PLAN, id=pid))["plan"]["version"]
        submit = {"planId": pid, "expectedVersion": version}
        submitted = (await planner.data(TRANSITION % "submitPlan", input=submit))["submitPlan"]
        assert submitted["errors"] == []
        version = submitted["plan"]["version"]
        teammate = company.reps[1].id or 0
        assert [e["code"] for e in await _override(lead, planner, plan, teammate)] == ["CONFLICT"]
        update = {"planId": pid, "expectedVersion": version, "name": "Changed"}
        updated = (await planner.data(UPDATE, input=update))["updatePlan"]["errors"]
        assert [e["code"] for e in updated] == ["CONFLICT"]
        generated = (await planner.data(GENERATE, id=pid))["generatePlan"]["errors"]
        assert [e["code"] for e in generated] == ["CONFLICT"]
        back = {"planId": pid, "expectedVersion": version, "reason": "rework"}
        returned = (await approver.data(TRANSITION % "returnPlan", input=back))["returnPlan"]
        assert returned["plan"]["status"] == "DRAFT"
        assert await _override(lead, planner, plan, teammate) == []


class TestComments:
    async def test_commenting_needs_plan_or_approve_plan(
        self, session: AsyncSession, client_of: Clients, read_only: GraphQLClient, plan: Plan
    ) -> None:
        await approve(session, plan)
        pid = str(plan.id)
        for api in (await client_of("rep"), read_only):
            said = (await api.data(COMMENT, id=pid, body="mine"))["commentOnPlan"]
            assert [e["code"] for e in said["errors"]] == ["FORBIDDEN"]
        lead = await client_of("lead")
        said = (await lead.data(COMMENT, id=pid, body="fine by us"))["commentOnPlan"]
        assert said == {"comment": {"author": "lead"}, "errors": []}
        rep = await client_of("rep")
        assert (await rep.data(COMMENTS, id=pid))["plan"]["comments"] == []
        trail = (await rep.data(TRAIL, id=pid))["plan"]["auditTrail"]
        assert "comment" not in [e["action"] for e in trail]


class TestNestedScope:
    async def test_goals_only_of_units_in_scope(
        self, session: AsyncSession, client_of: Clients, company: SmallCompany, plan: Plan
    ) -> None:
        await approve(session, plan)
        c, pid = company, str(plan.id)
        north = {str(u.id) for u in (c.branches[0], c.teams[0], c.teams[1])}
        units = {}
        for name in ("planner", "branch", "lead", "rep"):
            goals = (await (await client_of(name)).data(GOALS, id=pid))["plan"]["goals"]
            units[name] = {g["orgUnitId"] for g in goals}
        assert str(c.root.id) in units["planner"] and len(units["planner"]) == 9
        assert units["branch"] == north
        assert units["lead"] == {str(c.teams[0].id)}
        assert units["rep"] == set()

    async def test_the_audit_trail_shows_only_overrides_of_ones_reps(
        self, client_of: Clients, company: SmallCompany, plan: Plan
    ) -> None:
        admin, branch = await client_of("admin"), await client_of("branch")
        south, north = company.reps[6].id or 0, company.reps[0].id or 0
        assert await _override(admin, admin, plan, south) == []
        assert await _override(admin, admin, plan, north) == []
        trail = (await branch.data(TRAIL, id=str(plan.id)))["plan"]["auditTrail"]
        overrides = [e["after"] for e in trail if e["action"] == "override_target"]
        assert [o["rep_id"] for o in overrides] == [north]
        north_reps = {r.id for r in company.reps[:6]}
        assert {c["rep_id"] for c in overrides[0]["changes"]} <= north_reps
        full = (await admin.data(TRAIL, id=str(plan.id)))["plan"]["auditTrail"]
        assert len([e for e in full if e["action"] == "override_target"]) == 2

    async def test_a_lead_sees_no_name_of_a_peer_in_another_team(
        self, client_of: Clients, company: SmallCompany, plan: Plan
    ) -> None:
        lead = await client_of("lead")
        me = company.reps[0]
        peers = (await lead.data(PEERS, plan=str(plan.id), rep=str(me.id)))["planPeers"]
        mine = {str(r.id) for r in company.reps[:3]}  # North Team 0
        named = {p["repId"] for p in peers if p["repId"] is not None}
        assert named and named <= mine
        others = {r.name for r in company.reps[3:]}
        assert not any(p["label"] in others for p in peers)
        assert len(peers) > len(named)  # the other team's peers are there, anonymised

    async def test_a_rep_sees_their_team_only_and_no_goal_in_node_summaries(
        self, session: AsyncSession, client_of: Clients, company: SmallCompany, plan: Plan
    ) -> None:
        await approve(session, plan)
        rep = await client_of("rep")
        nodes = (await rep.data(NODES, id=str(plan.id)))["plan"]["nodeSummaries"]
        assert nodes == [{"key": str(company.teams[0].id), "goal": None, "reps": 1}]
