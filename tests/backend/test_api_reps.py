"""Reps over GraphQL: pagination, filters, sorting, nested data and the SQL it costs."""

from __future__ import annotations

from tests.backend.conftest import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import SmallCompany

PAGE = """
query Page($first: Int!, $after: String, $filter: RepFilter, $sort: RepSort) {
  reps(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id name rank { code currentSettings { version } } team { name }
            region { code } actuals { month metricCode value } } }
  }
}
"""


async def test_pages_through_every_rep_exactly_once(api: GraphQLClient, company: SmallCompany):
    seen: list[str] = []
    after = None
    while True:
        data = await api.data(PAGE, first=5, after=after)
        conn = data["reps"]
        seen += [e["node"]["id"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert conn["totalCount"] == len(company.reps) == 12
    assert sorted(seen) == sorted(str(r.id) for r in company.reps)


async def test_filters_by_org_subtree_rank_and_text(api: GraphQLClient, company: SmallCompany):
    north = company.regions[0]
    data = await api.data(PAGE, first=50, filter={"orgUnitId": str(north.id)})
    names = {e["node"]["name"] for e in data["reps"]["edges"]}
    assert names == {r.name for r in company.reps if r.name.startswith("North")}

    data = await api.data(PAGE, first=50, filter={"rankCodes": ["S2"], "search": "south-1"})
    assert {e["node"]["name"] for e in data["reps"]["edges"]} == {"South-1-1"}
    assert all(e["node"]["rank"]["code"] == "S2" for e in data["reps"]["edges"])


async def test_sorts_descending_by_name(api: GraphQLClient, company: SmallCompany):
    data = await api.data(PAGE, first=50, sort={"field": "NAME", "direction": "DESC"})
    names = [e["node"]["name"] for e in data["reps"]["edges"]]
    assert names == sorted(names, reverse=True)


async def test_leavers_are_hidden_unless_asked(api: GraphQLClient, company: SmallCompany, session):
    from datetime import date

    leaver = company.reps[0]
    leaver.leave_date = date(2025, 6, 30)
    session.add(leaver)
    await session.commit()
    default = await api.data(PAGE, first=50)
    with_leavers = await api.data(PAGE, first=50, filter={"includeLeavers": True})
    assert default["reps"]["totalCount"] == 11
    assert with_leavers["reps"]["totalCount"] == 12


async def test_sql_statements_do_not_grow_with_page_size(
    api: GraphQLClient, company: SmallCompany, count_statements: StatementCounter
):
    await api.data(PAGE, first=2)
    small = count_statements.count
    count_statements.count = 0
    data = await api.data(PAGE, first=12)
    assert len(data["reps"]["edges"]) == 12
    assert all(len(e["node"]["actuals"]) == 12 for e in data["reps"]["edges"])
    assert count_statements.count == small, count_statements.statements


async def test_rejects_a_page_size_over_the_cap_with_a_readable_error(
    api: GraphQLClient, company: SmallCompany
):
    body = await api.execute(PAGE, first=100_000)
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "first"}


async def test_rejects_a_forged_cursor(api: GraphQLClient, company: SmallCompany):
    body = await api.execute(PAGE, first=5, after="bm90LWEtY3Vyc29y")
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_rep_profile_has_filtered_actuals_and_rank_history(
    api: GraphQLClient, company: SmallCompany
):
    rep = company.reps[0]
    data = await api.data(
        """query($id: ID!) { rep(id: $id) { name tenureMonths
             actuals(metricCodes: ["revenue"], fromMonth: "2025-02-01") { month metricCode value }
             rankHistory { rank { code } effectiveFrom reason } } }""",
        id=str(rep.id),
    )
    actuals = data["rep"]["actuals"]
    assert [a["month"] for a in actuals] == ["2025-02-01", "2025-03-01"]
    assert {a["metricCode"] for a in actuals} == {"revenue"}
    assert data["rep"]["rankHistory"][0]["reason"] == "hired"
