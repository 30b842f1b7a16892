"""The planning core never refuses a random company whose hard constraints are consistent."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from solver.planning.plan import plan_targets
from solver.planning.robustness import hard_consistent, random_inputs, robustness, run_case
from solver.types import InfeasibilityReport


@pytest.mark.parametrize("seed", range(12))
def test_a_random_company_with_consistent_goals_and_locks_always_gets_targets(seed):
    outcome = run_case(np.random.default_rng(seed))
    assert outcome.consistent <= (not outcome.refused), outcome
    if not outcome.refused:
        assert outcome.goal_gap < 1e-9


def test_a_lock_above_the_whole_goal_is_refused_and_named():
    inputs = random_inputs(np.random.default_rng(3))
    first = inputs.reps[0].rep_id
    metrics = tuple(
        replace(m, locks={first: float(np.ceil(2 * m.goals[1]))}) for m in inputs.metrics
    )
    broken = replace(inputs, metrics=metrics)
    assert not hard_consistent(broken)
    report = plan_targets(broken)
    assert isinstance(report, InfeasibilityReport)
    assert {c.family for c in report.conflicts} == {"lock"}


def test_the_figures_count_cases_failures_and_strict_refusals():
    figures = robustness(cases=4, seed=5)
    assert figures["cases"] == 4 and figures["failures"] == 0
    assert 0 <= figures["strict_failures"] <= 4
    assert figures["seconds_max"] >= figures["seconds_p50"] > 0
