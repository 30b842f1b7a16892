"""Two managers on one plan: an override reaches the other viewer over graphql-transport-ws."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.repositories import planning as repo
from backend.services.access import SYSTEM
from backend.services.company import create_admin_account
from backend.services.events import broker
from backend.services.planning import progress
from backend.services.planning.generation import generate_plan
from backend.settings import Settings
from tests.backend.planning.conftest import add_history, new_plan
from tests.backend.test_subscriptions import open_socket, sign_in
from tests.factories import make_small_company


def wait_until(ready: Callable[[], bool], seconds: float = 5.0) -> None:
    """The socket's operation starts in the app's thread: wait until it listens."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "the subscription never started"
        time.sleep(0.01)


# A viewer of a draft takes part in planning: a read-only token sees approved plans only.
TOKEN = """mutation { createApiToken(input: {name: "ws", actions: ["read", "plan"]}) {
  token } }"""
OVERRIDE = """mutation($input: OverrideTargetInput!) {
  overrideTarget(input: $input) { result { version } errors { code message } } }"""
WATCH = """subscription($id: ID!) {
  planChanged(planId: $id) { action actor metricCode targets { repId total version } } }"""


async def _prepare(url: str) -> tuple[int, int, int, float]:
    await create_admin_account(url, "root", "a-long-password")
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        company = await make_small_company(session, months=0)
        await add_history(session, company)
        await session.commit()
        plan = await new_plan(session, company)
        await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
        await session.commit()
        rep = company.reps[0].id or 0
        rows = await repo.targets(
            session, plan.id or 0, metric_ids=[company.metrics["revenue"].id or 0], rep_ids=[rep]
        )
        total = sum(t.value for t in rows)
    await engine.dispose()
    return plan.id or 0, rep, rows[0].version, total


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[TestClient, tuple[int, int, int, float]]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    prepared = asyncio.run(_prepare(url))
    settings = Settings(env="test", database_url=url, secret_key="k" * 40)
    with TestClient(create_app(settings)) as client:
        yield client, prepared


def test_a_viewer_receives_another_managers_override_with_the_rebalanced_targets(
    live: tuple[TestClient, tuple[int, int, int, float]],
) -> None:
    client, (plan_id, rep_id, version, total) = live
    sign_in(client)
    token = client.post("/graphql", json={"query": TOKEN}).json()["data"]["createApiToken"]
    with open_socket(client, {"authorization": f"Bearer {token['token']}"}) as socket:
        subscribe = {"query": WATCH, "variables": {"id": str(plan_id)}}
        change_input = {
            "planId": str(plan_id),
            "repId": str(rep_id),
            "metricCode": "revenue",
            "value": total * 1.01,
            "expectedVersion": version,
        }
        try:
            socket.send_json({"id": "1", "type": "subscribe", "payload": subscribe})
            wait_until(lambda: broker.subscriber_count > 0)
            body = client.post(
                "/graphql", json={"query": OVERRIDE, "variables": {"input": change_input}}
            ).json()
            assert body["data"]["overrideTarget"]["errors"] == [], body
            message = socket.receive_json()
            assert message["type"] == "next", message
            assert message["payload"].get("data"), message
            change = message["payload"]["data"]["planChanged"]
            assert (change["action"], change["actor"], change["metricCode"]) == (
                "override_target",
                "root",
                "revenue",
            )
            mine = next(t for t in change["targets"] if t["repId"] == str(rep_id))
            assert abs(mine["total"] - total * 1.01) < 1e-6 and mine["version"] == version + 1
            assert len(change["targets"]) > 1  # the teammates who absorbed the change
        finally:
            socket.send_json({"id": "1", "type": "complete"})


PROGRESS = """subscription($id: ID!) { generationProgress(planId: $id) { stage fraction } }"""
GENERATE = """mutation($id: ID!) { generatePlan(planId: $id) { targets errors { message } } }"""


def test_a_viewer_follows_the_progress_of_a_generation(
    live: tuple[TestClient, tuple[int, int, int, float]],
) -> None:
    client, (plan_id, *_) = live
    sign_in(client)
    token = client.post("/graphql", json={"query": TOKEN}).json()["data"]["createApiToken"]
    with open_socket(client, {"authorization": f"Bearer {token['token']}"}) as socket:
        try:
            socket.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": PROGRESS, "variables": {"id": str(plan_id)}},
                }
            )
            wait_until(lambda: bool(progress.channel.subscribers.get(plan_id)))
            body = client.post(
                "/graphql", json={"query": GENERATE, "variables": {"id": str(plan_id)}}
            )
            assert body.json()["data"]["generatePlan"]["errors"] == []
            steps = []
            while not steps or steps[-1]["fraction"] < 1.0:
                steps.append(socket.receive_json()["payload"]["data"]["generationProgress"])
            stages = [s["stage"] for s in steps]
            assert stages[0] == "loading" and stages[-1] == "done"
            assert "decomposing" in stages
            assert [s["fraction"] for s in steps] == sorted(s["fraction"] for s in steps)
        finally:
            socket.send_json({"id": "1", "type": "complete"})
