"""Schemathesis against the live GraphQL schema, per role: no input may cause a server error.

Every query and mutation gets generated documents (arguments of every shape the schema allows,
random selections) sent as each kind of caller. A 5xx status or an "Unexpected error." (an
exception the API did not turn into a typed error) fails. CI runs a few examples per field;
for the long run set ``QUOTIENT_FUZZ_EXAMPLES`` (100: 1.5 to 4 minutes per role here).
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import ApiToken
from backend.services.access import ROLE_ACTIONS, Role
from backend.services.auth import digest, now_utc
from backend.settings import Settings
from tests.backend.security.world import build_world

# Our custom scalars: valid and invalid literals alike (refusals must be typed, never a 500).
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))
schemathesis.graphql.scalar(
    "Date", st.one_of(st.dates().map(nodes.String), st.text(max_size=12).map(nodes.String))
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes().map(lambda d: nodes.String(d.isoformat())), st.text().map(nodes.String)
    ),
)
schemathesis.graphql.scalar(
    "JSON", st.one_of(st.integers().map(nodes.Int), st.text(max_size=20).map(nodes.String))
)

EXAMPLES = int(os.environ.get("QUOTIENT_FUZZ_EXAMPLES", "2"))
CALLERS = ("anonymous", "admin", "branch_manager", "team_lead", "rep")


async def _tokens(url: str) -> dict[str, dict[str, str]]:
    """A token per role with all of the role's actions (a token: fuzzed sign-outs end nothing)."""
    engine = create_engine(url)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    async with session_factory(engine)() as session:
        world = await build_world(session)
        for role in CALLERS[1:]:
            raw = f"qt_fuzz_{role}"
            session.add(
                ApiToken(
                    user_id=world.users[role].id or 0,
                    name=role,
                    prefix=raw[:10],
                    token_hash=digest(raw),
                    actions=sorted(a.value for a in ROLE_ACTIONS[Role(role)]),
                    expires_at=now_utc() + timedelta(days=1),
                )
            )
            headers[role] = {"authorization": f"Bearer {raw}"}
        await session.commit()
    await engine.dispose()
    return headers


@pytest.mark.parametrize("caller", CALLERS)
def test_no_generated_request_causes_a_server_error(database_url: str, caller: str) -> None:
    headers = asyncio.run(_tokens(database_url))[caller]
    app = create_app(Settings(env="test", database_url=database_url, secret_key="s" * 40))
    faults: list[str] = []
    with TestClient(app):
        schema = schemathesis.graphql.from_asgi("/graphql", app)
        for result in schema.get_all_operations():
            _fuzz(result.ok(), headers, faults)  # type: ignore[union-attr]
    assert not faults, "\n".join(faults[:20])


def _fuzz(operation: Any, headers: dict[str, str], faults: list[str]) -> None:
    """Send ``EXAMPLES`` generated documents of one root field; note every server error."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case[Any]) -> None:
        response = case.call(headers=headers)
        if response.status_code >= 500 or "Unexpected error" in response.text:
            faults.append(f"{operation.label}: {response.status_code} {case.body!r}")

    call()


@pytest.mark.parametrize("odd_id", ["³", "¹", "١٢", "", " ", "-1", "1e3", "9" * 30])
async def test_ids_with_unicode_digits_or_out_of_range_are_refused_naming_the_field(
    api: Any, odd_id: str
) -> None:
    # Found by the fuzz above: "³".isdigit() is true but int("³") raises (a 500 before).
    body = await api.execute("query($id: ID!) { rep(id: $id) { id } }", id=odd_id)
    assert body["data"] == {"rep": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]
