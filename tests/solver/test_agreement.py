from __future__ import annotations

import numpy as np
import pandas as pd
from solver_factories import make_bounds, make_org, make_table

from solver.decompose import check_result, decompose
from solver.strategies import equal_difficulty
from solver.types import Allocation, DecompositionProblem, DecompositionResult


def test_lp_returns_the_equal_difficulty_values_when_they_are_the_ideal():
    table = make_table(n=30, seed=12)
    bounds = make_bounds(table=table)
    goal = 1.1 * float(table.values[:, 3].sum())
    allocation = equal_difficulty(table, goal, bounds)
    assert isinstance(allocation, Allocation)
    reps = pd.DataFrame({"rep_id": table.rep_ids, "org_id": 4, "rank_level": 1})
    cells = pd.DataFrame(
        {
            "rep_id": table.rep_ids,
            "metric_code": "revenue",
            "ideal": allocation.values,
            "weight": 1.0,
            "floor": bounds.lo,
            "ceiling": bounds.hi,
            "lock": np.nan,
        }
    )
    goals = pd.DataFrame(
        {"org_id": [1], "metric_code": ["revenue"], "month": [pd.NaT], "goal": [goal]}
    )
    problem = DecompositionProblem(
        reps=reps, org=make_org(), cells=cells, goals=goals, months=(pd.Timestamp("2026-01-01"),)
    )
    result = decompose(problem)
    assert isinstance(result, DecompositionResult)
    assert check_result(problem, result) == []
    np.testing.assert_allclose(result.totals["value"], allocation.values, rtol=1e-9)
