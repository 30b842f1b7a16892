"""`quotient bench security --json` runs end to end against a real server and prints one JSON
object per line (speed figures themselves are read from the benchmark, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys


def test_bench_security_prints_each_case_with_its_reference(tmp_path):
    out = tmp_path / "security.jsonl"
    command = [sys.executable, "-c", "from backend.cli import main; main()"]
    with out.open("w") as stdout:
        done = subprocess.run(
            [*command, "bench", "security", "--samples", "3", "--connections", "2", "--json"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["case"] for line in lines] == [
        "me_under_sign_in_flood",
        "me_under_sign_in_flood",
        "xlsx_bomb",
        "xlsx_bomb",
    ]
    for flood in lines[:2]:
        assert flood["idle_p50_ms"] > 0 and flood["flooded_p50_ms"] > 0
        assert flood["flood_requests_per_s"] > 0  # the flood really ran
    dimension, inflating = lines[2:]
    assert dimension["outcome"] == "read"  # a declared size is ignored, the real rows are read
    assert inflating["outcome"] == "refused"
    assert "unpacks to" in inflating["errors"][0]
    assert dimension["reference_outcome"] == "read"
