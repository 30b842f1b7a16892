"""Mutations: typed errors that name the field, nothing changed on refusal, audit on success."""

from __future__ import annotations

from sqlmodel import func, select

from backend.db.models import AuditEntry, RankSettingsVersion
from tests.backend.conftest import GraphQLClient
from tests.factories import SmallCompany

SETTINGS = """
mutation($input: UpdateRankSettingsInput!) {
  updateRankSettings(input: $input) {
    rank { code currentSettings { version note metrics { metric { code } baseline } }
           versions { version } }
    errors { field code message }
  }
}
"""


def settings_input(rank_id: int, **overrides):
    metrics = [
        {
            "metricCode": "revenue",
            "weight": 0.6,
            "baseline": 123_000,
            "floorMultiplier": 0.5,
            "ceilingMultiplier": 2,
        },
        {
            "metricCode": "new_customers",
            "weight": 0.4,
            "baseline": 4,
            "floorMultiplier": 0.5,
            "ceilingMultiplier": 2,
        },
    ]
    base = {
        "rankId": str(rank_id),
        "expectedVersion": 1,
        "effectiveFrom": "2025-01-01",
        "note": "raise baseline",
        "promotionThreshold": 1.1,
        "promotionQuarters": 2,
        "minTenureMonths": 12,
        "demotionThreshold": 0.7,
        "demotionQuarters": 2,
        "metrics": metrics,
    }
    return base | overrides


async def count(session, model) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def test_new_rank_settings_become_a_new_version_and_keep_history(
    api: GraphQLClient, company: SmallCompany, session
):
    data = await api.data(SETTINGS, input=settings_input(company.ranks[0].id))
    payload = data["updateRankSettings"]
    assert payload["errors"] == []
    assert payload["rank"]["currentSettings"]["version"] == 2
    assert [v["version"] for v in payload["rank"]["versions"]] == [2, 1]
    baselines = {
        m["metric"]["code"]: m["baseline"] for m in payload["rank"]["currentSettings"]["metrics"]
    }
    assert baselines == {"revenue": 123_000, "new_customers": 4}
    audit = (await session.exec(select(AuditEntry).where(AuditEntry.entity == "rank"))).all()
    assert [(a.action, a.entity, a.reason) for a in audit] == [
        ("new_settings_version", "rank", "raise baseline")
    ]


async def test_invalid_settings_name_every_bad_field_and_change_nothing(
    api: GraphQLClient, company: SmallCompany, session
):
    bad = settings_input(company.ranks[0].id)
    bad["metrics"][0] |= {"weight": 0.9, "baseline": -1, "floorMultiplier": 3}
    bad["demotionThreshold"] = 2.0
    payload = (await api.data(SETTINGS, input=bad))["updateRankSettings"]
    fields = {e["field"] for e in payload["errors"]}
    assert {
        "metrics[0].baseline",
        "metrics[0].ceilingMultiplier",
        "metrics",
        "promotionThreshold",
    } <= fields
    assert all(e["code"] == "INVALID" for e in payload["errors"])
    assert payload["rank"] is None
    assert await count(session, RankSettingsVersion) == 2
    changes = select(func.count()).where(AuditEntry.entity != "session")
    assert (await session.exec(changes)).one() == 0


async def test_a_stale_version_is_refused_with_the_current_one(
    api: GraphQLClient, company: SmallCompany
):
    first = await api.data(SETTINGS, input=settings_input(company.ranks[0].id))
    assert first["updateRankSettings"]["errors"] == []
    again = await api.data(SETTINGS, input=settings_input(company.ranks[0].id))
    (error,) = again["updateRankSettings"]["errors"]
    assert error["code"] == "STALE_VERSION" and "current version is 2" in error["message"]


async def test_unknown_metric_and_bad_id_are_typed_errors(api: GraphQLClient, company):
    bad = settings_input(company.ranks[0].id)
    bad["metrics"][1]["metricCode"] = "nope"
    payload = (await api.data(SETTINGS, input=bad))["updateRankSettings"]
    assert payload["errors"][0]["field"] == "metrics[1].metricCode"
    payload = (await api.data(SETTINGS, input=settings_input("x")))["updateRankSettings"]
    assert payload["errors"] == [
        {"field": "rankId", "code": "INVALID", "message": "'x' is not a valid id"}
    ]


TRANSFER = """
mutation($input: TransferRepInput!) {
  transferRep(input: $input) { rep { version team { id } } errors { field code } }
}
"""


async def test_transfer_moves_a_rep_and_refuses_a_non_team(api: GraphQLClient, company, session):
    rep, target = company.reps[0], company.teams[3]
    ok = await api.data(
        TRANSFER,
        input={
            "repId": str(rep.id),
            "expectedVersion": 1,
            "teamId": str(target.id),
            "reason": "reorg",
        },
    )
    assert ok["transferRep"] == {
        "rep": {"version": 2, "team": {"id": str(target.id)}},
        "errors": [],
    }
    refused = await api.data(
        TRANSFER,
        input={
            "repId": str(rep.id),
            "expectedVersion": 2,
            "teamId": str(company.branches[0].id),
            "reason": "",
        },
    )
    assert {e["field"] for e in refused["transferRep"]["errors"]} == {"teamId", "reason"}


CHANGE_RANK = """
mutation($input: ChangeRepRankInput!) {
  changeRepRank(input: $input) { rep { rank { code } rankHistory { rank { code } } }
                                 errors { field code } }
}
"""


async def test_rank_change_appends_to_history(api: GraphQLClient, company):
    rep = company.reps[0]  # an S1
    data = await api.data(
        CHANGE_RANK,
        input={
            "repId": str(rep.id),
            "expectedVersion": 1,
            "rankId": str(company.ranks[1].id),
            "effectiveFrom": "2025-04-01",
            "reason": "promotion",
        },
    )
    payload = data["changeRepRank"]
    assert payload["errors"] == []
    assert [h["rank"]["code"] for h in payload["rep"]["rankHistory"]] == ["S1", "S2"]


ORG = """
mutation($c: CreateOrgUnitInput!) { createOrgUnit(input: $c) {
  orgUnit { id depth parent { id } } errors { field code } } }
"""
MOVE = """
mutation($u: UpdateOrgUnitInput!) { updateOrgUnit(input: $u) {
  orgUnit { id depth version } errors { field code } } }
"""


async def test_org_units_are_created_and_moved_with_their_subtree(api: GraphQLClient, company):
    branch = company.branches[0]
    created = (
        await api.data(
            ORG, c={"parentId": str(branch.id), "name": "New team", "code": "NT", "kind": "TEAM"}
        )
    )["createOrgUnit"]
    assert created["errors"] == [] and created["orgUnit"]["depth"] == 3
    duplicate = (
        await api.data(
            ORG, c={"parentId": str(branch.id), "name": "Again", "code": "NT", "kind": "TEAM"}
        )
    )["createOrgUnit"]
    assert duplicate["errors"] == [{"field": "code", "code": "INVALID"}]
    # Move the North branch under the South region: its teams' reps now count for South.
    moved = (
        await api.data(
            MOVE,
            u={"id": str(branch.id), "expectedVersion": 1, "parentId": str(company.regions[1].id)},
        )
    )["updateOrgUnit"]
    assert moved["errors"] == []
    counts = await api.data("{ orgUnits { id repCount depth } }")
    by_id = {u["id"]: u for u in counts["orgUnits"]}
    assert by_id[str(company.regions[1].id)]["repCount"] == 12
    assert by_id[str(company.regions[0].id)]["repCount"] == 0
    assert by_id[str(company.teams[0].id)]["depth"] == 3
    cycle = (
        await api.data(
            MOVE,
            u={
                "id": str(company.regions[1].id),
                "expectedVersion": 1,
                "parentId": str(company.teams[0].id),
            },
        )
    )["updateOrgUnit"]
    assert cycle["errors"][0]["field"] == "parentId"


async def test_a_rank_level_is_taken_once(api: GraphQLClient, company):
    create = (
        'mutation($l: Int!) { createRank(input: {code: "X", name: "X", level: $l}) {'
        " errors { field code } } }"
    )
    taken = (await api.data(create, l=2))["createRank"]["errors"]
    assert taken == [{"field": "level", "code": "INVALID"}]
    assert (await api.data(create, l=7))["createRank"]["errors"] == []
