"""Progress against a tiny plan, checked by hand: actual, expected by the target's phasing,
pace, attainment, projection, P(achieve | actuals so far) and their roll-up."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from backend.services.access import SYSTEM
from backend.services.tracking import actuals
from backend.services.tracking.dashboard import tracking_dashboard
from solver.planning import ForecastDistribution
from tests.backend.tracking.conftest import LEVELS, add_tracked_plan

REP = """query($rep: ID!, $asOf: Date) { repProgress(repId: $rep, asOf: $asOf) {
  metricCode elapsedMonths months { month target actual }
  progress { repId actual expected target pace attainment projected projectedAttainment
             probability planProbability } } }"""
DASHBOARD = """query($asOf: Date, $node: ID) { trackingDashboard(asOf: $asOf, orgUnitId: $node) {
  elapsedMonths headline { node { id kind } figures { reps actual expected target projected
    pace attainment shareProjected shareOnPace designPoint } }
  children { node { id name } figures { reps actual expected } }
  members { totalCount items { repId actual } } } }"""


async def record(session, rep_id: int, day: date, value: float, key: str) -> None:
    await actuals.record_actuals(
        session,
        principal=SYSTEM,
        entries=[actuals.EntryInput(key, "revenue", day, value, rep_id=rep_id)],
        today=date(2026, 3, 31),
    )
    await session.commit()


@pytest.fixture
async def tracked(session, company):
    return await add_tracked_plan(session, company, actuals={company.reps[0].id: [120.0, 150.0]})


class TestARepsProgress:
    async def test_figures_match_a_hand_computation(self, session, tracked, api):
        rep = tracked.company.reps[0].id  # targets 100, 200, 300
        await record(session, rep, date(2026, 3, 10), 60.0, "m-10")
        await record(session, rep, date(2026, 3, 20), 40.0, "m-20")  # after the as-of day
        data = await api.data(REP, rep=str(rep), asOf="2026-03-15")
        (page,) = data["repProgress"]
        p = page["progress"]
        elapsed = 2 + 15 / 31
        expected = 100 + 200 + 300 * 15 / 31
        assert page["elapsedMonths"] == pytest.approx(elapsed)
        assert p["actual"] == pytest.approx(330.0)  # 120 + 150 + 60 (not the 20th's 40)
        assert p["expected"] == pytest.approx(expected)
        assert p["target"] == pytest.approx(600.0)
        assert p["pace"] == pytest.approx(330 / expected)
        assert p["attainment"] == pytest.approx(330 / 600)
        # The forecast's months are the targets +-20%: their means are the targets, so what
        # remains of March (16 of 31 days) is expected to bring 300 x 16/31.
        assert p["projected"] == pytest.approx(330 + 300 * 16 / 31, rel=1e-4)
        assert p["projectedAttainment"] == pytest.approx((330 + 300 * 16 / 31) / 600, rel=1e-4)
        plan_p = ForecastDistribution.quantiles(LEVELS, [510.0, 600.0, 690.0], []).p_period(600)
        assert p["planProbability"] == pytest.approx(plan_p)
        assert 0.0 < p["probability"] < plan_p  # behind pace: less likely than at the start
        assert [m["actual"] for m in page["months"]] == pytest.approx([120.0, 150.0, 60.0])

    async def test_a_seasonal_phasing_is_not_behind_in_a_quiet_month(self, session, company, api):
        rep = company.reps[1].id
        # A quiet February: 30 of 930. Selling January's 300 and half of February's 30 by
        # the 14th is exactly on pace; an even phasing (310 a month) would call it far behind.
        await add_tracked_plan(
            session, company, targets={rep: [300.0, 30.0, 600.0]}, actuals={rep: [300.0]}
        )
        await record(session, rep, date(2026, 2, 14), 15.0, "feb")
        data = await api.data(REP, rep=str(rep), asOf="2026-02-14")
        p = data["repProgress"][0]["progress"]
        assert p["expected"] == pytest.approx(315.0)
        assert p["pace"] == pytest.approx(1.0)
        assert 315.0 / (930 * 1.5 / 3) < 0.7  # what an even phasing would have said


class TestRollUp:
    async def test_a_node_sums_its_reps_and_its_children_partition_it(self, session, tracked, api):
        data = await api.data(DASHBOARD, asOf="2026-02-28")
        board = data["trackingDashboard"]
        head = board["headline"]["figures"]
        targets = tracked.targets
        assert head["reps"] == 12
        assert head["target"] == pytest.approx(sum(sum(v) for v in targets.values()))
        actual = sum(v[0] + v[1] for v in targets.values()) - (100 + 200) + (120 + 150)
        assert head["actual"] == pytest.approx(actual)
        assert head["expected"] == pytest.approx(sum(v[0] + v[1] for v in targets.values()))
        assert head["pace"] == pytest.approx(head["actual"] / head["expected"])
        children = board["children"]
        assert {c["node"]["name"] for c in children} == {"North", "South"}
        for key in ("reps", "actual", "expected"):
            assert sum(c["figures"][key] for c in children) == pytest.approx(head[key])

    async def test_the_design_point_is_the_mean_of_the_plans_probabilities(self, session, tracked):
        board = await tracking_dashboard(session, principal=SYSTEM, as_of=date(2026, 2, 28))
        assert board is not None
        expected = np.mean(
            [
                ForecastDistribution.quantiles(
                    LEVELS, [0.85 * sum(v), sum(v), 1.15 * sum(v)], []
                ).p_period(sum(v))
                for v in tracked.targets.values()
            ]
        )
        assert board.headline.figures.design_point == pytest.approx(expected)

    async def test_a_team_lists_its_reps_as_members(self, session, tracked, api):
        team = tracked.company.teams[0]
        data = await api.data(DASHBOARD, asOf="2026-02-28", node=str(team.id))
        board = data["trackingDashboard"]
        assert board["children"] == []
        assert board["members"]["totalCount"] == 3
        assert board["headline"]["node"]["kind"] == "TEAM"
