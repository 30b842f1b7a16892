"""A plan's relaxations and bottom-up forecast: stored, replaced, scoped and told in words."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.services.access import SYSTEM
from backend.services.planning import outcome
from solver.planning.context import RelaxationContext
from solver.types import Relaxation
from tests.backend.planning.conftest import Clients, approve, new_plan
from tests.factories import SmallCompany

QUERY = """
query ($id: ID!, $locale: Locale!) {
  plan(id: $id) {
    constraints { strict }
    goals(setOnly: true) { metricCode isScope value bottomUp gap }
    relaxations {
      family side scope metricCode repId repName rankCode forecast orgUnitId nodeName
      limit required amount share because reps
      message(locale: $locale) situation(locale: $locale) action(locale: $locale)
    }
  }
}
"""


def rep_ceiling(rep_id: int) -> Relaxation:
    """The rep's forecast is above the ceiling: the band gave to the rank bound."""
    return Relaxation(
        family="band", side="lower", scope="rep", metric="revenue", rep_id=rep_id,
        org_id=None, limit=5.9e6, required=5.5e6, amount=4e5, because="rank",
    )  # fmt: skip


def node_ceilings(org_id: int) -> Relaxation:
    return Relaxation(
        family="rank", side="upper", scope="node", metric="revenue", rep_id=None,
        org_id=org_id, limit=1.2e8, required=1.296e8, amount=9.6e6, because="goal", reps=40,
    )  # fmt: skip


PHASING = Relaxation(
    family="phasing", side=None, scope="metric", metric="revenue", rep_id=None, org_id=None,
    limit=0.0, required=3e5, amount=3e5, because="goal",
)  # fmt: skip


def context(c: SmallCompany) -> RelaxationContext:
    return RelaxationContext(
        rep_names={r.id or 0: f"Rep {r.name}" for r in c.reps},
        rep_ranks={r.id or 0: "S2" for r in c.reps},
        rep_forecasts={(r.id or 0, "revenue"): 6.2e6 for r in c.reps},
        node_names={u.id or 0: u.name for u in [c.root, *c.branches]},
    )


async def plan_with_relaxations(session: AsyncSession, c: SmallCompany) -> Plan:
    """Relaxations of a rep in each branch, of the second branch, of the company and model-wide."""
    plan = await new_plan(session, c)
    relaxations = [
        rep_ceiling(c.reps[0].id or 0),
        rep_ceiling(c.reps[-1].id or 0),
        node_ceilings(c.branches[1].id or 0),
        node_ceilings(c.root.id or 0),
        PHASING,
    ]
    await outcome.record_relaxations(
        session, plan_id=plan.id or 0, relaxations=relaxations, context=context(c)
    )
    await session.commit()
    return plan


class TestRecordRelaxations:
    async def test_stores_every_relaxation_with_the_names_at_generation(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        plan = await plan_with_relaxations(session, planning_company)
        api = await client_of("admin")
        data = await api.data(QUERY, id=str(plan.id), locale="EN")
        rows = data["plan"]["relaxations"]
        assert [(r["family"], r["scope"]) for r in rows] == [
            ("BAND", "REP"), ("BAND", "REP"), ("RANK", "NODE"), ("RANK", "NODE"),
            ("PHASING", "METRIC"),
        ]  # fmt: skip
        first = rows[0]
        rep = planning_company.reps[0]
        assert first["repId"] == str(rep.id) and first["repName"] == f"Rep {rep.name}"
        assert (first["rankCode"], first["forecast"], first["side"]) == ("S2", 6.2e6, "LOWER")
        assert (first["limit"], first["required"], first["amount"]) == (5.9e6, 5.5e6, 4e5)
        assert rows[2]["nodeName"] == planning_company.branches[1].name
        assert rows[2]["reps"] == 40 and abs(rows[2]["share"] - 0.08) < 1e-9
        assert rows[4]["share"] is None and rows[4]["side"] is None

    async def test_a_regeneration_replaces_the_relaxations_wholesale(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        c = planning_company
        plan = await plan_with_relaxations(session, c)
        await outcome.record_relaxations(
            session, plan_id=plan.id or 0, relaxations=[PHASING], context=context(c)
        )
        await session.commit()
        api = await client_of("admin")
        data = await api.data(QUERY, id=str(plan.id), locale="EN")
        assert [r["family"] for r in data["plan"]["relaxations"]] == ["PHASING"]
        await outcome.record_relaxations(
            session, plan_id=plan.id or 0, relaxations=[], context=context(c)
        )
        await session.commit()
        data = await api.data(QUERY, id=str(plan.id), locale="EN")
        assert data["plan"]["relaxations"] == []

    async def test_relaxations_of_another_plan_are_left_alone(
        self, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        c = planning_company
        first = await plan_with_relaxations(session, c)
        second = await new_plan(session, c, name="FY2026 b")
        await outcome.record_relaxations(
            session, plan_id=second.id or 0, relaxations=[PHASING], context=context(c)
        )
        await session.commit()
        rows = await outcome.plan_relaxations(session, principal=SYSTEM, plan_id=first.id or 0)
        assert len(rows) == 5

    async def test_a_rebalance_replaces_only_its_nodes_and_reps_relaxations(
        self, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        c = planning_company
        plan = await plan_with_relaxations(session, c)
        team = c.reps[0].team_id
        in_team = [r.id or 0 for r in c.reps if r.team_id == team]
        after = rep_ceiling(in_team[-1])  # the rebalance moved the bound to another rep
        await outcome.record_node_relaxations(
            session,
            plan_id=plan.id or 0,
            metric_code="revenue",
            node_id=team,
            rep_ids=in_team,
            relaxations=[after],
            context=context(c),
        )
        await session.commit()
        rows = await outcome.plan_relaxations(session, principal=SYSTEM, plan_id=plan.id or 0)
        reps = {r.rep_id for r in rows if r.scope == "rep"}
        assert reps == {in_team[-1], c.reps[-1].id}  # the other team's rep is still there
        nodes = {r.org_unit_id for r in rows if r.scope == "node"}
        assert nodes == {c.branches[1].id, c.root.id}  # goals above the team still gave
        assert any(r.family == "phasing" for r in rows)


class TestRelaxationScope:
    async def test_a_branch_manager_reads_only_relaxations_inside_the_branch(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        plan = await plan_with_relaxations(session, planning_company)
        branch = await client_of("branch")
        data = await branch.data(QUERY, id=str(plan.id), locale="EN")
        rows = data["plan"]["relaxations"]
        assert [r["repId"] for r in rows] == [str(planning_company.reps[0].id)]

    async def test_a_branch_manager_cannot_read_another_branchs_plan(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        c = planning_company
        plan = await new_plan(session, c)
        plan.scope_org_id = c.branches[1].id or 0
        session.add(plan)
        await outcome.record_relaxations(
            session,
            plan_id=plan.id or 0,
            relaxations=[node_ceilings(c.branches[1].id or 0)],
            context=context(c),
        )
        await session.commit()
        branch = await client_of("branch")
        data = await branch.data(QUERY, id=str(plan.id), locale="EN")
        assert data["plan"] is None

    async def test_a_rep_reads_only_their_own_relaxation(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        plan = await approve(session, await plan_with_relaxations(session, planning_company))
        rep = await client_of("rep")
        data = await rep.data(QUERY, id=str(plan.id), locale="EN")
        assert [r["repId"] for r in data["plan"]["relaxations"]] == [
            str(planning_company.reps[0].id)
        ]


class TestRelaxationSentences:
    async def test_each_relaxation_reads_as_a_sentence_with_an_action_in_english_and_chinese(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        plan = await plan_with_relaxations(session, planning_company)
        api = await client_of("admin")
        en = (await api.data(QUERY, id=str(plan.id), locale="EN"))["plan"]["relaxations"]
        zh = (await api.data(QUERY, id=str(plan.id), locale="ZH_CN"))["plan"]["relaxations"]
        name = f"Rep {planning_company.reps[0].name}"
        assert en[0]["message"].startswith(f"{name}'s forecast (6.2 M) is 13% above the S2")
        assert en[0]["action"] == "promotion candidate, or raise the ceiling"
        assert en[0]["message"] == f"{en[0]['situation']} — {en[0]['action']}"
        assert zh[0]["message"].startswith(f"{name}的预测（620万）比 S2 职级上限（550万）高 13%")
        assert "晋升" in zh[0]["action"]
        assert "9.6 M above the sum of its reps’ ceilings" in en[2]["message"]
        assert "40 个上限各放宽 8%" in zh[2]["message"]
        for row in zh:
            assert "。建议：" in row["message"]


class TestBottomUp:
    async def test_the_scope_goal_shows_the_stored_bottom_up_and_the_gap(
        self, session: AsyncSession, planning_company: SmallCompany, client_of: Clients
    ) -> None:
        plan = await new_plan(session, planning_company)
        api = await client_of("admin")
        before = await api.data(QUERY, id=str(plan.id), locale="EN")
        assert before["plan"]["constraints"] == {"strict": False}
        assert {g["bottomUp"] for g in before["plan"]["goals"]} == {None}
        await outcome.record_bottom_up(session, plan_id=plan.id or 0, totals={"revenue": 1000.0})
        await outcome.record_bottom_up(session, plan_id=plan.id or 0, totals={"revenue": 2500.0})
        await session.commit()
        goals = (await api.data(QUERY, id=str(plan.id), locale="EN"))["plan"]["goals"]
        revenue = next(g for g in goals if g["metricCode"] == "revenue" and g["isScope"])
        assert revenue["bottomUp"] == 2500.0
        assert revenue["gap"] == revenue["value"] - 2500.0

    async def test_a_clone_keeps_the_relaxations_and_the_bottom_up(
        self, session: AsyncSession, planning_company: SmallCompany
    ) -> None:
        c = planning_company
        source = await plan_with_relaxations(session, c)
        await outcome.record_bottom_up(session, plan_id=source.id or 0, totals={"revenue": 7.0})
        clone = await new_plan(session, c, name="copy")
        await outcome.copy_outcome(session, source_id=source.id or 0, clone_id=clone.id or 0)
        await session.commit()
        rows = await outcome.plan_relaxations(session, principal=SYSTEM, plan_id=clone.id or 0)
        assert len(rows) == 5
        totals = await outcome.bottom_up_totals(session, plan_ids=[clone.id or 0])
        assert totals == {clone.id: {"revenue": 7.0}}


class TestUnsavedRelaxations:
    def test_a_what_if_relaxation_reads_like_a_stored_one(self) -> None:
        ctx = RelaxationContext(
            rep_names={7: "Lu Yu"}, rep_ranks={7: "S6"}, rep_forecasts={(7, "revenue"): 6.2e6},
            node_names={},
        )  # fmt: skip
        (row,) = outcome.unsaved_relaxations([rep_ceiling(7)], ctx)
        assert (row.id, row.rep_name, row.rank_code, row.forecast) == (None, "Lu Yu", "S6", 6.2e6)
        assert (row.limit_value, row.required, row.amount) == (5.9e6, 5.5e6, 4e5)


OVERRIDE = """
mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) {
    result { version }
    errors { code message }
    relaxations { family scope repId because message }
  }
}"""
GRID_VERSIONS = """
query($plan: ID!) { targetsGrid(planId: $plan, metricCode: "revenue") { repIds values versions } }
"""
RELAXATIONS = """
query($id: ID!) { plan(id: $id) { relaxations { family scope repId because message } } }
"""


class TestOverridePayload:
    async def test_an_override_returns_the_plans_relaxations_after_the_rebalance(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan, rep = str(generated_plan.id), planning_company.reps[0]
        grid = (await api.data(GRID_VERSIONS, plan=plan))["targetsGrid"]
        i = grid["repIds"].index(str(rep.id))
        months = len(grid["values"]) // len(grid["repIds"])
        total = sum(grid["values"][i * months : (i + 1) * months])
        data = await api.data(
            OVERRIDE,
            input={
                "planId": plan,
                "repId": str(rep.id),
                "metricCode": "revenue",
                "value": total * 3,
                "expectedVersion": grid["versions"][i * months],
            },
        )
        payload = data["overrideTarget"]
        assert payload["errors"] == [], payload
        stored = (await api.data(RELAXATIONS, id=plan))["plan"]["relaxations"]
        assert payload["relaxations"] == stored
        assert payload["relaxations"], "a total three times the old one gives somewhere"


WHAT_IF = """
query($input: WhatIfInput!) {
  whatIf(input: $input) {
    conflicts { message }
    relaxations { family scope orgUnitId nodeName message(locale: ZH_CN) }
  }
}"""
GOALS = "query($id: ID!) { plan(id: $id) { goals(setOnly: true) { metricCode isScope value } } }"


class TestWhatIfRelaxations:
    async def test_a_what_if_above_the_ceilings_names_what_would_give_and_stores_nothing(
        self, client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
    ) -> None:
        api = await client_of("planner")
        plan = str(generated_plan.id)
        before = (await api.data(RELAXATIONS, id=plan))["plan"]["relaxations"]
        goals = (await api.data(GOALS, id=plan))["plan"]["goals"]
        revenue = next(g for g in goals if g["metricCode"] == "revenue" and g["isScope"])
        data = await api.data(
            WHAT_IF,
            input={
                "planId": plan,
                "goals": [{"metricCode": "revenue", "value": revenue["value"] * 3}],
            },
        )
        result = data["whatIf"]
        assert result["conflicts"] == []
        rank = [r for r in result["relaxations"] if r["family"] == "RANK" and r["scope"] == "NODE"]
        assert rank and rank[0]["nodeName"] == planning_company.root.name
        assert rank[0]["message"].startswith(f"{planning_company.root.name}的销售额目标")
        assert (await api.data(RELAXATIONS, id=plan))["plan"]["relaxations"] == before
