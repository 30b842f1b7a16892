"""The override preview: exactly what the override then does, and nothing saved."""

from __future__ import annotations

import pytest

from backend.db.models import Plan
from tests.backend.planning.conftest import Clients
from tests.backend.planning.test_override import GRID, OVERRIDE, _rep
from tests.factories import SmallCompany

PREVIEW = """
query($input: OverrideTargetInput!) {
  previewOverride(input: $input) {
    result {
      repId periodTotal periodProbability nodeTotal nodeGoal
      rebalanced { repId total probability months }
    }
    conflicts { family node message }
    errors { field code message }
  }
}"""


async def test_the_preview_is_what_the_override_does_and_saves_nothing(
    client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
) -> None:
    api = await client_of("planner")
    plan = str(generated_plan.id)
    rep = planning_company.reps[0]
    grid = (await api.data(GRID, plan=plan, metric="revenue"))["targetsGrid"]
    _, months, version = _rep(grid, rep.id or 0)
    change = {
        "planId": plan,
        "repId": str(rep.id),
        "metricCode": "revenue",
        "value": sum(months) * 1.1,
        "expectedVersion": version,
        "reason": "A new key account.",
    }
    preview = (await api.data(PREVIEW, input=change))["previewOverride"]
    assert preview["errors"] == [] and preview["conflicts"] == []
    moved = {r["repId"]: r for r in preview["result"]["rebalanced"]}
    assert len(moved) > 1  # teammates absorb it
    assert (await api.data(GRID, plan=plan, metric="revenue"))["targetsGrid"] == grid
    done = (await api.data(OVERRIDE, input=change))["overrideTarget"]
    assert done["errors"] == []
    applied = {r["repId"]: r for r in done["result"]["rebalanced"]}
    assert applied.keys() == moved.keys()
    for rep_id, row in applied.items():
        assert row["total"] == pytest.approx(moved[rep_id]["total"])
        assert row["months"] == pytest.approx(moved[rep_id]["months"])


async def test_a_refused_preview_says_why_and_a_rep_may_not_preview(
    client_of: Clients, generated_plan: Plan, planning_company: SmallCompany
) -> None:
    api = await client_of("planner")
    change = {
        "planId": str(generated_plan.id),
        "repId": str(planning_company.reps[0].id),
        "metricCode": "revenue",
        "value": -1.0,
        "expectedVersion": 1,
    }
    preview = (await api.data(PREVIEW, input=change))["previewOverride"]
    assert [(e["field"], e["code"]) for e in preview["errors"]] == [("value", "INVALID")]
    rep = await client_of("rep")
    body = await rep.execute(PREVIEW, input=change)
    assert body["errors"][0]["message"] == "your role may not plan"
