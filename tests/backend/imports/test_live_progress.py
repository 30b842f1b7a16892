"""A dry run's progress reaches a subscriber over graphql-transport-ws while it runs."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from backend.services.imports import progress_channel
from tests.backend.imports.samples import sample_files
from tests.backend.imports.test_api_imports import DRY_RUN, UPLOAD
from tests.backend.planning.test_live import wait_until
from tests.backend.test_subscriptions import client, open_socket, sign_in  # noqa: F401

PROGRESS = """subscription($id: ID!) {
  importProgress(runId: $id) { runId phase done total fraction } }"""
TOKEN = """mutation($a: [String!]!) {
  createApiToken(input: {name: "ws", actions: $a}) { token } }"""


def _token(http: TestClient, actions: list[str]) -> str:
    body = http.post("/graphql", json={"query": TOKEN, "variables": {"a": actions}}).json()
    return str(body["data"]["createApiToken"]["token"])


def _upload(http: TestClient) -> str:
    files = sample_files()
    operations = {
        "query": UPLOAD,
        "variables": {"input": {"source": "maven", "files": [None] * len(files)}},
    }
    response = http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({str(i): [f"variables.input.files.{i}"] for i in range(len(files))}),
        },
        files={str(i): (f.name, f.data, "text/csv") for i, f in enumerate(files)},
    )
    return str(response.json()["data"]["uploadImport"]["run"]["id"])


def _subscribe(socket, run_id: str) -> None:
    payload = {"query": PROGRESS, "variables": {"id": run_id}}
    socket.send_json({"id": "1", "type": "subscribe", "payload": payload})


def test_an_importer_follows_a_dry_run_step_by_step(client: TestClient) -> None:  # noqa: F811
    sign_in(client)
    run_id = _upload(client)
    token = _token(client, ["read", "import_data"])
    with open_socket(client, {"authorization": f"Bearer {token}"}) as socket:
        try:
            _subscribe(socket, run_id)
            wait_until(lambda: bool(progress_channel.subscribers.get(int(run_id))))
            variables = {"input": {"runId": run_id}}
            body = client.post("/graphql", json={"query": DRY_RUN, "variables": variables})
            assert body.json()["data"]["dryRunImport"]["errors"] == []
            steps = []
            while not steps or steps[-1]["phase"] != "done":
                message = socket.receive_json()
                assert message["type"] == "next", message
                steps.append(message["payload"]["data"]["importProgress"])
            phases = [s["phase"] for s in steps]
            assert phases[0] == "parsed" and "aggregating" in phases
            assert any(p.startswith("loading ") for p in phases)
            assert {s["runId"] for s in steps} == {run_id}
            assert all(0.0 <= s["fraction"] <= 1.0 and s["done"] <= s["total"] for s in steps)
        finally:
            socket.send_json({"id": "1", "type": "complete"})


def test_progress_needs_the_import_permission_and_an_existing_run(
    client: TestClient,  # noqa: F811
) -> None:
    sign_in(client)
    run_id = _upload(client)
    for actions, run, expected in (
        (["read"], run_id, "FORBIDDEN"),
        (["read", "import_data"], "999999", "NOT_FOUND"),
    ):
        token = _token(client, actions)
        with open_socket(client, {"authorization": f"Bearer {token}"}) as socket:
            _subscribe(socket, run)
            message = socket.receive_json()
            assert message["type"] == "next", message  # a result carrying the error, then done
            assert message["payload"]["errors"][0]["extensions"]["code"] == expected, message
            assert socket.receive_json() == {"id": "1", "type": "complete"}
