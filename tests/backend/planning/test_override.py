"""Overrides: locked, the team rebalanced to its goal, stale and own-target refusals."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.db.repositories import planning as repo
from tests.backend.planning.conftest import Clients
from tests.factories import SmallCompany

GRID = """
query($plan: ID!, $metric: String!) {
  targetsGrid(planId: $plan, metricCode: $metric) {
    months repIds repNames teamIds values probabilities locked versions
  }
}"""
OVERRIDE = """
mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) {
    result {
      repId value probability periodTotal periodProbability version nodeId nodeTotal nodeGoal
      rebalanced { repId total probability months version }
    }
    conflicts { family node message }
    errors { field code message }
  }
}"""
PROBABILITY = """
query($plan: ID!, $rep: ID!, $value: Float!, $month: Date) {
  achievementProbability(planId: $plan, repId: $rep, metricCode: "revenue", value: $value,
                         month: $month)
}"""


def _team_totals(grid: dict, team: str) -> float:
    months = len(grid["months"])
    return sum(
        sum(grid["values"][i * months : (i + 1) * months])
        for i, t in enumerate(grid["teamIds"])
        if t == team
    )


def _rep(grid: dict, rep_id: int) -> tuple[int, list[float], int]:
    months = len(grid["months"])
    i = grid["repIds"].index(str(rep_id))
    return i, grid["values"][i * months : (i + 1) * months], grid["versions"][i * months]


class TestOverrideTarget:
    async def test_locks_the_target_and_keeps_the_team_total_on_its_goal(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan = str(generated_plan.id)
        rep = planning_company.reps[0]
        grid = (await api.data(GRID, plan=plan, metric="revenue"))["targetsGrid"]
        team_before = _team_totals(grid, str(rep.team_id))
        _, months, version = _rep(grid, rep.id or 0)
        new_total = sum(months) * 1.1
        data = await api.data(
            OVERRIDE,
            input={
                "planId": plan,
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": new_total,
                "expectedVersion": version,
                "reason": "bigger territory",
            },
        )
        payload = data["overrideTarget"]
        assert payload["errors"] == [], payload
        result = payload["result"]
        assert abs(result["periodTotal"] - new_total) < 1e-6
        assert result["nodeId"] == str(rep.team_id)
        assert abs(result["nodeTotal"] - result["nodeGoal"]) < 1e-6
        assert 0 < result["probability"] < 1 and result["version"] == version + 1
        others = [r for r in result["rebalanced"] if r["repId"] != str(rep.id)]
        assert others and all(r["total"] > 0 for r in others)
        after = (await api.data(GRID, plan=plan, metric="revenue"))["targetsGrid"]
        assert abs(_team_totals(after, str(rep.team_id)) - team_before) < 1e-6
        i, values, _ = _rep(after, rep.id or 0)
        assert abs(sum(values) - new_total) < 1e-6 and after["locked"][i * 12]

    async def test_a_month_override_changes_only_that_month_of_the_rep(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[3]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        _, months, version = _rep(grid, rep.id or 0)
        data = await api.data(
            OVERRIDE,
            input={
                "planId": str(generated_plan.id),
                "repId": str(rep.id),
                "metricCode": "revenue",
                "month": grid["months"][2],
                "value": months[2] * 0.97,
                "expectedVersion": version,
            },
        )
        assert data["overrideTarget"]["errors"] == [], data
        result = data["overrideTarget"]["result"]
        mine = next(r for r in result["rebalanced"] if r["repId"] == str(rep.id))
        assert abs(mine["months"][2] - months[2] * 0.97) < 1e-6
        assert mine["months"][:2] == months[:2] and mine["months"][3:] == months[3:]
        assert abs(result["nodeTotal"] - result["nodeGoal"]) < 1e-6

    async def test_a_stale_version_is_refused_with_the_current_value(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[0]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        _, months, version = _rep(grid, rep.id or 0)
        first = {
            "planId": str(generated_plan.id),
            "repId": str(rep.id),
            "metricCode": "revenue",
            "value": sum(months) * 1.05,
            "expectedVersion": version,
        }
        assert (await api.data(OVERRIDE, input=first))["overrideTarget"]["errors"] == []
        again = await api.data(OVERRIDE, input={**first, "value": sum(months) * 0.95})
        errors = again["overrideTarget"]["errors"]
        assert [e["code"] for e in errors] == ["STALE_VERSION"]
        assert f"{sum(months) * 1.05:.6g}" in errors[0]["message"]

    async def test_a_manager_cannot_change_their_own_targets(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("managing_rep")  # team lead who is also reps[1]
        rep = planning_company.reps[1]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        _, months, version = _rep(grid, rep.id or 0)
        data = await api.data(
            OVERRIDE,
            input={
                "planId": str(generated_plan.id),
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": sum(months) * 0.5,
                "expectedVersion": version,
            },
        )
        assert [e["code"] for e in data["overrideTarget"]["errors"]] == ["FORBIDDEN"]

    async def test_locks_beyond_the_goal_are_refused_with_the_conflict_and_change_nothing(
        self,
        session: AsyncSession,
        client_of: Clients,
        generated_plan: Plan,
        planning_company: SmallCompany,
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[0]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        _, _, version = _rep(grid, rep.id or 0)
        team = _team_totals(grid, str(rep.team_id))
        data = await api.data(
            OVERRIDE,
            input={
                "planId": str(generated_plan.id),
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": team * 2,
                "expectedVersion": version,
            },
        )
        payload = data["overrideTarget"]
        assert payload["result"] is None and payload["conflicts"]
        assert any(c["family"] == "lock" for c in payload["conflicts"])
        rows = await repo.targets(session, generated_plan.id or 0, rep_ids=[rep.id or 0])
        assert not any(t.locked for t in rows)

    async def test_the_live_probability_matches_the_stored_one_and_is_cheap(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[2]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        i, months, _ = _rep(grid, rep.id or 0)
        data = await api.data(
            PROBABILITY,
            plan=str(generated_plan.id),
            rep=str(rep.id),
            value=months[0],
            month=grid["months"][0],
        )
        assert abs(data["achievementProbability"] - grid["probabilities"][i * 12]) < 1e-9

    async def test_is_recorded_in_the_audit_trail_with_before_after_and_why(
        self,
        session: AsyncSession,
        client_of: Clients,
        generated_plan: Plan,
        planning_company: SmallCompany,
    ) -> None:
        api = await client_of("planner")
        rep = planning_company.reps[0]
        grid = (await api.data(GRID, plan=str(generated_plan.id), metric="revenue"))["targetsGrid"]
        _, months, version = _rep(grid, rep.id or 0)
        await api.data(
            OVERRIDE,
            input={
                "planId": str(generated_plan.id),
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": sum(months),
                "expectedVersion": version,
                "reason": "agreed",
            },
        )
        trail = await repo.audit_trail(session, generated_plan.id or 0)
        entry = [e for e in trail if e.action == "override_target"][-1]
        assert entry.actor == "planner" and entry.reason == "agreed"
        assert entry.before and entry.before["version"] == version
        assert entry.after and entry.after["rep_id"] == rep.id
