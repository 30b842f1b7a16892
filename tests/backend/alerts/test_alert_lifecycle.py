"""Alerts move open -> acknowledged -> resolved by people within scope, with every change kept;
at most one alert per rule and rep is not resolved."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Alert, AlertEvent
from tests.backend.alerts.conftest import Clients, World, raise_for

LIST = """query { alerts { totalCount items { id ruleKey state version rep { name }
  figures { probability threshold asOf } } } }"""
ONE = """query($id: ID!) { alert(id: $id) { state version acknowledgedBy resolvedBy
  history { actor fromState toState note } } }"""
ACK = """mutation($input: AlertActionInput!) { acknowledgeAlert(input: $input) {
  alert { state version acknowledgedBy } errors { field code message } } }"""
RESOLVE = """mutation($input: AlertActionInput!) { resolveAlert(input: $input) {
  alert { state version resolvedBy } errors { field code message } } }"""


def act(alert: Alert, version: int | None = None, note: str = "") -> dict[str, object]:
    v = alert.version if version is None else version
    return {"input": {"alertId": str(alert.id), "expectedVersion": v, "note": note}}


async def test_an_alert_is_acknowledged_then_resolved_with_its_history_kept(
    session: AsyncSession, world: World, client_of: Clients
):
    alert = await raise_for(session, world, world.rep(0))
    manager = await client_of("branch0")
    listed = (await manager.data(LIST))["alerts"]
    assert listed["totalCount"] == 1 and listed["items"][0]["figures"]["probability"] == 0.1
    ack = (await manager.data(ACK, **act(alert, note="calling them")))["acknowledgeAlert"]
    assert ack["alert"] == {"state": "ACKNOWLEDGED", "version": 2, "acknowledgedBy": "branch0"}
    empty = (await manager.data(RESOLVE, **act(alert, 2)))["resolveAlert"]
    assert empty["errors"][0]["field"] == "note"
    done = (await manager.data(RESOLVE, **act(alert, 2, "pipeline review done")))["resolveAlert"]
    assert done["alert"]["state"] == "RESOLVED" and done["alert"]["resolvedBy"] == "branch0"
    history = (await manager.data(ONE, id=str(alert.id)))["alert"]["history"]
    assert [(h["actor"], h["fromState"], h["toState"], h["note"]) for h in history] == [
        ("system", None, "OPEN", ""),
        ("branch0", "OPEN", "ACKNOWLEDGED", "calling them"),
        ("branch0", "ACKNOWLEDGED", "RESOLVED", "pipeline review done"),
    ]
    again = (await manager.data(RESOLVE, **act(alert, 3, "again")))["resolveAlert"]
    assert again["errors"][0]["code"] == "CONFLICT"


async def test_a_stale_version_changes_nothing(
    session: AsyncSession, world: World, client_of: Clients
):
    alert = await raise_for(session, world, world.rep(0))
    planner = await client_of("planner")
    await planner.data(ACK, **act(alert))
    late = (await planner.data(RESOLVE, **act(alert, 1, "fixed")))["resolveAlert"]
    assert late["errors"][0]["code"] == "STALE_VERSION"
    assert (await planner.data(ONE, id=str(alert.id)))["alert"]["state"] == "ACKNOWLEDGED"


async def test_alerts_outside_the_callers_scope_do_not_exist_for_them(
    session: AsyncSession, world: World, client_of: Clients
):
    mine = await raise_for(session, world, world.rep(0))
    theirs = await raise_for(session, world, world.rep(1))
    seen = {
        name: {a["id"] for a in (await (await client_of(name)).data(LIST))["alerts"]["items"]}
        for name in ("admin", "branch0", "branch1", "lead1", "rep")
    }
    assert seen["admin"] == {str(mine.id), str(theirs.id)}
    assert seen["branch0"] == {str(mine.id)} and seen["branch1"] == {str(theirs.id)}
    assert seen["lead1"] == set()  # rep(0) is in team 0; lead1 leads team 1
    assert seen["rep"] == {str(mine.id)}  # a rep sees the alerts about themself
    other = await client_of("branch1")
    body = await other.execute(ONE, id=str(mine.id))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    refused = (await other.data(ACK, **act(mine)))["acknowledgeAlert"]
    assert refused["errors"][0]["code"] == "NOT_FOUND"


async def test_a_rep_sees_their_alert_but_may_not_handle_it(
    session: AsyncSession, world: World, client_of: Clients
):
    alert = await raise_for(session, world, world.rep(0))
    rep = await client_of("rep")
    out = await rep.data(ACK, **act(alert))
    assert out["acknowledgeAlert"]["errors"][0]["code"] == "FORBIDDEN"
    await session.refresh(alert)
    assert alert.state == "open"
    events = (await session.exec(select(AlertEvent).where(AlertEvent.alert_id == alert.id))).all()
    assert len(events) == 1


async def test_a_note_with_hidden_characters_is_refused(
    session: AsyncSession, world: World, client_of: Clients
):
    alert = await raise_for(session, world, world.rep(0))
    out = await (await client_of("admin")).data(RESOLVE, **act(alert, note="done\u202e"))
    assert out["resolveAlert"]["errors"][0]["field"] == "note"


async def test_the_database_keeps_one_unresolved_alert_per_rule_and_rep(
    session: AsyncSession, world: World
):
    rep = world.rep(0)
    first = await raise_for(session, world, rep)
    first_id = first.id
    with pytest.raises(IntegrityError):
        await raise_for(session, world, rep)
    await session.rollback()
    for row in (rep, world.rule, world.plan):
        await session.refresh(row)
    first = await session.get(Alert, first_id)
    assert first is not None
    first.state, first.version = "resolved", first.version + 1
    await session.commit()
    second = await raise_for(session, world, rep)  # a resolved one does not block
    assert second.id != first_id
