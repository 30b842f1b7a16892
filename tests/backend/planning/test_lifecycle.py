"""Lifecycle with role checks, comments and audit; what-if, clones and comparisons."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.db.repositories import planning as repo
from backend.services.access import SYSTEM
from backend.services.planning import scenarios as scenario_service
from backend.services.planning.generation import generate_plan
from solver.planning import PlanInputs, PlanSettings
from solver.planning import what_if as solver_what_if
from tests.backend.conftest import GraphQLClient
from tests.backend.planning.conftest import Clients, new_plan
from tests.factories import SmallCompany

PLAN = "query($id: ID!) { plan(id: $id) { status version submittedBy approvedBy } }"
TRANSITION = """
mutation($input: PlanTransitionInput!) {
  %s(input: $input) { plan { status version } errors { code field message } }
}"""
OVERRIDE = """
mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) { result { value } errors { code message } }
}"""
WHAT_IF = """
query($input: WhatIfInput!) {
  whatIf(input: $input) {
    seconds
    conflicts { family message }
    metrics { metricCode goalA goalB commonProbability
              reps { repId a b delta probabilityB } ranks { rankCode reps a b } }
  }
}"""
CLONE = """
mutation($input: ClonePlanInput!) {
  clonePlan(input: $input) { plan { id status strategy } errors { code message } }
}"""
COMPARE = """
query($a: ID!, $b: ID!) {
  comparePlans(planA: $a, planB: $b) {
    metricCode goalA goalB reps { repId a b delta } ranks { rankCode reps a b }
  }
}"""
ASSESS = """
query($id: ID!) {
  rankAssessment(planId: $id) { rankCode reps promotions retentions demotions meanAttainment }
}"""
COMMENT = """
mutation($id: ID!, $body: String!) {
  commentOnPlan(planId: $id, body: $body) { comment { author body } errors { code } }
}"""
TRAIL = "query($id: ID!) { plan(id: $id) { auditTrail { actor action reason } comments { body } } }"


async def _move(api: GraphQLClient, action: str, plan_id: int, version: int) -> dict:
    data = await api.data(
        TRANSITION % action, input={"planId": str(plan_id), "expectedVersion": version}
    )
    payload: dict = data[action]
    return payload


async def _version(api: GraphQLClient, plan_id: int) -> int:
    version: int = (await api.data(PLAN, id=str(plan_id)))["plan"]["version"]
    return version


class TestLifecycle:
    async def test_goes_from_draft_to_closed_with_the_approver_never_the_submitter(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        planner, approver = await client_of("planner"), await client_of("approver")
        pid = generated_plan.id or 0
        submitted = await _move(planner, "submitPlan", pid, await _version(planner, pid))
        assert submitted["plan"]["status"] == "SUBMITTED"
        own = await _move(planner, "approvePlan", pid, submitted["plan"]["version"])
        assert [e["code"] for e in own["errors"]] == ["FORBIDDEN"]
        approved = await _move(approver, "approvePlan", pid, submitted["plan"]["version"])
        assert approved["plan"]["status"] == "APPROVED"
        active = await _move(approver, "activatePlan", pid, approved["plan"]["version"])
        closed = await _move(approver, "closePlan", pid, active["plan"]["version"])
        assert closed["plan"]["status"] == "CLOSED"
        plan = (await planner.data(PLAN, id=str(pid)))["plan"]
        assert plan["submittedBy"] == "planner" and plan["approvedBy"] == "approver"

    async def test_refuses_a_transition_out_of_order_or_on_a_stale_version(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        approver = await client_of("approver")
        pid = generated_plan.id or 0
        version = await _version(approver, pid)
        early = await _move(approver, "approvePlan", pid, version)
        assert [e["code"] for e in early["errors"]] == ["CONFLICT"]
        stale = await _move(approver, "submitPlan", pid, version - 1)
        assert [e["code"] for e in stale["errors"]] == ["STALE_VERSION"]

    async def test_a_team_lead_cannot_approve(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        planner, lead = await client_of("planner"), await client_of("lead")
        pid = generated_plan.id or 0
        submitted = await _move(planner, "submitPlan", pid, await _version(planner, pid))
        refused = await _move(lead, "approvePlan", pid, submitted["plan"]["version"])
        assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]

    async def test_an_active_plan_cannot_be_edited(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        planner, approver = await client_of("planner"), await client_of("approver")
        pid = generated_plan.id or 0
        v = (await _move(planner, "submitPlan", pid, await _version(planner, pid)))["plan"]
        v = (await _move(approver, "approvePlan", pid, v["version"]))["plan"]
        await _move(approver, "activatePlan", pid, v["version"])
        rep = planning_company.reps[0]
        data = await planner.data(
            OVERRIDE,
            input={
                "planId": str(pid),
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": 1.0,
                "expectedVersion": 1,
            },
        )
        errors = data["overrideTarget"]["errors"]
        assert [e["code"] for e in errors] == ["CONFLICT"] and "active" in errors[0]["message"]

    async def test_every_change_and_comment_lands_in_the_audit_trail(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        planner, lead = await client_of("planner"), await client_of("lead")
        pid = generated_plan.id or 0
        said = await lead.data(COMMENT, id=str(pid), body="My territory lost a key account")
        assert said["commentOnPlan"]["comment"]["author"] == "lead"
        await planner.data(
            TRANSITION % "submitPlan",
            input={
                "planId": str(pid),
                "expectedVersion": await _version(planner, pid),
                "reason": "ready",
            },
        )
        plan = (await planner.data(TRAIL, id=str(pid)))["plan"]
        actions = [e["action"] for e in plan["auditTrail"]]
        assert actions == ["create", "generate", "comment", "submit"]
        assert plan["auditTrail"][-1]["reason"] == "ready"
        assert plan["comments"] == [{"body": "My territory lost a key account"}]


class TestScenarios:
    async def test_what_if_computes_a_scenario_and_stores_nothing(
        self,
        session: AsyncSession,
        client_of: Clients,
        generated_plan: Plan,
        planning_company: SmallCompany,
    ) -> None:
        api = await client_of("planner")
        pid = generated_plan.id or 0
        before = [(t.id, t.value, t.version) for t in await repo.targets(session, pid)]
        trail = len(await repo.audit_trail(session, pid))
        goal = next(
            g.value
            for g in await repo.goals(session, pid)
            if g.source == "set" and g.metric_id == planning_company.metrics["revenue"].id
        )
        data = await api.data(
            WHAT_IF,
            input={
                "planId": str(pid),
                "strategy": "BY_ABILITY",
                "goals": [{"metricCode": "revenue", "value": goal * 0.95}],
            },
        )
        metrics = {m["metricCode"]: m for m in data["whatIf"]["metrics"]}
        revenue = metrics["revenue"]
        assert abs(sum(r["b"] for r in revenue["reps"]) - goal * 0.95) < 1e-3
        assert abs(sum(r["a"] for r in revenue["reps"]) - goal) < 1e-3
        assert data["whatIf"]["seconds"] < 5
        session.expire_all()
        assert [(t.id, t.value, t.version) for t in await repo.targets(session, pid)] == before
        assert len(await repo.audit_trail(session, pid)) == trail

    async def test_a_what_if_locking_more_than_the_goal_returns_conflicts(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[0]
        data = await api.data(
            WHAT_IF,
            input={
                "planId": str(generated_plan.id),
                "overrides": [{"repId": str(rep.id), "metricCode": "revenue", "value": 1e12}],
            },
        )
        assert data["whatIf"]["metrics"] == [] and data["whatIf"]["conflicts"]

    async def test_a_what_if_with_only_a_strategy_keeps_the_plans_constraints_and_locks(
        self,
        session: AsyncSession,
        generated_plan: Plan,
        planning_company: SmallCompany,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        constraints = PlanSettings(
            p_min=0.02, p_max=0.99, max_rise=1.5, rank_bounds=False, rank_step=0.01
        )
        generated_plan.constraints = {**generated_plan.constraints, **constraints.to_json()}
        rep, revenue = planning_company.reps[0], planning_company.metrics["revenue"]
        for t in await repo.targets(
            session, generated_plan.id or 0, metric_ids=[revenue.id or 0], rep_ids=[rep.id or 0]
        ):
            t.locked = True
            session.add(t)
        session.add(generated_plan)
        await session.commit()
        seen: dict[str, object] = {}

        def spy(inputs: PlanInputs, **changes: object) -> object:
            seen.update(changes, inputs=inputs)
            return solver_what_if(inputs, **changes)  # type: ignore[arg-type]

        monkeypatch.setattr(scenario_service, "solve_what_if", spy)
        await scenario_service.what_if(
            session, principal=SYSTEM, plan_id=generated_plan.id or 0, strategy="by_ability"
        )
        assert seen["constraints"] == replace(constraints, strategy="by_ability")
        inputs = seen["inputs"]
        assert isinstance(inputs, PlanInputs)
        assert (rep.id or 0) in inputs.metric("revenue").locks

    async def test_a_clone_with_another_strategy_is_generated_under_it(
        self, client_of: Clients, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        # A goal at the history's level: inside every rep's band, so strategies can differ
        # (10% above a flat history puts every rep at the band's edge under any strategy).
        generated_plan = await new_plan(session, planning_company, growth=0.0, name="Flat")
        await generate_plan(session, principal=SYSTEM, plan_id=generated_plan.id or 0)
        await session.commit()
        api = await client_of("planner")
        cloned = await api.data(
            CLONE,
            input={"planId": str(generated_plan.id), "name": "Equal split", "strategy": "EQUAL"},
        )
        clone = cloned["clonePlan"]["plan"]
        assert clone["status"] == "DRAFT" and clone["strategy"] == "EQUAL"
        data = await api.data(COMPARE, a=str(generated_plan.id), b=clone["id"])
        revenue = next(m for m in data["comparePlans"] if m["metricCode"] == "revenue")
        assert len(revenue["reps"]) == len(planning_company.reps)
        assert abs(sum(r["delta"] for r in revenue["reps"])) < 1e-3  # same goal, other split
        assert any(abs(r["delta"]) > 1 for r in revenue["reps"])
        assert sum(r["reps"] for r in revenue["ranks"]) == len(planning_company.reps)

    async def test_a_clone_without_changes_copies_the_targets(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("planner")
        cloned = await api.data(CLONE, input={"planId": str(generated_plan.id), "name": "Copy"})
        data = await api.data(
            COMPARE, a=str(generated_plan.id), b=cloned["clonePlan"]["plan"]["id"]
        )
        revenue = next(m for m in data["comparePlans"] if m["metricCode"] == "revenue")
        assert all(abs(r["delta"]) < 1e-9 for r in revenue["reps"])


class TestRankAssessment:
    async def test_expected_moves_add_up_to_the_reps_of_each_rank(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("planner")
        rows = (await api.data(ASSESS, id=str(generated_plan.id)))["rankAssessment"]
        assert [r["rankCode"] for r in rows] == ["S1", "S2"]
        for r in rows:
            assert abs(r["promotions"] + r["retentions"] + r["demotions"] - r["reps"]) < 1e-9
            assert 0.5 < r["meanAttainment"] < 1.5
        assert rows[-1]["promotions"] == 0  # no rank above the top one
        assert rows[0]["demotions"] == 0  # nor below the first

    async def test_is_the_same_on_every_call(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("planner")
        first = await api.data(ASSESS, id=str(generated_plan.id))
        assert await api.data(ASSESS, id=str(generated_plan.id)) == first


UPDATE = """
mutation($input: UpdatePlanInput!) {
  updatePlan(input: $input) {
    plan { version strategy constraints { pMin maxRise } goals(setOnly: true) { metricCode value } }
    errors { code field }
  }
}"""


class TestUpdatePlan:
    async def test_changes_goals_and_settings_and_refuses_a_stale_version(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("planner")
        pid = str(generated_plan.id)
        version = await _version(api, generated_plan.id or 0)
        change = {
            "planId": pid,
            "expectedVersion": version,
            "strategy": "BY_POTENTIAL",
            "constraints": {"pMin": 0.1, "maxRise": None},
            "goals": [{"metricCode": "revenue", "value": 4_000_000}],
            "reason": "board target",
        }
        data = (await api.data(UPDATE, input=change))["updatePlan"]
        assert data["errors"] == []
        plan = data["plan"]
        assert plan["strategy"] == "BY_POTENTIAL" and plan["version"] == version + 1
        assert plan["constraints"] == {"pMin": 0.1, "maxRise": None}
        assert plan["goals"] == [{"metricCode": "revenue", "value": 4_000_000}]
        stale = (await api.data(UPDATE, input=change))["updatePlan"]
        assert [e["code"] for e in stale["errors"]] == ["STALE_VERSION"]

    async def test_a_branch_manager_cannot_change_a_company_plan(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("branch")
        data = await api.data(
            UPDATE,
            input={"planId": str(generated_plan.id), "expectedVersion": 2, "name": "Mine"},
        )
        assert [e["code"] for e in data["updatePlan"]["errors"]] == ["FORBIDDEN"]
