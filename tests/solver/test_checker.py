"""The independent checker must catch a broken result, not only bless a good one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from solver_factories import make_problem

from solver.decompose import check_result, decompose
from solver.decompose.check import goal_gaps
from solver.types import DecompositionResult


def _solved(**kwargs):
    problem = make_problem(**kwargs)
    result = decompose(problem)
    assert isinstance(result, DecompositionResult)
    assert check_result(problem, result) == []
    return problem, result


def _shift_rep(result: DecompositionResult, rep_id: int, delta: float) -> DecompositionResult:
    """Move one rep's total and its first month by ``delta`` (months still add up)."""
    totals = result.totals.copy()
    totals.loc[totals["rep_id"] == rep_id, "value"] += delta
    monthly = result.monthly.copy()
    first = monthly.index[monthly["rep_id"] == rep_id][0]
    monthly.loc[first, "value"] += delta
    return replace(result, totals=totals, monthly=monthly)


def test_a_moved_target_breaks_its_team_and_every_goal_above_it():
    problem, result = _solved(n=40, seed=2, goal_nodes=(1, 2, 3, 4, 5, 6))
    rep = problem.reps[problem.reps["org_id"] == 4]["rep_id"].iloc[0]
    broken = _shift_rep(result, int(rep), 1.0)
    violations = check_result(problem, broken)
    named = {v.split()[2] for v in violations if v.startswith("goal node")}
    assert named == {"4", "2", "1"}  # the team, its region, the company; not 3, 5 or 6
    gaps = goal_gaps(problem, broken).set_index("org_id")["gap"]
    np.testing.assert_allclose(gaps.loc[[1, 2, 4]], 1.0)
    np.testing.assert_allclose(gaps.loc[[3, 5, 6]], 0.0, atol=1e-6)


def test_a_moved_month_breaks_the_monthly_goal_and_the_rep_sum():
    problem, result = _solved(n=30, seed=4, monthly_nodes=(1,))
    monthly = result.monthly.copy()
    monthly.loc[monthly.index[0], "value"] += 5.0
    violations = check_result(replace(problem), replace(result, monthly=monthly))
    assert any(v.startswith("goal node 1") and "NaT" not in v for v in violations)
    assert any(v.startswith("months of") for v in violations)


def test_bounds_locks_and_integrality_are_checked():
    problem, result = _solved(n=20, seed=5, integer=frozenset({"revenue"}), lock_first=True)
    totals = result.totals.copy()
    first = totals.index[0]
    totals.loc[first, "value"] += 0.5
    violations = check_result(problem, replace(result, totals=totals))
    assert any("lock" in v for v in violations)
    assert any(v.startswith("non-integer") for v in violations)
    cells = problem.cells
    free = cells[cells["lock"].isna()].iloc[0]
    totals = result.totals.copy()
    totals.loc[totals["rep_id"] == free["rep_id"], "value"] = float(free["ceiling"]) + 10
    assert any("ceiling" in v for v in check_result(problem, replace(result, totals=totals)))
