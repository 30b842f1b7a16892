from __future__ import annotations

import doctest
import json

import numpy as np
import pytest

import solver.tracking.bench as bench
from solver.tracking import conditional, moments, progress, rules


@pytest.mark.parametrize("module", [moments, progress, conditional, rules])
def test_the_docstring_examples_hold(module) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


class TestBench:
    def test_each_case_reports_its_time_its_size_and_a_reference_of_known_cost(
        self, capsys
    ) -> None:
        bench.main(["--reps", "2000", "--runs", "1"])
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [line["case"] for line in lines] == ["rules_2k", "conditional_p_1k"]
        for line in lines:
            assert line["seconds"] > 0 and line["reference_seconds"] > 0
            assert line["n_reps"] in (2000, 1000) and line["reference"]
        assert {f"fired_{kind}" for kind in ("behind_pace", "peer_gap", "inactivity")} <= set(
            lines[0]
        )

    def test_the_synthetic_company_is_the_same_for_the_same_seed(self) -> None:
        a, b = bench.synthetic_company(50, seed=3), bench.synthetic_company(50, seed=3)
        assert np.array_equal(a.actuals, b.actuals) and np.array_equal(a.peer_group, b.peer_group)
        assert not np.array_equal(a.actuals, bench.synthetic_company(50, seed=4).actuals)


class TestCommand:
    def test_bench_tracking_prints_one_json_line_per_case(self, monkeypatch) -> None:
        from typer.testing import CliRunner

        import backend.cli_tracking as cli_tracking
        from backend.cli import app

        monkeypatch.setattr(
            cli_tracking,
            "dashboard_hook",
            lambda: lambda *, reps, runs: {"case": "dashboard_10k", "seconds": 0.1, "n_reps": reps},
        )
        result = CliRunner().invoke(
            app, ["bench", "tracking", "--json", "--reps", "1000", "--runs", "1"]
        )
        assert result.exit_code == 0, result.output
        cases = [json.loads(line)["case"] for line in result.output.splitlines()]
        assert cases == ["rules_1k", "conditional_p_1k", "dashboard_10k"]

    def test_the_dashboard_case_is_skipped_with_its_reason_while_it_does_not_exist(
        self, monkeypatch
    ) -> None:
        import backend.cli_tracking as cli_tracking

        monkeypatch.setattr(cli_tracking, "DASHBOARD_MODULE", "backend.services.no_such_bench")
        assert cli_tracking.dashboard_hook() is None
