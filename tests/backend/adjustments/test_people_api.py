"""People changes through the API: the policy on the plan, a leaver recorded as approved
adjustments, a reorganisation's counts, refusals as typed errors that write nothing."""

from __future__ import annotations

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest
from backend.db.repositories import planning as plan_repo
from tests.backend.adjustments.conftest import TODAY, Clients, World

POLICY = """mutation($p: ID!, $v: Int!, $policy: AdjustmentPolicy!) {
  setAdjustmentPolicy(planId: $p, expectedVersion: $v, policy: $policy) {
    plan { id adjustmentPolicy } errors { code field message } } }"""
LEAVING = """mutation($i: RecordRepLeavingInput!) { recordRepLeaving(input: $i) {
  requests { id kind reason status policy decidedBy metric goalRelief
             lines { repId month before proposed approved } }
  errors { code field message } } }"""
REORGANISE = """mutation($i: ReorganiseRepsInput!) { reorganiseReps(input: $i) {
  result { movedReps plans goalsMoved revisions } errors { code field message } } }"""


async def test_a_planner_sets_the_policy_and_a_leaver_is_recorded_under_it(
    session: AsyncSession, world: World, client_of: Clients
) -> None:
    planner = await client_of("planner")
    version = await plan_repo.plan_version(session, world.plan_id)
    set_ = await planner.data(POLICY, p=str(world.plan_id), v=version, policy="ASK")
    assert set_["setAdjustmentPolicy"]["errors"] == []
    assert set_["setAdjustmentPolicy"]["plan"]["adjustmentPolicy"] == "ASK"
    rep = world.company.reps[0]
    leaving = {
        "repId": str(rep.id),
        "expectedVersion": rep.version,
        "leaveDate": TODAY.isoformat(),
        "reason": "Moved abroad.",
    }
    out = (await planner.data(LEAVING, i=leaving))["recordRepLeaving"]
    assert out["errors"] == []
    assert sorted(r["metric"] for r in out["requests"]) == ["new_customers", "revenue"]
    assert {(r["kind"], r["reason"], r["status"], r["policy"]) for r in out["requests"]} == {
        ("PEOPLE_CHANGE", "LEAVING", "PENDING", "ASK")
    }
    assert all(r["lines"] for r in out["requests"])


async def test_a_reorganisation_reports_counts_and_a_refused_one_writes_nothing(
    session: AsyncSession, world: World, client_of: Clients
) -> None:
    c = world.company
    branch = await client_of("branch0")
    outside = {
        "moves": [{"repId": str(c.reps[0].id), "teamId": str(c.teams[2].id)}],
        "effectiveDate": TODAY.isoformat(),
        "reason": "Swap.",
    }
    refused = (await branch.data(REORGANISE, i=outside))["reorganiseReps"]
    assert refused["result"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID", "moves.0.teamId")]
    assert (await session.exec(select(func.count()).select_from(AdjustmentRequest))).one() == 0
    inside = {**outside, "moves": [{"repId": str(c.reps[0].id), "teamId": str(c.teams[1].id)}]}
    done = (await branch.data(REORGANISE, i=inside))["reorganiseReps"]
    assert done["errors"] == []
    result = done["result"]
    assert (result["movedReps"], result["plans"]) == (1, 1)
    assert result["revisions"] == 2 * (13 - TODAY.month)
    assert result["goalsMoved"] == 4  # both teams' goals, for two metrics
