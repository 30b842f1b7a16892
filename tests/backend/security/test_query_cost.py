"""Query cost: priced from the document before anything runs, one budget per request (batches
included), two heavy fields at once per user, and nothing heavy starts once the client has gone.

The heavy services are replaced by stubs that count their calls (and can be held open), so no
test runs a real solve: refusals are static.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from graphql import parse
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.app import create_app
from backend.db.models import User
from backend.graphql import cost, limits
from backend.graphql.schema import schema
from backend.services.planning import assessment as assessment_service
from backend.services.planning import generation as generation_service
from backend.services.planning import scenarios as scenario_service
from tests.backend.conftest import TEST_SETTINGS, GraphQLClient
from tests.factories import SmallCompany, make_user, signed_in_headers

RANK = cost.FIELD_COSTS["Query.rankAssessment"]
WHAT_IF = cost.FIELD_COSTS["Query.whatIf"]


def price(query: str, **variables: Any) -> int:
    return cost.document_cost(schema._schema, parse(query), None, variables)


def assessments(n: int) -> str:
    fields = " ".join(f'a{i}: rankAssessment(planId: "1") {{ rankCode }}' for i in range(n))
    return "{ " + fields + " }"


def what_ifs(n: int) -> str:
    fields = " ".join(f'w{i}: whatIf(input: {{planId: "1"}}) {{ seconds }}' for i in range(n))
    return "{ " + fields + " }"


# --- the price of a document ---------------------------------------------------------------


def test_object_fields_cost_one_and_scalars_nothing():
    assert price("{ metrics { code name } }") == 1
    assert price("{ orgUnits { id parent { id } children { id } } }") == 3
    assert price("{ __typename }") == 0


def test_heavy_fields_have_their_price_and_every_alias_pays():
    assert price(assessments(1)) == RANK
    assert price(assessments(30)) == 30 * RANK
    assert price(what_ifs(30)) == 30 * WHAT_IF
    assert price('mutation { generatePlan(planId: "1") { targets } }') == 5000


def test_fragments_are_priced_where_they_are_spread():
    query = (
        '{ a: rankAssessment(planId: "1") { ...R } b: rankAssessment(planId: "2") { ...R } }'
        " fragment R on RankOutlook { rankCode }"
    )
    assert price(query) == 2 * RANK
    nested = (
        "{ ...Q ...Q } fragment Q on Query"
        ' { x: rankAssessment(planId: "1") { rankCode } y: metrics { code } }'
    )
    assert price(nested) == 2 * (RANK + 1)
    inline = '{ ... on Query { rankAssessment(planId: "1") { rankCode } } }'
    assert price(inline) == RANK


def test_a_page_multiplies_what_is_selected_under_it():
    page = "query($n: Int!) { reps(first: $n) { edges { node { name rank { code } } } } }"
    assert price(page, n=10) == 1 + 10 * 3
    assert price("{ reps(first: 100) { edges { node { name } } } }") == 1 + 100 * 2
    assert price("{ reps { edges { node { name } } } }") == 1 + 50 * 2  # the default, 50
    assert price("{ reps(first: 100) { totalCount } }") == 1  # scalars under a page are free
    with_default = "query($n: Int = 20) { reps(first: $n) { edges { cursor } } }"
    assert price(with_default) == 1 + 20
    # a size over the cap is refused when the field runs; priced at the cap meanwhile
    assert price("{ reps(first: 100000) { edges { cursor } } }") == 1 + limits.MAX_PAGE_SIZE


def test_the_budget_admits_what_the_app_asks_for():
    """The SPA's largest requests (a 500-item page of flags, two heavy fields) stay within."""
    flags = (
        'query { planTargets(planId: "1", metricCode: "revenue", offset: 0, limit: 500)'
        " { totalCount items { repId targets { flags } } } }"
    )
    assert price(flags) <= limits.MAX_COST
    assert price(assessments(1)) + price(what_ifs(1)) <= limits.MAX_COST
    assert price(assessments(3)) > limits.MAX_COST


# --- over budget: refused before anything runs --------------------------------------------


class Stub:
    """Stands in for a heavy service: counts calls, and holds them while ``gate`` is closed."""

    def __init__(self, result: Any = None) -> None:
        self.started = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.result = result

    async def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        self.started += 1
        await self.gate.wait()
        return self.result if self.result is not None else []

    async def until_started(self, n: int) -> None:
        async with asyncio.timeout(10):
            while self.started < n:
                await asyncio.sleep(0.01)


@pytest.fixture
def assessment(monkeypatch: pytest.MonkeyPatch) -> Stub:
    stub = Stub()
    monkeypatch.setattr(assessment_service, "rank_assessment", stub)
    return stub


@pytest.fixture
def what_if(monkeypatch: pytest.MonkeyPatch) -> Stub:
    stub = Stub()
    monkeypatch.setattr(scenario_service, "what_if", stub)
    return stub


@pytest.fixture
def generation(monkeypatch: pytest.MonkeyPatch) -> Stub:
    stub = Stub()
    monkeypatch.setattr(generation_service, "generate_plan", stub)
    return stub


def cost_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body["data"] is None, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "COST_LIMIT", error
    return dict(error)


async def test_thirty_rank_assessments_are_refused_before_any_runs(api, company, assessment):
    error = cost_error(await api.execute(assessments(30)))
    assert error["extensions"]["cost"] == 30 * RANK
    assert error["extensions"]["budget"] == limits.MAX_COST
    assert f"costs {30 * RANK}" in error["message"]
    assert f"budget of {limits.MAX_COST}" in error["message"]
    assert assessment.started == 0


async def test_thirty_what_ifs_are_refused_before_any_runs(api, company, what_if):
    cost_error(await api.execute(what_ifs(30)))
    assert what_if.started == 0


async def test_a_document_within_the_budget_runs(api, company, assessment):
    body = await api.execute(assessments(2))
    assert body == {"data": {"a0": [], "a1": []}}
    assert assessment.started == 2


async def test_a_batch_draws_on_one_budget(api, company, assessment):
    heavy = {"query": assessments(30)}
    refused = await api.http.post("/graphql", json=[heavy] * limits.MAX_BATCH)
    assert refused.status_code == 200
    for body in refused.json():
        cost_error(body)
    assert assessment.started == 0

    single = {"query": assessments(1)}
    response = await api.http.post("/graphql", json=[single, single, single])
    first, second, third = response.json()
    assert first == second == {"data": {"a0": []}}
    error = cost_error(third)
    assert error["extensions"]["spent"] == 2 * RANK
    assert "earlier operations" in error["message"]
    assert assessment.started == 2


async def test_a_mutation_over_the_budget_is_refused_whole(api, company, generation):
    mutation = "mutation { " + " ".join(
        f'g{i}: generatePlan(planId: "1") {{ targets errors {{ code }} }}' for i in range(3)
    )
    cost_error(await api.execute(mutation + " }"))
    assert generation.started == 0


# --- heavy fields at once, per user --------------------------------------------------------


@pytest.fixture
async def users(session: AsyncSession) -> dict[str, User]:
    made = {
        "planner": await make_user(session, username="planner", role="hq_planner"),
        "other": await make_user(session, username="other-planner", role="hq_planner"),
    }
    await session.commit()
    return made


SignIn = Callable[[User], Awaitable[GraphQLClient]]


@pytest.fixture(autouse=True)
def short_slot_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "HEAVY_SLOT_WAIT_SECONDS", 0.2)


async def test_two_heavy_fields_at_once_per_user_across_requests(
    company: SmallCompany,
    users: dict[str, User],
    sign_in_as: SignIn,
    assessment: Stub,
    generation: Stub,
) -> None:
    planner = users["planner"]
    first, second, third = [await sign_in_as(planner) for _ in range(3)]  # three sessions
    assessment.gate.clear()
    running = [
        asyncio.create_task(first.execute(assessments(1))),
        asyncio.create_task(second.execute(assessments(1))),
    ]
    await assessment.until_started(2)

    busy = await third.execute(assessments(1))
    assert busy["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS", busy
    assert "already running" in busy["errors"][0]["message"]
    refused = await third.execute('mutation { generatePlan(planId: "1") { errors { code } } }')
    assert refused["data"]["generatePlan"]["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert generation.started == 0

    other = await sign_in_as(users["other"])  # another user is not held up
    other_run = asyncio.create_task(other.execute(assessments(1)))
    await assessment.until_started(3)

    assessment.gate.set()
    for done in await asyncio.gather(*running, other_run):
        assert done == {"data": {"a0": []}}
    assert await third.execute(assessments(1)) == {"data": {"a0": []}}  # slots released


async def test_a_heavy_field_waits_a_little_for_a_slot(
    company: SmallCompany,
    users: dict[str, User],
    sign_in_as: SignIn,
    assessment: Stub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page asking for an assessment while two what-ifs finish is served, a bit later."""
    monkeypatch.setattr(limits, "HEAVY_SLOT_WAIT_SECONDS", 10.0)
    one, two, three = [await sign_in_as(users["planner"]) for _ in range(3)]
    assessment.gate.clear()
    running = asyncio.create_task(one.execute(assessments(2)))
    await assessment.until_started(1)
    waiting = asyncio.create_task(two.execute(assessments(1)))
    await asyncio.sleep(0.05)
    assessment.gate.set()  # the two finish within the wait
    assert await waiting == {"data": {"a0": []}}
    assert await running == {"data": {"a0": [], "a1": []}}
    assert await three.execute(assessments(1)) == {"data": {"a0": []}}


async def test_one_request_with_two_heavy_fields_holds_both_slots(
    company: SmallCompany, users: dict[str, User], sign_in_as: SignIn, assessment: Stub
) -> None:
    """The second alias waits for the request's database session, holding its slot."""
    one, two = await sign_in_as(users["planner"]), await sign_in_as(users["planner"])
    assessment.gate.clear()
    both = asyncio.create_task(one.execute(assessments(2)))
    await assessment.until_started(1)
    busy = await two.execute(assessments(1))
    assert busy["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
    assessment.gate.set()
    assert await both == {"data": {"a0": [], "a1": []}}


async def test_a_failing_heavy_field_releases_its_slot(api, company, monkeypatch):
    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(assessment_service, "rank_assessment", broken)
    for _ in range(limits.MAX_HEAVY_PER_CALLER + 1):
        body = await api.execute(assessments(1))
        assert body["errors"][0]["message"] == "Unexpected error."


# --- the client has gone -------------------------------------------------------------------


async def test_no_heavy_field_starts_after_the_client_disconnected(
    engine: AsyncEngine,
    session: AsyncSession,
    company: SmallCompany,
    users: dict[str, User],
    assessment: Stub,
) -> None:
    """The body arrives, then the connection drops: the ASGI receive says so from then on."""
    app = create_app(TEST_SETTINGS, engine=engine)
    headers = await signed_in_headers(
        session, user=users["planner"], secret_key=TEST_SETTINGS.secret_key
    )
    body = json.dumps({"query": assessments(2)}).encode()
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *((k.encode(), v.encode()) for k, v in headers.items()),
        ],
    }
    await app(scope, receive, send)
    reply = json.loads(
        b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    )
    assert {e["extensions"]["code"] for e in reply["errors"]} == {"CANCELLED"}, reply
    assert assessment.started == 0


def test_every_priced_field_exists_and_every_import_step_is_priced() -> None:
    from backend.graphql.schema import schema

    graphql_schema = schema._schema
    for key in cost.FIELD_COSTS:
        type_name, field = key.split(".")
        named = graphql_schema.get_type(type_name)
        assert named is not None and field in named.fields, key  # type: ignore[attr-defined]
    mutations = graphql_schema.mutation_type
    assert mutations is not None
    imports = {f for f in mutations.fields if f.endswith("Import") and f != "setImportMapping"}
    assert {f"Mutation.{f}" for f in imports} <= set(cost.FIELD_COSTS)
