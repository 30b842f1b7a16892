"""Imports respect the caller's scope: per row, per run, per subscription.

A branch-scoped integration refuses rows outside its branch (a typed OUT_OF_SCOPE issue in the
dry run, nothing changed by the commit, which checks again), company-wide reference data needs a
company-wide scope, a run is seen only by its uploader and company-wide principals, and the
change events of an import carry the org path of what changed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.testclient import TestClient

from backend.app import create_app
from backend.db.engine import create_engine, session_factory
from backend.db.models import ApiToken, Customer, Deal, OrgUnit, Product, Rep, SatisfactionScore
from backend.services import imports
from backend.services.auth import digest, now_utc
from backend.settings import Settings
from tests.backend.conftest import GraphQLClient
from tests.backend.security.world import World, build_world
from tests.factories import make_user

IMPORTER = ("read", "import_data", "manage_reps", "export_data")
UPLOAD = """mutation($input: UploadImportInput!) {
  uploadImport(input: $input) { run { id files { id columns } } errors { code message } } }"""
SET_MAPPING = """mutation($input: SetImportMappingInput!) {
  setImportMapping(input: $input) { file { id } errors { code field message } } }"""
RUN_FIELDS = "run { id status issues(limit: 500) { row field severity code problem } }"
DRY_RUN = f"""mutation($input: RunImportInput!) {{
  dryRunImport(input: $input) {{ {RUN_FIELDS} errors {{ code field message }} }} }}"""
COMMIT = f"""mutation($input: RunImportInput!) {{
  commitImport(input: $input) {{ {RUN_FIELDS} errors {{ code field message }} }} }}"""

# North-0-0 is inside the North branch; South-0-1 (rank S2) is not.
HR = """name,external_id,team,rank,leave_date
North-0-0,E-North-0-0,North Team 0,S2,2025-12-31
South-0-1,E-South-0-1,South Team 0,S1,2025-06-30
"""

Client = Callable[[dict[str, str]], Awaitable[GraphQLClient]]


def token_row(user_id: int, raw: str, actions: tuple[str, ...]) -> ApiToken:
    return ApiToken(
        user_id=user_id,
        name=raw,
        prefix=raw[:10],
        token_hash=digest(raw),
        actions=list(actions),
        expires_at=now_utc() + timedelta(days=1),
    )


async def integration(
    session: AsyncSession, client_factory: Client, unit: OrgUnit | None, name: str
) -> GraphQLClient:
    """A client holding an API token of an integration user scoped to ``unit``."""
    user = await make_user(session, username=name, role="integration", scope=unit)
    raw = f"qt_{name}"
    session.add(token_row(int(user.id or 0), raw, IMPORTER))
    await session.commit()
    return await client_factory({"authorization": f"Bearer {raw}"})


async def world_and_importers(
    session: AsyncSession, client_factory: Client
) -> tuple[World, GraphQLClient, GraphQLClient]:
    world = await build_world(session)
    north = await integration(session, client_factory, world.company.branches[0], "int-north")
    south = await integration(session, client_factory, world.company.branches[1], "int-south")
    return world, north, south


async def upload(api: GraphQLClient, files: dict[str, tuple[str, str]]) -> str:
    """Upload CSV files, each as (kind, text), mapped column for field; the run's id."""
    operations = {
        "query": UPLOAD,
        "variables": {"input": {"source": "test", "files": [None] * len(files)}},
    }
    response = await api.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({str(i): [f"variables.input.files.{i}"] for i in range(len(files))}),
        },
        files={
            str(i): (name, text.encode(), "text/csv")
            for i, (name, (_, text)) in enumerate(files.items())
        },
    )
    body = response.json()
    assert "errors" not in body, body
    run = body["data"]["uploadImport"]["run"]
    for file, (kind, _) in zip(run["files"], files.values(), strict=True):
        mapped = await api.data(
            SET_MAPPING,
            input={
                "runId": run["id"],
                "fileId": file["id"],
                "kind": kind,
                "mapping": [{"field": c, "column": c} for c in file["columns"]],
            },
        )
        assert mapped["setImportMapping"]["errors"] == [], mapped
    return str(run["id"])


async def execute(api: GraphQLClient, run_id: str, *, commit: bool) -> dict[str, Any]:
    name = "commitImport" if commit else "dryRunImport"
    body = await api.data(COMMIT if commit else DRY_RUN, input={"runId": run_id})
    payload: dict[str, Any] = body[name]
    assert payload["errors"] == [], payload
    run: dict[str, Any] = payload["run"]
    return run


def out_of_scope(run: dict[str, Any]) -> set[tuple[int, str]]:
    return {(i["row"], i["field"]) for i in run["issues"] if i["code"] == "OUT_OF_SCOPE"}


async def fresh(session: AsyncSession, model: Any, row_id: int) -> Any:
    """The row as the database holds it now (the API committed in sessions of its own)."""
    return await session.get(model, row_id, populate_existing=True)


async def rep_named(session: AsyncSession, name: str) -> Rep:
    query = select(Rep).where(Rep.name == name).execution_options(populate_existing=True)
    return (await session.exec(query)).one()


# --- rows ----------------------------------------------------------------------------------


async def test_a_branch_import_refuses_a_rep_of_another_branch(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    run_id = await upload(north, {"hr.csv": ("HR", HR)})

    dry = await execute(north, run_id, commit=False)
    assert out_of_scope(dry) == {(3, "external_id")}
    committed = await execute(north, run_id, commit=True)
    assert committed["status"] == "committed"
    assert out_of_scope(committed) == {(3, "external_id")}

    south_rep = await rep_named(session, "South-0-1")
    assert (south_rep.rank_id, south_rep.leave_date, south_rep.version) == (
        world.company.ranks[1].id,
        None,
        1,
    )
    north_rep = await fresh(session, Rep, world.ids["n00"])
    assert north_rep.leave_date == date(2025, 12, 31)
    assert north_rep.rank_id == world.company.ranks[1].id


async def test_the_commit_checks_again_a_rep_moved_out_after_the_dry_run(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    hr = "name,external_id,team,leave_date\nNorth-1-0,E-North-1-0,North Team 1,2025-12-31\n"
    run_id = await upload(north, {"hr.csv": ("HR", hr)})
    assert out_of_scope(await execute(north, run_id, commit=False)) == set()

    rep = await fresh(session, Rep, world.ids["n10"])
    rep.team_id = world.company.teams[2].id  # moved to South Team 0 meanwhile
    await session.commit()

    committed = await execute(north, run_id, commit=True)
    assert out_of_scope(committed) == {(2, "external_id")}
    rep = await fresh(session, Rep, world.ids["n10"])
    assert (rep.team_id, rep.leave_date) == (world.company.teams[2].id, None)


async def test_a_new_rep_or_a_move_only_into_a_team_in_scope(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    hr = (
        "name,external_id,team\n"
        "Nina New,E-NEW-1,North Team 1\n"  # a new rep inside: created
        "Sam South,E-NEW-2,South Team 0\n"  # a new rep outside: refused
        "North-0-1,E-North-0-1,South Team 1\n"  # a move out of the branch: refused
        "Tess Team,E-NEW-3,Brand New Team\n"  # a team to create under the region: refused
    )
    run_id = await upload(north, {"hr.csv": ("HR", hr)})
    committed = await execute(north, run_id, commit=True)
    assert out_of_scope(committed) == {(3, "team"), (4, "team"), (5, "team")}
    names = set((await session.exec(select(Rep.name))).all())
    assert "Nina New" in names and not names & {"Sam South", "Tess Team"}
    moved = await fresh(session, Rep, world.ids["n01"])
    assert moved.team_id == world.company.teams[0].id


async def test_deals_invoices_and_surveys_only_of_reps_in_scope(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    crm = (
        "external_id,rep,stage,created_on,closed_on,value\n"
        "D-N,North-0-0,won,2025-01-05,2025-02-01,100\n"
        "D-S,South-0-0,won,2025-01-05,2025-02-01,100\n"
    )
    invoices = (
        "external_id,rep,issued_on,due_on,amount\n"
        "I-N,North-0-0,2025-01-05,2025-02-05,100\n"
        "I-S,South-0-0,2025-01-05,2025-02-05,100\n"
    )
    surveys = "rep,surveyed_on,score\nNorth-0-0,2025-01-05,4\nSouth-0-0,2025-01-05,1\n"
    run_id = await upload(
        north,
        {
            "crm.csv": ("CRM", crm),
            "inv.csv": ("INVOICES", invoices),
            "s.csv": ("SATISFACTION", surveys),
        },
    )
    dry = await execute(north, run_id, commit=False)
    assert (
        out_of_scope(dry) == {(3, "rep")}
        and len([i for i in dry["issues"] if i["code"] == "OUT_OF_SCOPE"]) == 3
    )
    await execute(north, run_id, commit=True)
    assert set((await session.exec(select(Deal.external_id))).all()) == {"D-N"}
    reps = set((await session.exec(select(SatisfactionScore.rep_id))).all())
    assert reps == {world.ids["n00"]}


async def test_an_existing_deal_of_another_branch_is_not_taken_over(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    session.add(
        Deal(
            external_id="D-1",
            rep_id=world.ids["s00"],
            stage="won",
            created_on=date(2025, 1, 5),
            closed_on=date(2025, 2, 1),
            value=10.0,
        )
    )
    await session.commit()
    crm = "external_id,rep,stage,created_on,closed_on,value\n"
    crm += "D-1,North-0-0,won,2025-01-05,2025-02-01,99\n"
    run_id = await upload(north, {"crm.csv": ("CRM", crm)})
    committed = await execute(north, run_id, commit=True)
    assert out_of_scope(committed) == {(2, "external_id")}
    deal = (await session.exec(select(Deal).execution_options(populate_existing=True))).one()
    assert (deal.rep_id, deal.value) == (world.ids["s00"], 10.0)


async def test_company_wide_reference_data_needs_a_company_wide_scope(session, client_factory):
    _, north, _ = await world_and_importers(session, client_factory)
    products = "name,line,list_price\nWidget,Tools,10\n"
    accounts = "name,owner\nAcme North,North-0-0\nAcme South,South-0-0\nNobody Inc,\n"
    files = {"p.csv": ("PRODUCTS", products), "a.csv": ("ACCOUNTS", accounts)}
    committed = await execute(north, await upload(north, files), commit=True)
    assert out_of_scope(committed) == {(2, "name"), (3, "owner"), (4, "owner")}
    assert (await session.exec(select(Product))).all() == []
    assert set((await session.exec(select(Customer.name))).all()) == {"Acme North"}


async def test_an_org_import_creates_and_renames_only_inside_its_scope(session, client_factory):
    world, north, _ = await world_and_importers(session, client_factory)
    org = (
        "code,name,kind,parent_code\n"
        "NT-2,North Team 2,team,NORTH-BRANCH\n"  # a new team in the branch: created
        "ST-2,South Team 2,team,SOUTH-BRANCH\n"  # a new team in another branch: refused
        "NORTH-TEAM-0,North Team Zero,team,\n"  # a rename inside: done
        "NORTH-BRANCH,North Branch Renamed,branch,\n"  # the scope's own root: refused
        "SOUTH-TEAM-0,South Renamed,team,\n"  # a rename outside: refused
        "NEW-REGION,East,region,\n"  # a unit under the company root: refused
    )
    run_id = await upload(north, {"org.csv": ("ORG", org)})
    committed = await execute(north, run_id, commit=True)
    expected = {(3, "parent_code"), (5, "code"), (6, "code"), (7, "parent_code")}
    assert out_of_scope(committed) == expected
    units = await session.exec(select(OrgUnit).execution_options(populate_existing=True))
    names = {u.code: u.name for u in units.all()}
    assert names["NT-2"] == "North Team 2" and "ST-2" not in names and "NEW-REGION" not in names
    assert names["NORTH-TEAM-0"] == "North Team Zero"
    assert (names["NORTH-BRANCH"], names["SOUTH-TEAM-0"]) == ("North Branch", "South Team 0")
    del world


async def test_a_company_wide_planner_imports_everything(session, client_factory, sign_in_as):
    world = await build_world(session)
    planner = await sign_in_as(world.users["hq_planner"])
    files = {"hr.csv": ("HR", HR), "p.csv": ("PRODUCTS", "name,line\nWidget,Tools\n")}
    committed = await execute(planner, await upload(planner, files), commit=True)
    assert out_of_scope(committed) == set()
    south_rep = await rep_named(session, "South-0-1")
    assert south_rep.leave_date == date(2025, 6, 30)
    assert (await session.exec(select(Product.name))).all() == ["Widget"]


# --- runs ----------------------------------------------------------------------------------

RUN = "query($id: ID!) { importRun(id: $id) { id files { preview } } }"
RUNS = "{ importRuns { id } }"


async def test_a_run_is_seen_only_by_its_uploader_and_company_wide_principals(
    session, client_factory, sign_in_as
):
    world, north, south = await world_and_importers(session, client_factory)
    other_north = await integration(session, client_factory, world.company.branches[0], "int-n2")
    run_id = await upload(north, {"hr.csv": ("HR", HR)})
    assert (await north.data(RUN, id=run_id))["importRun"]["files"][0]["preview"]
    assert {"id": run_id} in (await north.data(RUNS))["importRuns"]
    for planner in ("admin", "hq_planner"):
        company_wide = await sign_in_as(world.users[planner])
        assert (await company_wide.data(RUN, id=run_id))["importRun"]["id"] == run_id
        assert {"id": run_id} in (await company_wide.data(RUNS))["importRuns"]

    for stranger in (south, other_north):
        assert (await stranger.data(RUN, id=run_id))["importRun"] is None
        assert (await stranger.data(RUNS))["importRuns"] == []
        for mutation, name in ((DRY_RUN, "dryRunImport"), (COMMIT, "commitImport")):
            refused = (await stranger.data(mutation, input={"runId": run_id}))[name]
            assert refused["run"] is None
            assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
        remap = await stranger.data(
            SET_MAPPING,
            input={"runId": run_id, "fileId": "1", "kind": "HR", "mapping": []},
        )
        assert [e["code"] for e in remap["setImportMapping"]["errors"]] == ["NOT_FOUND"]
        report = await stranger.execute(
            "query($id: ID!) { exportFile(what: IMPORT_REPORT, runId: $id) { base64 } }", id=run_id
        )
        assert [e["extensions"]["code"] for e in report["errors"]] == ["NOT_FOUND"]
    exported = await north.data(
        "query($id: ID!) { exportFile(what: IMPORT_REPORT, runId: $id) { base64 } }", id=run_id
    )
    assert exported["exportFile"]["base64"]
    assert (await rep_named(session, "South-0-1")).leave_date is None


async def test_a_page_of_runs_holds_at_most_500(api):
    page = "query($n: Int!) { importRuns(limit: $n) { id } }"
    assert (await api.data(page, n=500))["importRuns"] == []
    for n in (501, 100_000, 0):
        body = await api.execute(page, n=n)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "INVALID", body
        assert "500" in body["errors"][0]["message"]
    body = await api.execute("{ importRuns(offset: -1) { id } }")
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


# --- change events and progress over WebSocket ---------------------------------------------

FEED = 'subscription { changes(entity: "rep") { entityId } }'
PROGRESS = "subscription($id: ID!) { importProgress(runId: $id) { phase } }"


async def _seed(url: str) -> tuple[dict[str, int], dict[str, str]]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        world = await build_world(session)
        c = world.company
        users = {
            "int_north": await make_user(
                session, username="int-north", role="integration", scope=c.branches[0]
            ),
            "int_south": await make_user(
                session, username="int-south", role="integration", scope=c.branches[1]
            ),
            "south_manager": await make_user(
                session, username="bm-south", role="branch_manager", scope=c.branches[1]
            ),
            "north_manager": world.users["branch_manager"],
            "admin": world.users["admin"],
        }
        tokens = {}
        for name, user in users.items():
            tokens[name] = f"qt_ws_{name}"
            actions = IMPORTER if name.startswith("int") or name == "admin" else ("read",)
            session.add(token_row(int(user.id or 0), tokens[name], actions))
        await session.commit()
    await engine.dispose()
    return world.ids, tokens


def _upload_over_http(client: TestClient, token: str, name: str, text: str) -> str:
    headers = {"authorization": f"Bearer {token}"}
    operations = {"query": UPLOAD, "variables": {"input": {"source": "hr", "files": [None]}}}
    response = client.post(
        "/graphql",
        headers=headers,
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.files.0"]}),
        },
        files={"0": (name, text.encode(), "text/csv")},
    )
    run = response.json()["data"]["uploadImport"]["run"]
    mapping = [{"field": c, "column": c} for c in run["files"][0]["columns"]]
    variables = {"input": {"runId": run["id"], "fileId": run["files"][0]["id"], "kind": "HR"}}
    variables["input"]["mapping"] = mapping
    body = client.post(
        "/graphql", headers=headers, json={"query": SET_MAPPING, "variables": variables}
    )
    assert body.json()["data"]["setImportMapping"]["errors"] == []
    committed = client.post(
        "/graphql",
        headers=headers,
        json={"query": COMMIT, "variables": {"input": {"runId": run["id"]}}},
    ).json()
    assert committed["data"]["commitImport"]["errors"] == [], committed
    return str(run["id"])


def _subscribe(client: TestClient, token: str, query: str, **variables: Any) -> Any:
    cm = client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"])
    socket = cm.__enter__()
    socket.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    assert socket.receive_json()["type"] == "connection_ack"
    payload = {"query": query, "variables": variables}
    socket.send_json({"id": "1", "type": "subscribe", "payload": payload})
    return cm, socket


def test_an_imports_rep_change_reaches_only_subscribers_whose_scope_covers_it(
    database_url: str,
) -> None:
    ids, tokens = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    north_row = "name,external_id,team,leave_date\nNorth-0-0,E-North-0-0,North Team 0,2025-12-31\n"
    south_row = "name,external_id,team,leave_date\nSouth-0-0,E-South-0-0,South Team 0,2025-12-31\n"
    with TestClient(create_app(settings)) as client:
        watchers = {
            name: _subscribe(client, tokens[name], FEED)
            for name in ("south_manager", "north_manager")
        }
        try:
            _upload_over_http(client, tokens["int_north"], "north.csv", north_row)
            _upload_over_http(client, tokens["admin"], "south.csv", south_row)  # then the South
            first = {
                name: socket.receive_json()["payload"]["data"]["changes"]["entityId"]
                for name, (_, socket) in watchers.items()
            }
        finally:
            for cm, socket in watchers.values():
                socket.send_json({"id": "1", "type": "complete"})
                cm.__exit__(None, None, None)
    assert first == {"south_manager": str(ids["s00"]), "north_manager": str(ids["n00"])}


def test_progress_of_someone_elses_run_is_not_found(database_url: str) -> None:
    _, tokens = asyncio.run(_seed(database_url))
    settings = Settings(env="test", database_url=database_url, secret_key="s" * 40)
    row = "name,external_id,team\nNorth-0-0,E-North-0-0,North Team 0\n"
    with TestClient(create_app(settings)) as client:
        run_id = _upload_over_http(client, tokens["int_north"], "hr.csv", row)
        cm, socket = _subscribe(client, tokens["int_south"], PROGRESS, id=run_id)
        try:
            message = socket.receive_json()
            assert socket.receive_json() == {"id": "1", "type": "complete"}, message
        finally:
            cm.__exit__(None, None, None)
    assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND", message


async def test_an_imports_audit_rows_carry_the_org_path_of_what_changed(session, company):
    hr = "sales_agent,emp_id,team,leave_date\nNorth-0-0,E-North-0-0,North Team 0,2025-12-31\n"
    org = "code,name,kind,parent_code\nNT-9,North Team 9,team,NORTH-BRANCH\n"
    run = await imports.import_files(
        session,
        actor="cli",
        source="s",
        files=[
            imports.UploadedFile("hr.csv", hr.encode()),
            imports.UploadedFile("o.csv", org.encode()),
        ],
        dry_run=False,
    )
    assert run.status == "committed", run.message
    events = {(e.entity, e.action): e.org_path for e in session.info["pending_events"]}
    new_team = (await session.exec(select(OrgUnit).where(OrgUnit.code == "NT-9"))).one()
    assert events == {
        ("org_unit", "create"): new_team.path,
        ("rep", "update"): company.teams[0].path,
        ("import_run", "import"): company.root.path,  # the CLI: the whole company
    }
