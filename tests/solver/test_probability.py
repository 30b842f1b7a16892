from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_factories import make_table

from solver.probability import band_bounds, cdf_at, prob_at_least, quantile_at


def test_probability_is_one_minus_level_at_tabulated_quantiles():
    table = make_table(n=4)
    for j, level in enumerate(table.levels):
        p = prob_at_least(table, table.values[:, j])
        np.testing.assert_allclose(p, 1.0 - level, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), q=st.floats(0.001, 0.999))
def test_quantile_and_cdf_are_inverse_inside_the_support(seed, q):
    table = make_table(n=6, seed=seed)
    values = quantile_at(table, q)
    np.testing.assert_allclose(cdf_at(table, values), q, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000))
def test_probability_is_monotone_non_increasing_in_the_target(seed):
    table = make_table(n=3, seed=seed)
    grid = np.linspace(-10.0, 400.0, 2001)
    probs = np.stack([prob_at_least(table, t) for t in grid])
    assert np.all(np.diff(probs, axis=0) <= 1e-15)
    assert np.all((probs >= 0.0) & (probs <= 1.0))


def test_tails_are_continuous_at_the_extreme_quantiles():
    table = make_table(n=3)
    eps = 1e-7
    for j in (0, -1):
        v = table.values[:, j]
        np.testing.assert_allclose(cdf_at(table, v - eps), cdf_at(table, v + eps), atol=1e-6)


def test_target_at_or_below_zero_is_certain():
    table = make_table(n=2)
    np.testing.assert_array_equal(prob_at_least(table, 0.0), 1.0)


def test_band_bounds_keep_probability_in_the_band():
    table = make_table(n=10, seed=3)
    lo, hi = band_bounds(table, 0.3, 0.8)
    np.testing.assert_allclose(prob_at_least(table, lo), 0.8, atol=1e-9)
    np.testing.assert_allclose(prob_at_least(table, hi), 0.3, atol=1e-9)
