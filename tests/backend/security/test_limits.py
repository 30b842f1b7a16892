"""Each API limit accepts N and refuses N+1, fragments included; internals never leak."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.app import create_app
from backend.graphql import limits
from backend.graphql.security import MAX_INPUT_LIST
from backend.settings import Settings


def nested(depth: int) -> str:
    """A query `depth` levels below its root field: orgUnits > children > ... > id."""
    inner = "id"
    for _ in range(depth - 1):
        inner = f"children {{ {inner} }}"
    return f"{{ orgUnits {{ {inner} }} }}"


def nested_through_fragment(depth: int) -> str:
    inner = "id"
    for _ in range(depth - 2):
        inner = f"children {{ {inner} }}"
    return f"{{ orgUnits {{ ...Deep }} }} fragment Deep on OrgUnit {{ children {{ {inner} }} }}"


def aliased(n: int) -> str:
    return "{ " + " ".join(f"a{i}: metrics {{ code }}" for i in range(n)) + " }"


def aliased_in_fragment(n: int) -> str:
    body = " ".join(f"a{i}: code" for i in range(n - 1))
    return f"{{ x: metrics {{ ...M }} }} fragment M on Metric {{ {body} }}"


def directives(n: int) -> str:
    return "{ metrics { " + " ".join(f"c{i}: code @include(if: true)" for i in range(n)) + " } }"


def directives_in_fragment(n: int) -> str:
    body = " ".join(f"c{i}: code @skip(if: false)" for i in range(n))
    return f"{{ metrics {{ ...M }} }} fragment M on Metric {{ {body} }}"


def tokens(n: int, fields: int = 25) -> str:
    """A valid document of exactly n lexical tokens: aliased reps lists with long filters.

    Each `aI: reps(filter: {rankCodes: [...]}) { totalCount }` is 16 tokens plus its list.
    """
    items = n - 2 - 16 * fields
    sizes = [items // fields + (1 if i < items % fields else 0) for i in range(fields)]
    code = '"S1"'
    parts = [
        f"a{i}: reps(filter: {{rankCodes: [{' '.join([code] * size)}]}}) {{ totalCount }}"
        for i, size in enumerate(sizes)
    ]
    return "{ " + " ".join(parts) + " }"


CASES = {
    "depth": (nested, limits.MAX_DEPTH),
    "depth via fragment": (nested_through_fragment, limits.MAX_DEPTH),
    "aliases": (aliased, limits.MAX_ALIASES),
    "aliases via fragment": (aliased_in_fragment, limits.MAX_ALIASES),
    "directives": (directives, limits.MAX_DIRECTIVES),
    "directives via fragment": (directives_in_fragment, limits.MAX_DIRECTIVES),
    "tokens": (tokens, limits.MAX_TOKENS),
}


@pytest.mark.parametrize("case", CASES)
async def test_a_document_at_the_limit_runs_and_one_over_is_refused(case, api, company):
    build, limit = CASES[case]
    at_limit = await api.execute(build(limit))
    over = await api.execute(build(limit + 1))
    assert "errors" not in at_limit, at_limit.get("errors")
    assert over.get("data") is None and over["errors"], over


async def test_page_size_is_capped(api, company):
    assert "errors" not in await api.execute("{ reps(first: 500) { totalCount } }")
    refused = await api.execute("{ reps(first: 501) { totalCount } }")
    assert refused["errors"][0]["extensions"]["field"] == "first"


PAGED = {
    "reps": "reps(first: {n}) {{ totalCount }}",
    "importRuns": "importRuns(limit: {n}) {{ id }}",
    "planTargets": 'planTargets(planId: "1", limit: {n}) {{ totalCount }}',
}


@pytest.mark.parametrize("field", PAGED)
@pytest.mark.parametrize("size", [limits.MAX_PAGE_SIZE + 1, 100_000, 0, -1])
async def test_every_page_size_argument_has_one_cap(field, size, api, company):
    """One convention everywhere: 1 to 500 items a page, refused (not clamped) outside it."""
    body = await api.execute("{ " + PAGED[field].format(n=size) + " }")
    assert body["data"] is None, body
    (error,) = body["errors"]
    argument = "first" if field == "reps" else "limit"
    assert error["extensions"] == {"code": "INVALID", "field": argument}, error
    assert f"1 to {limits.MAX_PAGE_SIZE}" in error["message"]


async def test_a_page_of_the_maximum_size_is_accepted(api, company):
    body = await api.execute(f"{{ importRuns(limit: {limits.MAX_PAGE_SIZE}) {{ id }} }}")
    assert body == {"data": {"importRuns": []}}


async def test_offsets_are_never_negative(api, company):
    body = await api.execute("{ importRuns(offset: -1) { id } }")
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "offset"}


async def test_the_page_cap_holds_for_nested_fields_and_variables(api, company):
    body = await api.execute(
        "query($n: Int!) { a: reps(first: 1) { totalCount } b: importRuns(limit: $n) { id } }",
        n=501,
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "limit"}
    assert body["errors"][0]["path"] == ["b"]


async def test_input_lists_are_capped(api, company):
    query = "query($codes: [String!]) { reps(filter: {rankCodes: $codes}) { totalCount } }"
    ok = await api.execute(query, codes=["S1"] * MAX_INPUT_LIST)
    refused = await api.execute(query, codes=["S1"] * (MAX_INPUT_LIST + 1))
    assert ok["data"]["reps"]["totalCount"] == 8  # two of each team's three reps are S1
    assert refused["errors"][0]["extensions"] == {"code": "INVALID", "field": "filter.rankCodes"}


async def test_batches_are_capped(api, company):
    batch = [{"query": "{ metrics { code } }"}] * limits.MAX_BATCH
    ok = await api.http.post("/graphql", json=batch)
    refused = await api.http.post("/graphql", json=batch + batch[:1])
    assert ok.status_code == 200 and len(ok.json()) == limits.MAX_BATCH
    assert refused.status_code == 400


async def test_request_bodies_are_capped(api, company):
    def body(size: int) -> bytes:
        raw = json.dumps({"query": "{ metrics { code } }"}).encode()
        return raw[:-1] + b" " * (size - len(raw)) + b"}"

    headers = {"content-type": "application/json"}
    ok = await api.http.post("/graphql", content=body(limits.MAX_JSON_BODY_BYTES), headers=headers)
    over = await api.http.post(
        "/graphql", content=body(limits.MAX_JSON_BODY_BYTES + 1), headers=headers
    )
    assert ok.status_code == 200
    assert over.status_code == 413


async def test_unexpected_errors_are_masked_but_user_errors_stay_readable(
    api, company, monkeypatch
):
    from backend.services import ranks

    async def broken(*_args, **_kwargs):
        raise RuntimeError("password=hunter2 at /srv/secret.py line 3")

    monkeypatch.setattr(ranks, "list_ranks", broken)
    body = await api.execute("{ ranks { code } }")
    text = json.dumps(body)
    assert "hunter2" not in text and "secret.py" not in text and "Traceback" not in text
    assert body["errors"][0]["message"] == "Unexpected error."
    invalid = await api.execute("{ nope }")
    assert "Cannot query field 'nope'" in invalid["errors"][0]["message"]


PRODUCTION = Settings(env="production", secret_key="production-secret-key-of-enough-length-0123")


@pytest.fixture
async def production(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(PRODUCTION, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


MISSPELT = {
    "field": ("{ orgUnitz { id } }", {}),
    "argument": ("{ reps(frist: 1) { totalCount } }", {}),
    "type": ("query($f: RepFiltr) { reps(filter: $f) { totalCount } }", {}),
    "enum literal": ("{ plans(status: DRAF) { id } }", {}),
    "enum variable": ("query($s: PlanStatus) { plans(status: $s) { id } }", {"s": "DRAF"}),
    "input field variable": (
        "query($f: RepFilter) { reps(filter: $f) { totalCount } }",
        {"f": {"serch": "x"}},
    ),
}


@pytest.mark.parametrize("case", MISSPELT)
async def test_production_suggests_no_names(case, production, client_factory):
    """'Did you mean …' would list the schema's names to anyone, introspection off or not."""
    query, variables = MISSPELT[case]
    body = {"query": query, "variables": variables}
    refused = (await production.post("/graphql", json=body)).json()
    assert refused["errors"], refused
    assert "Did you mean" not in json.dumps(refused), refused
    development = await client_factory({})
    suggested = (await development.http.post("/graphql", json=body)).json()
    assert "Did you mean" in json.dumps(suggested), suggested  # the case does misspell a name
