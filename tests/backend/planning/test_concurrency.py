"""Optimistic concurrency on plans: concurrent writers with one version, exactly one wins."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.engine import session_factory
from backend.db.models import Plan
from backend.db.repositories import planning as repo
from backend.services.errors import DomainError, ErrorCode
from backend.services.planning.common import claim_version
from tests.backend.conftest import GraphQLClient
from tests.backend.planning.conftest import Clients
from tests.backend.planning.test_lifecycle import PLAN, TRANSITION, UPDATE
from tests.backend.planning.test_override import GRID, OVERRIDE, _rep, _team_totals
from tests.factories import SmallCompany


def _override(plan: Plan, rep_id: int, value: float, version: int) -> dict[str, Any]:
    return {
        "planId": str(plan.id),
        "repId": str(rep_id),
        "metricCode": "revenue",
        "value": value,
        "expectedVersion": version,
    }


async def _overrides(api: GraphQLClient, *inputs: dict[str, Any]) -> list[dict[str, Any]]:
    replies = await asyncio.gather(*(api.data(OVERRIDE, input=i) for i in inputs))
    return [r["overrideTarget"] for r in replies]


async def _grid(api: GraphQLClient, plan: Plan) -> dict[str, Any]:
    grid: dict[str, Any] = (await api.data(GRID, plan=str(plan.id), metric="revenue"))[
        "targetsGrid"
    ]
    return grid


def _codes(payloads: list[dict[str, Any]]) -> list[str]:
    return sorted(e["code"] for p in payloads for e in p["errors"])


def _assert_stored_is(grid: dict[str, Any], result: dict[str, Any]) -> None:
    """The stored targets of every rebalanced rep are what the winner returned."""
    months = len(grid["months"])
    for changed in result["rebalanced"]:
        i = grid["repIds"].index(changed["repId"])
        assert grid["values"][i * months : (i + 1) * months] == changed["months"]
        assert grid["versions"][i * months] == changed["version"]


class TestConcurrentOverrides:
    async def test_ten_overrides_with_one_version_let_exactly_one_through(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[0]
        grid = await _grid(api, generated_plan)
        _, months, version = _rep(grid, rep.id or 0)
        inputs = [
            _override(generated_plan, rep.id or 0, sum(months) * (1.01 + k / 100), version)
            for k in range(10)
        ]
        payloads = await _overrides(api, *inputs)
        winners = [p for p in payloads if p["result"] is not None]
        assert len(winners) == 1 and _codes(payloads) == ["STALE_VERSION"] * 9
        result = winners[0]["result"]
        after = await _grid(api, generated_plan)
        _assert_stored_is(after, result)
        assert abs(_team_totals(after, str(rep.team_id)) - result["nodeGoal"]) < 1e-6
        team = [i for i, t in enumerate(after["teamIds"]) if t == str(rep.team_id)]
        assert [after["repIds"][i] for i in team if after["locked"][i * 12]] == [str(rep.id)]

    async def test_two_reps_of_one_team_overridden_together_lose_nothing(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        first, second = planning_company.reps[0], planning_company.reps[2]
        assert first.team_id == second.team_id
        grid = await _grid(api, generated_plan)
        _, months_a, version_a = _rep(grid, first.id or 0)
        _, months_b, version_b = _rep(grid, second.id or 0)
        payloads = await _overrides(
            api,
            _override(generated_plan, first.id or 0, sum(months_a) * 1.1, version_a),
            _override(generated_plan, second.id or 0, sum(months_b) * 0.9, version_b),
        )
        winners = [p for p in payloads if p["result"] is not None]
        assert len(winners) == 1 and _codes(payloads) == ["STALE_VERSION"]
        result = winners[0]["result"]
        after = await _grid(api, generated_plan)
        _assert_stored_is(after, result)
        team = [i for i, t in enumerate(after["teamIds"]) if t == str(first.team_id)]
        assert [after["repIds"][i] for i in team if after["locked"][i * 12]] == [result["repId"]]


class TestConcurrentPlanChanges:
    async def test_five_updates_with_one_version_let_exactly_one_through(
        self, client_of: Clients, generated_plan: Plan
    ) -> None:
        api = await client_of("planner")
        version = (await api.data(PLAN, id=str(generated_plan.id)))["plan"]["version"]
        changes = [
            {"planId": str(generated_plan.id), "expectedVersion": version, "name": f"FY {k}"}
            for k in range(5)
        ]
        replies = await asyncio.gather(*(api.data(UPDATE, input=c) for c in changes))
        payloads = [r["updatePlan"] for r in replies]
        assert sum(p["plan"] is not None for p in payloads) == 1
        assert _codes(payloads) == ["STALE_VERSION"] * 4
        stored = (await api.data(PLAN, id=str(generated_plan.id)))["plan"]
        assert stored["version"] == version + 1

    async def test_a_submitted_plan_refuses_overrides_and_a_change_after_review_is_stale(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        planner, approver = await client_of("planner"), await client_of("approver")
        pid = str(generated_plan.id)
        version = (await planner.data(PLAN, id=pid))["plan"]["version"]
        submit = {"planId": pid, "expectedVersion": version}
        submitted = (await planner.data(TRANSITION % "submitPlan", input=submit))["submitPlan"]
        reviewed = submitted["plan"]["version"]
        rep = planning_company.reps[0]
        _, months, target_version = _rep(await _grid(planner, generated_plan), rep.id or 0)
        raised = _override(generated_plan, rep.id or 0, sum(months) * 1.5, target_version)
        refused = (await _overrides(planner, raised))[0]["errors"]
        assert [e["code"] for e in refused] == ["CONFLICT"]  # read-only until sent back
        # Sent back, changed and submitted again: the version the approver reviewed is stale.
        back = {"planId": pid, "expectedVersion": reviewed}
        returned = (await approver.data(TRANSITION % "returnPlan", input=back))["returnPlan"]
        assert returned["errors"] == []
        assert (await _overrides(planner, raised))[0]["errors"] == []
        again = {"planId": pid, "expectedVersion": returned["plan"]["version"] + 1}
        resubmitted = (await planner.data(TRANSITION % "submitPlan", input=again))["submitPlan"]
        assert resubmitted["errors"] == []
        approve = {"planId": pid, "expectedVersion": reviewed}
        stale = (await approver.data(TRANSITION % "approvePlan", input=approve))["approvePlan"]
        assert [e["code"] for e in stale["errors"]] == ["STALE_VERSION"]
        stored = (await planner.data(PLAN, id=pid))["plan"]
        assert stored["status"] == "SUBMITTED" and stored["version"] == reviewed + 3


class TestCompareAndSet:
    """The interleaving the concurrent tests may or may not hit, forced: both read, one writes."""

    async def test_a_plan_version_read_before_another_writers_commit_is_refused(
        self, engine: AsyncEngine, generated_plan: Plan
    ) -> None:
        sessions = session_factory(engine)
        async with sessions() as first, sessions() as second:
            mine = await repo.plan_by_id(first, generated_plan.id or 0)
            theirs = await repo.plan_by_id(second, generated_plan.id or 0)
            assert mine is not None and theirs is not None
            await claim_version(first, mine)
            await first.commit()
            with pytest.raises(DomainError) as refused:
                await claim_version(second, theirs, expected=generated_plan.version)
            assert refused.value.problems[0].code == ErrorCode.STALE_VERSION
            assert str(mine.version) in str(refused.value)

    async def test_target_rows_changed_since_they_were_read_are_not_overwritten(
        self, engine: AsyncEngine, generated_plan: Plan
    ) -> None:
        sessions = session_factory(engine)
        async with sessions() as first, sessions() as second:
            row = (await repo.targets(first, generated_plan.id or 0))[0]
            read = row.version
            change = {"id": row.id, "expected": read, "version": read + 1}
            assert await repo.swap_targets(first, [{**change, "value": 1.0}])
            await first.commit()
            assert not await repo.swap_targets(second, [{**change, "value": 2.0}])
            stored = (await repo.targets(second, generated_plan.id or 0))[0]
            assert (stored.value, stored.version) == (1.0, read + 1)
