"""`quotient import` and `quotient export` run the same services on the configured database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from backend.cli import app
from backend.settings import get_settings
from tests.backend.imports.samples import sample_files


@pytest.fixture
def cli_database(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_import_dry_run_prints_the_report_and_export_writes_a_file(cli_database, tmp_path):
    paths = []
    for f in sample_files():
        path = tmp_path / f.name
        path.write_bytes(f.data)
        paths.append(str(path))
    runner = CliRunner()
    result = runner.invoke(app, ["import", *paths, "--source", "maven", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "DRY_RUN" in result.output
    assert "'GTXPro' -> 'GTX Pro'" in result.output and "not applied" in result.output
    assert "abbreviated amount" in result.output

    result = runner.invoke(app, ["import", *paths, "--accept-fixes"])
    assert result.exit_code == 0, result.output
    assert "COMMITTED" in result.output

    out = tmp_path / "actuals.xlsx"
    result = runner.invoke(app, ["export", "actuals", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_import_of_a_missing_file_is_a_usage_error(cli_database):
    result = CliRunner().invoke(app, ["import", "/no/such/file.csv"])
    assert result.exit_code != 0
