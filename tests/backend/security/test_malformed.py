"""A malformed request is a 400 with a readable JSON error, never a 500 or a plain-text reply."""

from __future__ import annotations

import json

import httpx
import pytest

from backend.graphql.limits import MAX_BATCH

QUERY = "{ metrics { code } }"
OK = {"query": QUERY}

MALFORMED: dict[str, object] = {
    "a string": "x",
    "a number": 1,
    "null": None,
    "true": True,
    "an empty object": {},
    "a null query": {"query": None},
    "an empty query": {"query": ""},
    "a numeric query": {"query": 1},
    "variables not an object": {"query": QUERY, "variables": 3},
    "variables a list": {"query": QUERY, "variables": []},
    "a numeric operation name": {"query": QUERY, "operationName": 3},
    "extensions a list": {"query": QUERY, "extensions": []},
    "an empty batch": [],
    "a batch of numbers": [1],
    "a batch holding a string": [OK, "x"],
    "a batch holding a null": [OK, None],
    "a batch with an empty operation": [OK, {}],
    "a batch with a numeric query": [OK, {"query": 1}],
    "a batch with bad variables": [OK, {"query": QUERY, "variables": "x"}],
    "a batch with a numeric operation name": [OK, {"query": QUERY, "operationName": 1}],
    "a nested batch": [[OK]],
    "a batch over the limit": [OK] * (MAX_BATCH + 1),
}

RAW = {
    "not JSON": b"{query",
    "truncated JSON": b'{"query": "{ metrics { code } }"',
    "JSON then garbage": b'{"query": "{ metrics { code } }"} x',
    "not UTF-8": b'{"query": "\xff\xfe"}',
    "empty": b"",
    "NaN variables": b'{"query": "{ metrics { code } }", "variables": NaN}',
}


def assert_readable_400(response: httpx.Response) -> str:
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.text
    errors = response.json()["errors"]
    assert errors and errors[0]["extensions"]["code"] == "BAD_REQUEST", errors
    message: str = errors[0]["message"]
    assert message and "Traceback" not in message
    return message


@pytest.mark.parametrize("case", MALFORMED)
async def test_a_malformed_body_is_a_readable_400(case, anonymous, api, company):
    body = json.dumps(MALFORMED[case])
    for client in (anonymous, api):
        response = await client.http.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert_readable_400(response)


@pytest.mark.parametrize("case", RAW)
async def test_a_body_that_is_not_json_is_a_readable_400(case, anonymous, company):
    response = await anonymous.http.post(
        "/graphql", content=RAW[case], headers={"content-type": "application/json"}
    )
    assert_readable_400(response)


async def test_the_message_says_what_is_wrong(anonymous, company):
    async def message(body: object) -> str:
        return assert_readable_400(await anonymous.http.post("/graphql", json=body))

    assert "JSON object" in await message("x")
    assert "query" in await message({})
    assert "variables" in await message({"query": QUERY, "variables": 3})
    assert "operation 2" in await message([OK, "x"])
    assert str(MAX_BATCH) in await message([OK] * (MAX_BATCH + 1))


@pytest.mark.parametrize(
    "operations",
    [
        '"x"',
        "[1]",
        "{}",
        "not json",
        '{"query": 1}',
        '{"query": "{ metrics { code } }", "variables": 3}',
    ],
)
async def test_a_malformed_multipart_request_is_a_readable_400(operations, api, company):
    response = await api.http.post(
        "/graphql", data={"operations": operations, "map": "{}"}, files={"x": ("a.csv", b"a")}
    )
    assert_readable_400(response)


async def test_an_unsupported_content_type_is_a_readable_400(api, company):
    response = await api.http.post(
        "/graphql", content=json.dumps(OK), headers={"content-type": "text/plain"}
    )
    assert_readable_400(response)


async def test_well_formed_requests_still_run(anonymous, api, company):
    single = await api.http.post("/graphql", json=OK)
    batch = await api.http.post("/graphql", json=[OK, {**OK, "variables": None}])
    named = await api.http.post(
        "/graphql", json={"query": "query A { metrics { code } }", "operationName": "A"}
    )
    for response in (single, named):
        assert response.status_code == 200 and response.json()["data"]["metrics"]
    assert batch.status_code == 200 and len(batch.json()) == 2
