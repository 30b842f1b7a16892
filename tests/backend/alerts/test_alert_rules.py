"""Alert rules are versioned data, validated field by field and bounded by the caller's scope."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AlertRule
from tests.backend.alerts.conftest import Clients, World

CREATE = """mutation($key: String!, $input: AlertRuleInput!) {
  createAlertRule(key: $key, input: $input) {
    rule { key version active kind metric scopeOrgId severity
           params { periods grain threshold k minPeers below days } }
    errors { field code message } } }"""
UPDATE = """mutation($key: String!, $v: Int!, $input: AlertRuleInput!) {
  updateAlertRule(key: $key, expectedVersion: $v, input: $input) {
    rule { key version active params { periods grain threshold } }
    errors { field code message } } }"""
RULES = """query($all: Boolean!) { alertRules(includeRetired: $all) {
  key version active name } }"""


def pace(**params: Any) -> dict[str, Any]:
    return {"name": "Behind pace", "kind": "BEHIND_PACE", "params": params}


async def test_a_rule_starts_at_version_1_with_the_defaults_of_its_kind(client_of: Clients):
    admin = await client_of("admin")
    out = await admin.data(CREATE, key="pace-2m", input=pace(grain="MONTH", periods=2))
    rule = out["createAlertRule"]["rule"]
    assert rule["version"] == 1 and rule["active"] and rule["metric"] == "revenue"
    assert rule["params"]["periods"] == 2 and rule["params"]["grain"] == "MONTH"
    assert rule["params"]["threshold"] == 0.9  # the kind's default
    assert rule["params"]["k"] is None  # not a parameter of this kind
    assert rule["scopeOrgId"] is None and rule["severity"] == "WARNING"


async def test_a_change_adds_a_version_and_retires_the_one_before(
    client_of: Clients, session: AsyncSession
):
    admin = await client_of("admin")
    await admin.data(CREATE, key="pace", input=pace())
    out = await admin.data(UPDATE, key="pace", v=1, input=pace(threshold=0.8))
    assert out["updateAlertRule"]["rule"]["version"] == 2
    current = (await admin.data(RULES, all=False))["alertRules"]
    assert [(r["key"], r["version"]) for r in current if r["key"] == "pace"] == [("pace", 2)]
    every = (await admin.data(RULES, all=True))["alertRules"]
    assert [(r["version"], r["active"]) for r in every if r["key"] == "pace"] == [
        (1, False),
        (2, True),
    ]
    stale = await admin.data(UPDATE, key="pace", v=1, input=pace(threshold=0.7))
    assert stale["updateAlertRule"]["errors"][0]["code"] == "STALE_VERSION"
    rows = (await session.exec(select(AlertRule).where(AlertRule.key == "pace"))).all()
    assert len(rows) == 2  # the refused change added nothing


async def test_every_bad_field_is_named_and_nothing_is_saved(
    client_of: Clients, session: AsyncSession
):
    admin = await client_of("admin")
    bad = {**pace(threshold=7.0, periods=0), "metric": "conversion_rate", "name": " "}
    out = await admin.data(CREATE, key="bad", input=bad)
    fields = {e["field"] for e in out["createAlertRule"]["errors"]}
    assert fields == {"params.threshold", "params.periods", "metric", "name"}
    assert all(e["code"] == "INVALID" for e in out["createAlertRule"]["errors"])
    unknown = await admin.data(CREATE, key="bad", input={**pace(), "metric": "nope"})
    assert unknown["createAlertRule"]["errors"][0]["field"] == "metric"
    key = await admin.data(CREATE, key="Bad Key!", input=pace())
    assert key["createAlertRule"]["errors"][0]["field"] == "key"
    assert (
        await session.exec(select(AlertRule).where(AlertRule.key != "low-probability"))
    ).all() == []


async def test_a_key_is_taken_once(client_of: Clients):
    admin = await client_of("admin")
    await admin.data(CREATE, key="pace", input=pace())
    again = await admin.data(CREATE, key="pace", input=pace())
    assert again["createAlertRule"]["errors"][0]["code"] == "CONFLICT"


async def test_a_branch_manager_defines_rules_for_their_branch_only(
    client_of: Clients, world: World
):
    branch = await client_of("branch0")
    mine = {**pace(), "scopeOrgId": str(world.company.branches[0].id)}
    assert (await branch.data(CREATE, key="b0", input=mine))["createAlertRule"]["errors"] == []
    company_wide = await branch.data(CREATE, key="all", input=pace())
    assert company_wide["createAlertRule"]["errors"][0]["code"] == "FORBIDDEN"
    other = {**pace(), "scopeOrgId": str(world.company.branches[1].id)}
    refused = await branch.data(CREATE, key="b1", input=other)
    assert refused["createAlertRule"]["errors"][0]["field"] == "scopeOrgId"
    # The company-wide default applies to them: they see it, and may not change it.
    keys = {r["key"] for r in (await branch.data(RULES, all=False))["alertRules"]}
    assert keys == {"b0", "low-probability"}
    change = await branch.data(
        UPDATE, key="low-probability", v=1, input={**pace(), "kind": "LOW_PROBABILITY"}
    )
    assert change["updateAlertRule"]["errors"][0]["code"] == "FORBIDDEN"


async def test_another_branch_neither_sees_nor_changes_a_branch_rule(
    client_of: Clients, world: World
):
    await (await client_of("branch0")).data(
        CREATE, key="b0", input={**pace(), "scopeOrgId": str(world.company.branches[0].id)}
    )
    other = await client_of("branch1")
    assert "b0" not in {r["key"] for r in (await other.data(RULES, all=True))["alertRules"]}
    out = await other.data(UPDATE, key="b0", v=1, input=pace())
    assert out["updateAlertRule"]["errors"][0]["code"] == "NOT_FOUND"


async def test_reps_and_team_leads_may_not_define_rules(client_of: Clients):
    for name in ("rep", "lead1"):
        out = await (await client_of(name)).data(CREATE, key="x", input=pace())
        (error,) = out["createAlertRule"]["errors"]
        assert error["code"] == "FORBIDDEN" and "manage_alert_rules" in error["message"]
