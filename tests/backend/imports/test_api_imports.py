"""The import workflow over GraphQL: multipart upload, mapping, dry run, commit, history, export."""

from __future__ import annotations

import base64
import json

from tests.backend.conftest import GraphQLClient
from tests.backend.imports.samples import sample_files

RUN_FIELDS = """
  id status source actor counts message
  files { id fileName kind sha256 columns mapping { field column }
          suggestions { field column score } preview(rows: 2) }
  proposals { id field value replacement kind accepted }
  issues(severity: "error") { row field problem suggestion }
  entities { entity created updated unchanged }
"""
UPLOAD = f"""
mutation($input: UploadImportInput!) {{
  uploadImport(input: $input) {{ run {{ {RUN_FIELDS} }} errors {{ field code message }} }}
}}
"""
DRY_RUN = f"""
mutation($input: RunImportInput!) {{
  dryRunImport(input: $input) {{ run {{ {RUN_FIELDS} }} errors {{ field message }} }}
}}
"""
COMMIT = f"""
mutation($input: RunImportInput!) {{
  commitImport(input: $input) {{ run {{ {RUN_FIELDS} }} errors {{ field message }} }}
}}
"""
SET_MAPPING = """
mutation($input: SetImportMappingInput!) {
  setImportMapping(input: $input) {
    file { kind mapping { field column } } errors { field message }
  }
}
"""


async def upload(api: GraphQLClient, source: str = "maven") -> dict:
    files = sample_files()
    operations = {
        "query": UPLOAD,
        "variables": {"input": {"source": source, "files": [None] * len(files)}},
    }
    mapping = {str(i): [f"variables.input.files.{i}"] for i in range(len(files))}
    response = await api.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={str(i): (f.name, f.data, "text/csv") for i, f in enumerate(files)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["uploadImport"]


async def test_upload_suggests_kinds_and_mappings(api: GraphQLClient):
    payload = await upload(api)
    assert payload["errors"] == []
    run = payload["run"]
    assert run["status"] == "uploaded"
    kinds = {f["fileName"]: f["kind"] for f in run["files"]}
    assert kinds == {
        "sales_teams.csv": "HR",
        "products.csv": "PRODUCTS",
        "accounts.csv": "ACCOUNTS",
        "sales_pipeline.csv": "CRM",
    }
    pipeline = next(f for f in run["files"] if f["kind"] == "CRM")
    assert {"field": "rep", "column": "sales_agent"} in pipeline["mapping"]
    assert pipeline["preview"][0][0] == "D1"


async def test_dry_run_then_commit_with_the_confirmed_fixes(api: GraphQLClient):
    run = (await upload(api))["run"]
    dry = (await api.data(DRY_RUN, input={"runId": run["id"]}))["dryRunImport"]["run"]
    assert dry["status"] == "dry_run"
    proposal = next(p for p in dry["proposals"] if p["value"] == "GTXPro")
    assert proposal["accepted"] is False
    assert {i["field"] for i in dry["issues"]} == {"product", "value"}

    committed = (
        await api.data(COMMIT, input={"runId": run["id"], "acceptedFixes": [proposal["id"]]})
    )["commitImport"]
    assert committed["errors"] == []
    run = committed["run"]
    assert run["status"] == "committed"
    assert [i["field"] for i in run["issues"]] == ["value"]  # only "$1.2k" is rejected
    deals = next(e for e in run["entities"] if e["entity"] == "deal")
    assert deals["created"] == 4

    again = (await api.data(COMMIT, input={"runId": run["id"]}))["commitImport"]
    assert again["run"] is None and "already committed" in again["errors"][0]["message"]

    history = await api.data("{ importRuns { id status } }")
    assert history["importRuns"] == [{"id": run["id"], "status": "committed"}]
    exported = await api.data(
        "query($id: ID!) { exportFile(what: IMPORT_REPORT, format: XLSX, runId: $id)"
        " { fileName contentType base64 } }",
        id=run["id"],
    )
    assert base64.b64decode(exported["exportFile"]["base64"])[:2] == b"PK"


async def test_a_bad_mapping_is_refused_and_names_the_problem(api: GraphQLClient):
    run = (await upload(api))["run"]
    file = next(f for f in run["files"] if f["kind"] == "CRM")
    result = await api.data(
        SET_MAPPING,
        input={
            "runId": run["id"],
            "fileId": file["id"],
            "kind": "CRM",
            "mapping": [{"field": "rep", "column": "no such column"}],
        },
    )
    errors = result["setImportMapping"]["errors"]
    messages = {e["message"] for e in errors}
    assert "column 'no such column' is not in the file" in messages
    assert "required field 'external_id' has no column" in messages
