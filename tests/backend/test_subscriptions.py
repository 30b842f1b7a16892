"""Live changes over graphql-transport-ws, on the real app with its lifespan."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from backend.app import create_app
from backend.settings import Settings

CREATE_RANK = """mutation { createRank(input: {code: "S9", name: "Fellow", level: 9}) {
  rank { id } errors { field } } }"""


def test_a_subscriber_receives_each_committed_change(tmp_path: Path):
    settings = Settings(env="test", database_url=f"sqlite+aiosqlite:///{tmp_path / 'ws.db'}")
    with (
        TestClient(create_app(settings)) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": 'subscription { changes(entity: "rank") { entity action actor } }'
                },
            }
        )
        created = client.post("/graphql", json={"query": CREATE_RANK}).json()
        assert created["data"]["createRank"]["errors"] == []
        refused = client.post("/graphql", json={"query": CREATE_RANK}).json()
        assert refused["data"]["createRank"]["errors"] == [{"field": "code"}]
        message = ws.receive_json()
        assert message["type"] == "next"
        assert message["payload"]["data"]["changes"] == {
            "entity": "rank",
            "action": "create",
            "actor": "anonymous",
        }
        ws.send_json({"id": "1", "type": "complete"})


def test_production_settings_refuse_unsafe_defaults():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="QUOTIENT_SECRET_KEY"):
        Settings(env="production")
    with pytest.raises(ValidationError, match="CORS"):
        Settings(env="production", secret_key="x" * 40, cors_origins=["*"])
    assert Settings(env="production", secret_key="x" * 40).is_production
