"""Feedback on targets through the API (giveFeedback, respondToFeedback, targetFeedback,
feedbackSummary): typed errors in payloads, the policy on each root field, scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Notification, TargetFeedback, User
from tests.backend.adjustments.feedback_world import FeedbackWorld, make_feedback_world
from tests.backend.conftest import GraphQLClient

FIELDS = """id planId repId repName metric authorRole author rating tags comment response
  respondedBy respondedAt createdAt version"""
GIVE = f"""mutation($input: GiveFeedbackInput!) {{ giveFeedback(input: $input) {{
  feedback {{ {FIELDS} }} errors {{ field code message }} }} }}"""
RESPOND = f"""mutation($input: RespondToFeedbackInput!) {{ respondToFeedback(input: $input) {{
  feedback {{ {FIELDS} }} errors {{ field code message }} }} }}"""
LIST = f"""query($planId: ID!, $repId: ID, $limit: Int = 50, $offset: Int = 0) {{
  targetFeedback(planId: $planId, repId: $repId, metric: "revenue", limit: $limit,
                 offset: $offset) {{
    totalCount items {{ {FIELDS} }} pageInfo {{ hasNextPage hasPreviousPage }} }} }}"""
SUMMARY = """query($planId: ID!, $by: FeedbackGrouping!) {
  feedbackSummary(planId: $planId, by: $by) { key label count tooLow fair tooHigh unreachable
    shareTooHigh topTags { tag count } respondedShare } }"""

Clients = Callable[[str], Awaitable[GraphQLClient]]


@pytest.fixture
async def world(session: AsyncSession) -> FeedbackWorld:
    return await make_feedback_world(session)


@pytest.fixture
def client_of(
    world: FeedbackWorld, sign_in_as: Callable[[User], Awaitable[GraphQLClient]]
) -> Clients:
    async def make(name: str) -> GraphQLClient:
        return await sign_in_as(world.users[name])

    return make


def view(world: FeedbackWorld, rep_id: int | None, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "planId": str(world.plan.id),
        "repId": str(rep_id),
        "rating": "TOO_HIGH",
        "tags": ["MARKET", "PIPELINE"],
        "comment": "Two key accounts moved to a competitor",
    }
    return {"input": values | overrides}


async def give(client: GraphQLClient, world: FeedbackWorld, rep_id: int | None, **kw: Any):
    out: dict[str, Any] = (await client.data(GIVE, **view(world, rep_id, **kw)))["giveFeedback"]
    return out


async def test_a_rep_gives_feedback_a_lead_responds_and_the_rep_reads_it(
    session: AsyncSession, world: FeedbackWorld, client_of: Clients
):
    rep_id = world.rep(0).id
    rep = await client_of("rep")
    given = await give(rep, world, rep_id)
    assert given["errors"] == []
    row = given["feedback"]
    assert (row["repName"], row["metric"], row["authorRole"], row["author"]) == (
        world.rep(0).name,
        "revenue",
        "REP",
        "rep",
    )
    assert (row["rating"], row["tags"], row["response"], row["version"]) == (
        "TOO_HIGH",
        ["MARKET", "PIPELINE"],
        None,
        1,
    )
    lead = await client_of("lead0")
    listed = (await lead.data(LIST, planId=str(world.plan.id)))["targetFeedback"]
    assert listed["totalCount"] == 1 and listed["items"][0]["id"] == row["id"]
    answer = {"feedbackId": row["id"], "expectedVersion": 1, "response": "Let us talk Monday"}
    done = (await lead.data(RESPOND, input=answer))["respondToFeedback"]
    assert done["errors"] == [] and done["feedback"]["respondedBy"] == "lead0"
    mine = (await rep.data(LIST, planId=str(world.plan.id)))["targetFeedback"]["items"]
    assert [(f["response"], f["version"]) for f in mine] == [("Let us talk Monday", 2)]
    rep_user = world.users["rep"].id
    kinds = (
        await session.exec(select(Notification.kind).where(col(Notification.user_id) == rep_user))
    ).all()
    assert list(kinds) == ["feedback_responded"]


async def test_a_refused_view_comes_back_as_typed_errors_and_writes_nothing(
    session: AsyncSession, world: FeedbackWorld, client_of: Clients
):
    rep = await client_of("rep")
    too_many = ["MARKET", "TERRITORY", "CUSTOMERS", "PRODUCT", "PIPELINE", "TEAM"]
    refused = await give(rep, world, world.rep(0).id, tags=too_many)
    assert refused["feedback"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("tags", "INVALID")]
    silent = await give(rep, world, world.rep(0).id, rating="UNREACHABLE", comment="")
    assert [(e["field"], e["code"]) for e in silent["errors"]] == [("comment", "INVALID")]
    other = await give(rep, world, world.rep(0, index=1).id)
    assert [(e["field"], e["code"]) for e in other["errors"]] == [("repId", "NOT_FOUND")]
    draft = await give(
        await client_of("branch0"), world, world.rep(0).id, planId=str(world.draft.id)
    )
    assert [(e["field"], e["code"]) for e in draft["errors"]] == [("planId", "CONFLICT")]
    bad_id = await give(rep, world, None, repId="abc")
    assert [(e["field"], e["code"]) for e in bad_id["errors"]] == [("repId", "INVALID")]
    unknown_tag = await rep.execute(GIVE, **view(world, world.rep(0).id, tags=["WEATHER"]))
    assert unknown_tag["errors"] and unknown_tag.get("data") is None
    assert (await session.exec(select(TargetFeedback))).all() == []


async def test_a_rep_may_not_respond_and_nobody_responds_to_their_own(
    world: FeedbackWorld, client_of: Clients
):
    branch0 = await client_of("branch0")
    row = (await give(branch0, world, world.rep(0).id))["feedback"]
    answer = {"feedbackId": row["id"], "expectedVersion": 1, "response": "ok"}
    by_rep = (await (await client_of("rep")).data(RESPOND, input=answer))["respondToFeedback"]
    assert by_rep["errors"][0]["code"] == "FORBIDDEN"  # the policy: reps do not decide
    own = (await branch0.data(RESPOND, input=answer))["respondToFeedback"]
    assert [(e["field"], e["code"]) for e in own["errors"]] == [("feedbackId", "FORBIDDEN")]
    lead = await client_of("lead0")
    assert (await lead.data(RESPOND, input=answer))["respondToFeedback"]["errors"] == []
    stale = (await lead.data(RESPOND, input=answer))["respondToFeedback"]
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [
        ("expectedVersion", "STALE_VERSION")
    ]


async def test_a_branch_manager_lists_and_summarises_only_their_branch(
    world: FeedbackWorld, client_of: Clients
):
    admin = await client_of("admin")
    await give(admin, world, world.rep(0).id, rating="UNREACHABLE", tags=["MARKET"])
    await give(admin, world, world.rep(0, team=1).id, rating="FAIR", tags=["MARKET", "TEAM"])
    await give(admin, world, world.rep(1).id, rating="TOO_LOW", tags=[])
    branch0 = await client_of("branch0")
    listed = (await branch0.data(LIST, planId=str(world.plan.id), limit=1))["targetFeedback"]
    assert listed["totalCount"] == 2 and listed["pageInfo"]["hasNextPage"] is True
    groups = (await branch0.data(SUMMARY, planId=str(world.plan.id), by="MANAGER"))[
        "feedbackSummary"
    ]
    assert [(g["label"], g["count"], g["unreachable"], g["fair"]) for g in groups] == [
        ("North Team 0 (lead0)", 1, 1, 0),
        ("North Team 1 (lead1)", 1, 0, 1),
    ]
    assert groups[0]["shareTooHigh"] == 1.0 and groups[0]["topTags"] == [
        {"tag": "MARKET", "count": 1}
    ]
    regions = (await admin.data(SUMMARY, planId=str(world.plan.id), by="REGION"))["feedbackSummary"]
    assert [(g["label"], g["count"], g["tooLow"]) for g in regions] == [
        ("North", 2, 0),
        ("South", 1, 1),
    ]


async def test_a_rep_does_not_see_a_draft_plans_feedback(world: FeedbackWorld, client_of: Clients):
    rep = await client_of("rep")
    body = await rep.execute(LIST, planId=str(world.draft.id))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
