"""The web upload reuses saved mappings as the CLI does: a file whose kind is not recognised from
its columns takes the kind and mapping (columns, constants, date formats) of a mapping saved for
its source that fits its header; a file that fits no saved mapping (or of another source) stays
unrecognised."""

from __future__ import annotations

import json
from datetime import date

from backend.services import imports
from backend.services.imports import runs
from backend.services.imports.options import Choices, apply
from tests.backend.conftest import GraphQLClient

AS_OF = date(2024, 6, 1)
# Spanish headers: nothing in them tells the kind, so the first import is mapped by hand.
JANUARY = (
    "Fecha;Vendedor;Importe;Comprador\n"
    "05-01-2024 09:30;Ana;100;Acme\n"
    "20-01-2024 14:05;Beto;200;Beta\n"
)
FEBRUARY = "Fecha;Vendedor;Importe;Comprador\n03-02-2024 08:00;Ana;300;Acme\n"
BY_HAND = Choices(
    kinds={"": "sales_lines"},
    columns={"date": "Fecha", "rep": "Vendedor", "amount": "Importe", "customer": "Comprador"},
    constants={"region": "Norte"},
    date_formats={"date": "dmy"},
)


async def _upload(session, source: str, name: str, text: str):
    run = await runs.create_run(
        session,
        actor="tester",
        source=source,
        files=[imports.UploadedFile(name, text.encode())],
    )
    (file,) = await runs.files_of(session, run.id)
    return run, file


async def test_an_unrecognised_file_takes_the_kind_and_mapping_saved_for_its_source(session):
    run, file = await _upload(session, "erp", "ventas-enero.csv", JANUARY)
    assert file.kind == ""  # not recognised from its columns
    principal = runs.system_principal("tester")
    await apply(session, run=run, principal=principal, choices=BY_HAND)
    committed = await runs.execute(
        session, principal=principal, run_id=run.id, dry_run=False, as_of=AS_OF
    )
    assert committed.status == "committed", committed.message
    await session.commit()
    (saved_file,) = await runs.files_of(session, run.id)

    # Next month's export through the upload: the saved mapping applies as it is.
    run, file = await _upload(session, "erp", "ventas-febrero.csv", FEBRUARY)
    assert file.kind == "sales_lines"
    assert file.mapping == saved_file.mapping
    spec = imports.mapping.MappingSpec.of(file.mapping)
    assert spec.columns["date"] == "Fecha" and spec.date_formats == {"date": "dmy"}
    dry = await runs.execute(session, principal=principal, run_id=run.id, dry_run=True, as_of=AS_OF)
    assert dry.status == "dry_run", dry.message
    assert dry.report["totals"]["imported"] == 1

    # Another source has no saved mapping; other headers fit none of this source's.
    _, other_source = await _upload(session, "crm", "ventas-febrero.csv", FEBRUARY)
    assert (other_source.kind, other_source.mapping) == ("", {})
    _, other_header = await _upload(session, "erp", "x.csv", "Tag;Wer;Wieviel\n1;2;3\n")
    assert (other_header.kind, other_header.mapping) == ("", {})


UPLOAD = """
mutation($input: UploadImportInput!) {
  uploadImport(input: $input) {
    run { id files { id kind mapping { field column } constants { field value }
                     dateFormats { field value } questions } }
    errors { message }
  }
}
"""
SET_MAPPING = """
mutation($input: SetImportMappingInput!) {
  setImportMapping(input: $input) { file { kind } errors { message } }
}
"""
COMMIT = """
mutation($input: RunImportInput!) {
  commitImport(input: $input) { run { status message counts } errors { message } }
}
"""


async def _api_upload(api: GraphQLClient, name: str, text: str) -> dict:
    operations = {"query": UPLOAD, "variables": {"input": {"source": "erp", "files": [None]}}}
    files_map = {"0": ["variables.input.files.0"]}
    response = await api.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(files_map)},
        files={"0": (name, text.encode(), "text/csv")},
    )
    body = response.json()
    assert "errors" not in body, body
    payload = body["data"]["uploadImport"]
    assert payload["errors"] == []
    run: dict = payload["run"]
    return run


async def test_the_upload_api_reuses_the_mapping_saved_by_an_earlier_commit(api: GraphQLClient):
    run = await _api_upload(api, "ventas-enero.csv", JANUARY)
    (file,) = run["files"]
    assert file["kind"] is None
    mapping = [{"field": f, "column": c} for f, c in BY_HAND.columns.items()]
    result = await api.data(
        SET_MAPPING,
        input={
            "runId": run["id"],
            "fileId": file["id"],
            "kind": "SALES_LINES",
            "mapping": mapping,
            "dateFormats": [{"field": "date", "value": "dmy"}],
        },
    )
    assert result["setImportMapping"]["errors"] == []
    committed = (await api.data(COMMIT, input={"runId": run["id"]}))["commitImport"]
    assert committed["errors"] == [] and committed["run"]["status"] == "committed"

    run = await _api_upload(api, "ventas-febrero.csv", FEBRUARY)
    (file,) = run["files"]
    assert file["kind"] == "SALES_LINES"
    assert {(m["field"], m["column"]) for m in file["mapping"]} == set(BY_HAND.columns.items())
    assert file["dateFormats"] == [{"field": "date", "value": "dmy"}]
    assert file["questions"] == []
    committed = (await api.data(COMMIT, input={"runId": run["id"]}))["commitImport"]
    assert committed["run"]["status"] == "committed", committed
    assert committed["run"]["counts"]["imported"] == 1
