"""`quotient backtest` and `quotient bench solver` print the fields the issue names."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from backend.cli import app

BACKTEST_FIELDS = {
    "ece",
    "coverage_80",
    "wape",
    "wape_seasonal_naive",
    "share_at_target",
    "design_point",
    "share_within_20pct",
    "gap_rank",
    "gap_region",
    "gap_tenure",
    "ratchet_asymmetry",
}
BENCH_FIELDS = {
    "case",
    "n_reps",
    "seconds",
    "reference",
    "reference_seconds",
    "peak_mb",
    "max_violation",
}


def test_backtest_json_has_every_headline_figure_at_the_default_design_point():
    args = ["backtest", "--reps", "150", "--months", "24", "--origins", "2", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= BACKTEST_FIELDS
    assert report["design_point"] == 0.65
    assert report["gap_rank_noise"] >= 0.0


def test_backtest_prints_tables_without_json():
    args = ["backtest", "--reps", "150", "--months", "24", "--origins", "2", "--uplift", "1.1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Share at target by group" in result.stdout and "wape_seasonal_naive" in result.stdout


def test_bench_solver_prints_one_json_line_per_case_with_its_reference():
    cases = ["--case", "lp_single", "--case", "lp_hierarchy_12m_phasing"]
    args = ["bench", "solver", "--quick", *cases, "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [line["case"] for line in lines] == ["lp_single_level", "lp_hierarchy_12m_phasing"]
    for line in lines:
        assert set(line) >= BENCH_FIELDS
        assert line["max_violation"] < 1e-9 and line["reference_seconds"] is not None


def test_an_ambiguous_case_prefix_is_refused_with_the_choices():
    result = CliRunner().invoke(app, ["bench", "solver", "--case", "lp_hier"])
    assert result.exit_code != 0
    assert "lp_hierarchy_12m_2metrics" in result.output


def test_bench_solver_json_written_to_a_file_is_one_whole_object_per_line(tmp_path):
    # As a user runs it (`quotient bench solver --json > file`): a real file on fd 1, which
    # the cases' native libraries (HiGHS, LightGBM) also write to unless silenced.
    out = tmp_path / "bench.jsonl"
    cases = ["--case", "lp_single", "--case", "elastic", "--case", "integer"]
    command = [sys.executable, "-c", "from backend.cli import app; app()"]
    with out.open("w") as stdout:
        done = subprocess.run(
            [*command, "bench", "solver", "--quick", *cases, "--json"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    lines = out.read_text().splitlines()
    parsed = [json.loads(line) for line in lines]  # every line a whole JSON object
    assert [p["case"] for p in parsed] == [
        "lp_single_level",
        "elastic_hierarchy_12m_2metrics",
        "integer_metric",
    ]
    elastic = parsed[1]
    assert elastic["violations"] == 0 and elastic["relaxed_constraints"] > 0
