"""Creating and generating plans: goals, exact decomposition, probabilities, infeasibility."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import OrgUnit, Plan, Target
from backend.db.repositories import planning as repo
from backend.services.access import SYSTEM
from backend.services.planning import targets as target_service
from backend.services.planning.generation import generate_plan
from backend.services.planning.outcome import plan_relaxations
from tests.backend.conftest import GraphQLClient
from tests.backend.planning.conftest import Clients, new_plan
from tests.factories import SmallCompany

CREATE = """
mutation($input: CreatePlanInput!) {
  createPlan(input: $input) {
    plan { id status months goals { metricCode value suggested lastYearActual isScope } }
    errors { field code message }
  }
}"""
GENERATE = """
mutation($id: ID!) {
  generatePlan(planId: $id) {
    plan {
      id version forecastMethod generatedAt
      goals(setOnly: true) { metricCode value bottomUp gap }
    }
    targets forecastMethod
    conflicts { family node metric amount message }
    errors { field code message }
  }
}"""


async def _targets(session: AsyncSession, plan: Plan) -> list[Target]:
    return list(await repo.targets(session, plan.id or 0))


class TestCreatePlan:
    async def test_suggests_each_additive_goal_from_last_year_times_growth(
        self, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        plan = await new_plan(session, planning_company, growth=0.2)
        goals = await repo.goals(session, plan.id or 0)
        basis = plan.constraints["_basis"]
        assert {g.metric_id for g in goals} == {
            planning_company.metrics["revenue"].id,
            planning_company.metrics["new_customers"].id,
        }
        revenue = basis["revenue"]
        assert abs(revenue["suggested"] - revenue["last_year"] * 1.2) < 0.01
        assert basis["new_customers"]["suggested"] == round(
            basis["new_customers"]["last_year"] * 1.2
        )

    async def test_refuses_bad_input_naming_every_field(
        self, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        data = await api.data(
            CREATE,
            input={
                "name": " ",
                "scopeOrgUnitId": str(planning_company.root.id),
                "periodKind": "QUARTER",
                "year": 2026,
                "growthRate": 9,
                "constraints": {"pMin": 0.9, "pMax": 0.1},
                "goals": [
                    {"metricCode": "satisfaction", "value": 4},
                    {"metricCode": "new_customers", "value": 10.5},
                ],
            },
        )
        fields = {e["field"] for e in data["createPlan"]["errors"]}
        assert {"name", "quarter", "growthRate", "constraints.pMin"} <= fields
        assert data["createPlan"]["plan"] is None

    async def test_creates_a_draft_with_twelve_months_over_the_api(
        self, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        data = await api.data(
            CREATE,
            input={
                "name": "FY",
                "scopeOrgUnitId": str(planning_company.root.id),
                "periodKind": "YEAR",
                "year": 2026,
                "goals": [{"metricCode": "revenue", "value": 5_000_000}],
            },
        )
        plan = data["createPlan"]["plan"]
        assert data["createPlan"]["errors"] == []
        assert plan["status"] == "DRAFT" and len(plan["months"]) == 12
        goals = {g["metricCode"]: g for g in plan["goals"]}
        assert goals["revenue"]["value"] == 5_000_000
        assert goals["new_customers"]["value"] == goals["new_customers"]["suggested"]


class TestGeneratePlan:
    async def test_meets_every_goal_exactly_with_probabilities_inside_zero_and_one(
        self, session: AsyncSession, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        targets = await _targets(session, generated_plan)
        goals = await repo.goals(session, generated_plan.id or 0)
        units = {u.id: u for u in (await session.exec(select(OrgUnit))).all()}
        team_path = {r.id: units[r.team_id].path for r in planning_company.reps}
        sums: dict[tuple[int, int], float] = defaultdict(float)
        for t in targets:
            for unit in units.values():
                if team_path[t.rep_id].startswith(unit.path):
                    sums[(t.metric_id, unit.id or 0)] += t.value
        assert goals
        for goal in goals:
            assert abs(sums[(goal.metric_id, goal.org_unit_id)] - goal.value) <= 1e-6 * max(
                1.0, goal.value
            ), goal
        revenue = [t for t in targets if t.metric_id == planning_company.metrics["revenue"].id]
        assert len(revenue) == 12 * len(planning_company.reps)
        assert all(t.probability is not None and 0.0 < t.probability < 1.0 for t in revenue)
        counts = [t for t in targets if t.metric_id == planning_company.metrics["new_customers"].id]
        assert all(float(t.value).is_integer() for t in counts)

    async def test_achievement_probability_falls_as_the_target_rises(
        self, session: AsyncSession, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        rep = planning_company.reps[0].id or 0
        ps = [
            await target_service.achievement_probability(
                session,
                principal=SYSTEM,
                plan_id=generated_plan.id or 0,
                rep_id=rep,
                metric_code="revenue",
                value=v,
                month=None,
            )
            for v in (500_000.0, 1_000_000.0, 1_500_000.0, 3_000_000.0)
        ]
        assert all(0.0 < p < 1.0 for p in ps[:3])
        assert ps == sorted(ps, reverse=True) and ps[0] > ps[-1]

    async def test_derives_a_goal_for_every_team_from_the_generated_targets(
        self, session: AsyncSession, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        goals = await repo.goals(session, generated_plan.id or 0)
        derived = {g.org_unit_id for g in goals if g.source == "derived"}
        assert {t.id for t in planning_company.teams} <= derived

    async def _stretch_plan(self, api: GraphQLClient, root: int, **constraints: object) -> str:
        created = await api.data(
            CREATE,
            input={
                "name": "Too much",
                "scopeOrgUnitId": str(root),
                "periodKind": "YEAR",
                "year": 2026,
                "goals": [{"metricCode": "revenue", "value": 1e10}],
                **({"constraints": constraints} if constraints else {}),
            },
        )
        return str(created["createPlan"]["plan"]["id"])

    async def test_meets_a_goal_beyond_every_ceiling_and_lists_what_gave(
        self, session: AsyncSession, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan_id = await self._stretch_plan(api, planning_company.root.id or 0)
        payload = (await api.data(GENERATE, id=plan_id))["generatePlan"]
        assert payload["errors"] == [] and payload["plan"] is not None
        revenue = planning_company.metrics["revenue"].id or 0
        rows = await repo.targets(session, int(plan_id), metric_ids=[revenue])
        assert abs(sum(t.value for t in rows) - 1e10) < 1e-3
        relaxed = await plan_relaxations(session, principal=SYSTEM, plan_id=int(plan_id))
        assert relaxed and {r.family for r in relaxed} & {"rank", "band", "cap"}

    async def test_strict_mode_refuses_the_same_goal_and_stores_nothing(
        self, session: AsyncSession, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan_id = await self._stretch_plan(api, planning_company.root.id or 0, strict=True)
        payload = (await api.data(GENERATE, id=plan_id))["generatePlan"]
        assert payload["plan"] is None
        assert payload["conflicts"] and payload["errors"]
        assert all(c["metric"] == "revenue" for c in payload["conflicts"])
        assert await repo.targets(session, int(plan_id)) == []

    async def test_generates_over_the_api_and_shows_bottom_up_beside_the_goal(
        self, client_of: Clients, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        created = await api.data(
            CREATE,
            input={
                "name": "FY",
                "scopeOrgUnitId": str(planning_company.root.id),
                "periodKind": "YEAR",
                "year": 2026,
            },
        )
        data = await api.data(GENERATE, id=created["createPlan"]["plan"]["id"])
        payload = data["generatePlan"]
        assert payload["errors"] == [] and payload["targets"] > 0
        assert "seasonal-naive" in payload["forecastMethod"]  # 12 reps: too few for LightGBM
        goal = next(g for g in payload["plan"]["goals"] if g["metricCode"] == "revenue")
        assert goal["bottomUp"] > 0 and abs(goal["gap"] - (goal["value"] - goal["bottomUp"])) < 1e-6

    async def test_regeneration_keeps_locked_targets(
        self, session: AsyncSession, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        rep = planning_company.reps[0].id or 0
        revenue = planning_company.metrics["revenue"].id or 0
        rows = await repo.targets(
            session, generated_plan.id or 0, metric_ids=[revenue], rep_ids=[rep]
        )
        for t in rows:
            t.locked = True
            session.add(t)
        locked_total = sum(t.value for t in rows)
        await session.commit()
        await generate_plan(session, principal=SYSTEM, plan_id=generated_plan.id or 0)
        await session.commit()
        again = await repo.targets(
            session, generated_plan.id or 0, metric_ids=[revenue], rep_ids=[rep]
        )
        assert abs(sum(t.value for t in again) - locked_total) < 1e-6
        assert all(t.locked for t in again)


class TestLeaversAndJoiners:
    async def test_a_leaver_has_no_target_after_leaving_and_a_joiner_none_before_hire(
        self, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        leaver, joiner = planning_company.reps[2], planning_company.reps[3]
        leaver.leave_date = date(2026, 6, 20)
        joiner.hire_date = date(2026, 4, 10)
        session.add_all([leaver, joiner])
        await session.commit()
        plan = await new_plan(session, planning_company)
        await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
        await session.commit()
        revenue = planning_company.metrics["revenue"].id or 0
        rows = {
            (t.rep_id, t.month.month): t
            for t in await repo.targets(session, plan.id or 0, metric_ids=[revenue])
        }
        assert all(rows[(leaver.id or 0, m)].value == 0 for m in range(7, 13))
        assert sum(rows[(leaver.id or 0, m)].value for m in range(1, 7)) > 0
        assert "leaves_in_period" in rows[(leaver.id or 0, 1)].flags
        assert all(rows[(joiner.id or 0, m)].value == 0 for m in range(1, 4))
        assert sum(rows[(joiner.id or 0, m)].value for m in range(4, 13)) > 0
        assert "joins_in_period" in rows[(joiner.id or 0, 4)].flags
