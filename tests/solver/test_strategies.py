from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_factories import make_bounds, make_table

from solver.probability import prob_at_least
from solver.strategies import (
    by_ability,
    equal,
    equal_difficulty,
    proportional,
    rank_offsets,
)
from solver.types import Allocation, InfeasibilityReport, RepBounds


def _total(table):
    return float(table.values[:, 3].sum())


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), ratio=st.floats(0.6, 1.5))
def test_equal_difficulty_meets_goal_exactly(seed, ratio):
    table = make_table(n=20, seed=seed)
    bounds = make_bounds(table=table)
    goal = ratio * _total(table)
    result = equal_difficulty(table, goal, bounds)
    assert isinstance(result, Allocation)
    assert abs(result.values.sum() - goal) <= 1e-9 * goal
    assert np.all(result.values >= bounds.lo - 1e-9)
    assert np.all(result.values <= bounds.hi + 1e-9)


def test_equal_difficulty_gives_every_unclamped_rep_the_same_probability():
    table = make_table(n=50, seed=1)
    result = equal_difficulty(table, 0.9 * _total(table))
    assert isinstance(result, Allocation)
    np.testing.assert_allclose(result.rep_probability, result.probability, atol=1e-9)
    assert 0.5 < result.probability < 0.95


def test_equal_difficulty_reaches_into_the_tails():
    table = make_table(n=5, seed=2)
    goal = 2.0 * float(table.values[:, -1].sum())
    result = equal_difficulty(table, goal)
    assert isinstance(result, Allocation)
    assert abs(result.values.sum() - goal) <= 1e-9 * goal
    assert result.probability < 0.05


def test_rank_offsets_stretch_senior_ranks():
    table = make_table(n=6, seed=4)
    offsets = rank_offsets(np.array([1, 1, 1, 3, 3, 3]), step=0.1)
    result = equal_difficulty(table, _total(table), offsets=offsets)
    assert isinstance(result, Allocation)
    assert abs(result.values.sum() - _total(table)) < 1e-6
    p = prob_at_least(table, result.values)
    np.testing.assert_allclose(p[3:] + 0.2, p[:3].mean(), atol=1e-9)


def test_goal_above_the_sum_of_ceilings_is_reported_with_the_gap():
    table = make_table(n=4)
    bounds = make_bounds(table=table, hi_q=1.0)
    goal = _total(table) + 10.0
    report = equal_difficulty(table, goal, bounds)
    assert isinstance(report, InfeasibilityReport)
    (conflict,) = report.conflicts
    assert conflict.family == "ceiling"
    assert abs(conflict.amount - 10.0) < 1e-9


def test_floor_above_ceiling_is_reported_per_rep():
    ids = np.array([7, 8])
    report = equal(ids, 10.0, RepBounds(ids, np.array([5.0, 0.0]), np.array([4.0, 20.0])))
    assert isinstance(report, InfeasibilityReport)
    assert report.conflicts[0].node == "rep 7"


def test_equal_split_water_fills_around_bounds():
    ids = np.arange(3)
    bounds = RepBounds(ids, np.array([0.0, 0.0, 50.0]), np.array([10.0, np.inf, np.inf]))
    result = equal(ids, 100.0, bounds)
    assert isinstance(result, Allocation)
    np.testing.assert_allclose(result.values, [10.0, 40.0, 50.0])


def test_by_ability_is_proportional_to_the_forecast_when_unbounded():
    ids = np.arange(3)
    result = by_ability(ids, np.array([1.0, 2.0, 7.0]), 50.0)
    assert isinstance(result, Allocation)
    np.testing.assert_allclose(result.values, [5.0, 10.0, 35.0])


def test_zero_weights_fall_back_to_equal_shares():
    result = proportional(np.arange(4), np.zeros(4), 8.0)
    assert isinstance(result, Allocation)
    np.testing.assert_allclose(result.values, 2.0)
