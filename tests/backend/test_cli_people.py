"""The people-change bench cases on a small synthetic company (60 reps): they run, the goals
stay exact after the reorganisation and its revisions are counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend.cli_people import bench_people
from backend.cli_planning import _build


async def test_the_people_bench_cases_report_exact_goals(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}"
    plan, _, team = await _build(url, 60, 20, 3)
    lines: dict[str, dict[str, Any]] = {}

    def emit(case: str, **fields: Any) -> None:
        lines[case] = fields

    await bench_people(url, plan, team, 1, emit)
    preview, moved = lines["adjustment_preview"], lines["people_change_1k"]
    assert preview["team_reps"] >= 20 and preview["calls"] >= 20
    assert preview["absorbing_lower_asks"] >= 1  # a lower ask moves teammates up
    assert moved["goals_exact"] is True
    assert moved["reps_moved"] >= 50 and moved["revisions"] > 0
