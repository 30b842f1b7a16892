"""Reading targets: the compact grid against nested objects, summaries, scoping and peers."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.services import exports
from backend.services.access import SYSTEM
from backend.services.planning import targets as target_service
from tests.backend.planning.conftest import Clients
from tests.factories import SmallCompany

GRID = """
query($plan: ID!) {
  targetsGrid(planId: $plan, metricCode: "revenue") { repIds repNames values months }
}"""
NESTED = """
query($plan: ID!) {
  planTargets(planId: $plan, metricCode: "revenue", limit: 100) {
    totalCount items { repId repName targets { month value probability flags explanation } }
  }
}"""
SUMMARIES = """
query($plan: ID!) {
  plan(id: $plan) {
    rankSummaries(metricCode: "revenue") { label reps total meanProbability buckets }
    nodeSummaries(metricCode: "revenue") { key label reps total goal }
  }
}"""
PEERS = """
query($plan: ID!, $rep: ID!) {
  planPeers(planId: $plan, repId: $rep, metricCode: "revenue") { label repId total isSelf }
}"""
CREATE = """
mutation($scope: ID!) {
  createPlan(input: {name: "Mine", scopeOrgUnitId: $scope, periodKind: YEAR, year: 2026}) {
    plan { id } errors { code field }
  }
}"""


class TestTargetsGrid:
    async def test_the_compact_grid_carries_the_same_values_as_nested_targets(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        grid = (await api.data(GRID, plan=str(generated_plan.id)))["targetsGrid"]
        nested = (await api.data(NESTED, plan=str(generated_plan.id)))["planTargets"]
        assert len(grid["repIds"]) == nested["totalCount"] == len(planning_company.reps)
        flat = [t["value"] for item in nested["items"] for t in item["targets"]]
        assert flat == grid["values"]
        first = nested["items"][0]["targets"][0]
        assert set(first["explanation"]["components"]) >= {"rank_baseline", "strategy"}

    async def test_summaries_add_up_per_rank_and_match_node_goals(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan = (await api.data(SUMMARIES, plan=str(generated_plan.id)))["plan"]
        ranks, nodes = plan["rankSummaries"], plan["nodeSummaries"]
        assert sum(r["reps"] for r in ranks) == len(planning_company.reps)
        assert all(sum(r["buckets"]) == r["reps"] for r in ranks)
        root = next(n for n in nodes if n["key"] == str(planning_company.root.id))
        assert abs(root["total"] - sum(r["total"] for r in ranks)) < 1e-6
        assert all(abs(n["total"] - n["goal"]) < 1e-6 for n in nodes)


class TestScoping:
    async def test_a_branch_manager_plans_only_inside_their_branch(
        self, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("branch")
        refused = await api.data(CREATE, scope=str(planning_company.root.id))
        assert [e["code"] for e in refused["createPlan"]["errors"]] == ["FORBIDDEN"]
        other = await api.data(CREATE, scope=str(planning_company.branches[1].id))
        assert [e["code"] for e in other["createPlan"]["errors"]] == ["FORBIDDEN"]
        mine = await api.data(CREATE, scope=str(planning_company.branches[0].id))
        assert mine["createPlan"]["errors"] == [] and mine["createPlan"]["plan"]["id"]

    async def test_a_branch_manager_sees_only_the_reps_of_their_branch(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("branch")
        grid = (await api.data(GRID, plan=str(generated_plan.id)))["targetsGrid"]
        branch = {t.id for t in planning_company.teams[:2]}
        expected = {str(r.id) for r in planning_company.reps if r.team_id in branch}
        assert set(grid["repIds"]) == expected

    async def test_a_rep_sees_only_their_own_targets(
        self, client_of: Clients, approved_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("rep")
        grid = (await api.data(GRID, plan=str(approved_plan.id)))["targetsGrid"]
        assert grid["repIds"] == [str(planning_company.reps[0].id)]
        assert len(grid["values"]) == 12

    async def test_a_rep_sees_peers_of_the_same_rank_and_region_without_names(
        self, client_of: Clients, approved_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("rep")
        me = planning_company.reps[0]
        peers = (await api.data(PEERS, plan=str(approved_plan.id), rep=str(me.id)))["planPeers"]
        same = [
            r
            for r in planning_company.reps
            if r.rank_id == me.rank_id and r.region_id == me.region_id
        ]
        assert len(peers) == len(same) > 1
        others = [p for p in peers if not p["isSelf"]]
        assert all(p["repId"] is None and p["label"].startswith("Peer") for p in others)
        names = {r.name for r in planning_company.reps}
        assert not any(p["label"] in names for p in others)
        mine = next(p for p in peers if p["isSelf"])
        assert mine["repId"] == str(me.id)

    async def test_a_rep_cannot_read_another_reps_probability(
        self, client_of: Clients, approved_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("rep")
        body = await api.execute(
            """query($plan: ID!, $rep: ID!) {
              achievementProbability(planId: $plan, repId: $rep, metricCode: "revenue",
                                     value: 1000)
            }""",
            plan=str(approved_plan.id),
            rep=str(planning_company.reps[5].id),
        )
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    async def test_a_manager_sees_peer_names(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        me = planning_company.reps[0]
        peers = (await api.data(PEERS, plan=str(generated_plan.id), rep=str(me.id)))["planPeers"]
        assert all(p["repId"] is not None for p in peers)


class TestOneProbability:
    async def test_grid_export_and_live_editing_show_the_same_p_for_the_same_target(
        self, session: AsyncSession, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        plan_id, rep = generated_plan.id or 0, planning_company.reps[1]
        grid = await target_service.targets_grid(
            session, principal=SYSTEM, plan_id=plan_id, metric_code="revenue"
        )
        row = [r.rep_id for r in grid.reps].index(rep.id or 0)
        months = len(grid.months)
        values = grid.values[row * months : (row + 1) * months]
        cell_p = grid.probabilities[row * months + 4]

        async def live(value: float, month: date | None) -> float:
            return await target_service.achievement_probability(
                session,
                principal=SYSTEM,
                plan_id=plan_id,
                rep_id=rep.id or 0,
                metric_code="revenue",
                value=value,
                month=month,
            )

        period_p = grid.period_probabilities[row]
        assert period_p is not None
        assert abs(period_p - await live(sum(values), None)) < 1e-9
        assert cell_p is not None and abs(cell_p - await live(values[4], grid.months[4])) < 1e-9
        exported = await exports.export(session, principal=SYSTEM, what="targets", format="csv")
        lines = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
        mine = next(
            r
            for r in lines
            if r["rep_name"] == rep.name
            and r["metric"] == "revenue"
            and r["month"] == str(grid.months[4])
        )
        assert abs(float(mine["probability"]) - cell_p) < 1e-9
