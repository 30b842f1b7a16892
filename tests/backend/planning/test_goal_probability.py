"""The suggested goal shows the design point it implies: the P(achieve) of a rep when the
suggestion is split at equal difficulty, read off the generated plan's ForecastDistributions
(``solver.planning.distribution.goal_probability``), so it is the P planning reports at it."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.services.access import SYSTEM
from backend.services.planning.generation import generate_plan
from tests.backend.planning.conftest import Clients, new_plan
from tests.factories import SmallCompany

QUERY = """
query ($id: ID!) {
  plan(id: $id) {
    goals { metricCode isScope suggested suggestedProbability }
  }
}
"""


def _scope_revenue(goals: list[dict]) -> dict:
    return next(g for g in goals if g["metricCode"] == "revenue" and g["isScope"])


async def test_the_suggestion_shows_its_design_point_after_generation(
    session: AsyncSession, planning_company: SmallCompany, client_of: Clients
) -> None:
    api = await client_of("admin")
    seen: list[tuple[float, float, float]] = []  # (suggested goal, its P, the plan's P)
    for growth in (-0.05, 0.05, 0.15):
        plan = await new_plan(session, planning_company, growth=growth, name=f"g{growth}")
        before = _scope_revenue((await api.data(QUERY, id=str(plan.id)))["plan"]["goals"])
        assert before["suggestedProbability"] is None  # known once the forecasts are made
        outcome = await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
        await session.commit()
        goal = _scope_revenue((await api.data(QUERY, id=str(plan.id)))["plan"]["goals"])
        p = goal["suggestedProbability"]
        plan_p = outcome.probability["revenue"]
        assert p is not None and plan_p is not None
        seen.append((goal["suggested"], p, plan_p))
    for _, p, plan_p in seen:
        assert 0 < p < 1
        # The goal is the suggestion here: planning at it reports the same P (the mean of the
        # reps' P(achieve) at their final targets; rounding and bounds move it a little).
        assert p == pytest.approx(plan_p, abs=0.01)
    goals = [s for s, _, _ in seen]
    probabilities = [p for _, p, _ in seen]
    assert goals == sorted(goals) and len(set(goals)) == 3
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] > probabilities[-1] + 0.05  # a rising goal is a harder design point


async def test_metrics_without_a_suggestion_show_none(
    session: AsyncSession, planning_company: SmallCompany, client_of: Clients
) -> None:
    plan = await new_plan(session, planning_company)
    await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    await session.commit()
    goals = (await (await client_of("admin")).data(QUERY, id=str(plan.id)))["plan"]["goals"]
    for g in goals:
        if g["isScope"]:
            assert g["suggestedProbability"] is not None and 0 < g["suggestedProbability"] < 1
        else:
            assert g["suggestedProbability"] is None
