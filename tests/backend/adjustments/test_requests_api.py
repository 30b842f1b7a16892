"""Adjustment requests over GraphQL: the rep's request with an attachment, the manager's
decision, who sees what, segregation of duties, and concurrent decisions."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.backend.adjustments.conftest import TODAY, Clients, World, rows_of
from tests.backend.conftest import GraphQLClient

FIELDS = """
  request {
    id status version kind reason reasonText effectiveDate requestedBy subjectRepId goalRelief
    proposal {
      requestedTotal sameDifficultyTotal goalRelief months
      subject { repId totalBefore totalAfter probabilityBefore probabilityAfter }
      absorbers { repId rep { name } totalBefore totalAfter probabilityAfter }
    }
    lines { repId month role before proposed approved }
  }
  errors { field code message }
"""
REQUEST = f"""
mutation($input: AdjustmentInput!, $attachment: Upload) {{
  requestAdjustment(input: $input, attachment: $attachment) {{ {FIELDS} }}
}}"""
DECIDE = f"""
mutation($input: DecideAdjustmentInput!) {{ decideAdjustment(input: $input) {{ {FIELDS} }} }}"""
LIST = """
query($toDecide: Boolean!) {
  adjustmentRequests(toDecide: $toDecide) { totalCount items { id subjectRepId status } }
}"""
HISTORY = """
query($plan: ID!, $rep: ID!) {
  targetHistory(planId: $plan, repId: $rep) { month before after source actor adjustmentId }
}"""
ATTACHMENT = """
query($id: ID!) { adjustmentAttachment(requestId: $id) { fileName contentType base64 } }"""


async def remaining_cut(session: AsyncSession, world: World, rep_id: int, share: float) -> float:
    revenue = world.company.metrics["revenue"].id or 0
    rows = await rows_of(session, world.plan_id, revenue, rep_id)
    left = sum(t.value for t in rows if t.month >= TODAY.replace(day=1))
    return sum(t.value for t in rows) - share * left


def request_input(world: World, rep_id: int, total: float) -> dict[str, Any]:
    return {
        "planId": str(world.plan_id),
        "repId": str(rep_id),
        "periodTotal": total,
        "reason": "KEY_ACCOUNT_LOST",
        "reasonText": "Our largest customer closed its local office.",
        "effectiveDate": TODAY.isoformat(),
    }


async def ask_with_file(api: GraphQLClient, variables: dict[str, Any]) -> dict[str, Any]:
    operations = {"query": REQUEST, "variables": {**variables, "attachment": None}}
    response = await api.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.attachment"]}),
        },
        files={"0": ("letter.pdf", b"%PDF-1.4 the customer's letter", "application/pdf")},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]["requestAdjustment"]


async def test_a_rep_asks_a_lead_approves_and_the_history_shows_both_versions(
    session: AsyncSession, world: World, client_of: Clients
) -> None:
    me = world.company.reps[0].id or 0
    total = await remaining_cut(session, world, me, 0.4)
    rep = await client_of("rep0")
    asked = await ask_with_file(rep, {"input": request_input(world, me, total)})
    assert asked["errors"] == []
    request = asked["request"]
    assert request["status"] == "PENDING" and request["requestedBy"] == "rep0"
    proposal = request["proposal"]
    assert proposal["subject"]["totalAfter"] == pytest.approx(total)
    assert proposal["absorbers"], "the team absorbs the cut"
    assert all(a["rep"] is None for a in proposal["absorbers"])  # a rep sees only themself
    file = (await rep.data(ATTACHMENT, id=request["id"]))["adjustmentAttachment"]
    assert base64.b64decode(file["base64"]).startswith(b"%PDF")

    lead = await client_of("lead0")
    waiting = (await lead.data(LIST, toDecide=True))["adjustmentRequests"]
    assert [i["id"] for i in waiting["items"]] == [request["id"]]
    assert (await rep.data(LIST, toDecide=True))["adjustmentRequests"]["totalCount"] == 0
    done = (
        await lead.data(
            DECIDE,
            input={
                "requestId": request["id"],
                "expectedVersion": request["version"],
                "approve": True,
                "reason": "Confirmed.",
            },
        )
    )["decideAdjustment"]
    assert done["errors"] == [] and done["request"]["status"] == "APPROVED"
    approved = [ln for ln in done["request"]["lines"] if ln["role"] == "SUBJECT"]
    assert sum(ln["approved"] for ln in approved) == pytest.approx(
        sum(ln["proposed"] for ln in approved)
    )
    history = (await rep.data(HISTORY, plan=str(world.plan_id), rep=str(me)))["targetHistory"]
    assert history and all(h["adjustmentId"] == request["id"] for h in history)
    assert all(h["before"] != h["after"] and h["actor"] == "lead0" for h in history)


async def test_scope_and_segregation_over_the_api(
    session: AsyncSession, world: World, client_of: Clients
) -> None:
    me = world.company.reps[0].id or 0
    rep = await client_of("rep0")
    asked = (
        await rep.data(
            REQUEST, input=request_input(world, me, await remaining_cut(session, world, me, 0.2))
        )
    )["requestAdjustment"]
    request = asked["request"]
    # another rep of the team and another branch's manager do not see it
    for outsider in ("rep1", "branch1"):
        api = await client_of(outsider)
        assert (await api.data(LIST, toDecide=False))["adjustmentRequests"]["totalCount"] == 0
        body = await api.execute(
            "query($id: ID!) { adjustmentRequest(id: $id) { id } }", id=request["id"]
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # a rep may not decide (the role lacks the action), another branch cannot find it
    body = await (await client_of("rep1")).execute(
        DECIDE,
        input={"requestId": request["id"], "expectedVersion": 1, "approve": True},
    )
    errors = body["data"]["decideAdjustment"]["errors"]
    assert [(e["code"], e["message"]) for e in errors] == [
        ("FORBIDDEN", "your role may not decide_adjustments")
    ]
    refused = (
        await (await client_of("branch1")).data(
            DECIDE, input={"requestId": request["id"], "expectedVersion": 1, "approve": True}
        )
    )["decideAdjustment"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("requestId", "NOT_FOUND")]
    # a rep asks only for themself
    other = world.company.reps[1].id or 0
    refused = (await rep.data(REQUEST, input=request_input(world, other, 1.0)))["requestAdjustment"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("repId", "NOT_FOUND")]


async def test_two_concurrent_decisions_one_wins(
    session: AsyncSession, world: World, client_of: Clients
) -> None:
    me = world.company.reps[0].id or 0
    rep = await client_of("rep0")
    request = (
        await rep.data(
            REQUEST, input=request_input(world, me, await remaining_cut(session, world, me, 0.3))
        )
    )["requestAdjustment"]["request"]
    deciders = [await client_of(name) for name in ("lead0", "branch0", "planner", "admin")]
    decide = {"requestId": request["id"], "expectedVersion": request["version"]}
    results = await asyncio.gather(
        *(
            api.data(DECIDE, input={**decide, "approve": k % 2 == 0, "reason": f"decider {k}"})
            for k, api in enumerate(deciders)
        )
    )
    payloads = [r["decideAdjustment"] for r in results]
    winners = [p for p in payloads if not p["errors"]]
    assert len(winners) == 1, payloads
    codes = {e["code"] for p in payloads if p["errors"] for e in p["errors"]}
    assert codes <= {"STALE_VERSION", "CONFLICT"}
    revenue = world.company.metrics["revenue"].id or 0
    mine = sum(t.value for t in await rows_of(session, world.plan_id, revenue, me))
    expected = request["proposal"]["subject"]
    if winners[0]["request"]["status"] == "APPROVED":
        assert mine == pytest.approx(expected["totalAfter"])
    else:
        assert mine == pytest.approx(expected["totalBefore"])
