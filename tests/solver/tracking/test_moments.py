from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tracking_factories import LEVELS, make_quantile_distribution

from solver.planning.distribution import ForecastDistribution
from solver.probability import cdf_at, quantile_at
from solver.tracking import ForecastArrays, quantile_moments, zero_mass
from solver.types import QuantileTable

GRID = (np.arange(400_000) + 0.5) / 400_000  # midpoints: E[Q(U)] by the midpoint rule


def _integrated(levels: np.ndarray, row: np.ndarray) -> tuple[float, float]:
    """Mean and variance of Q(U) by numerical integration of ``quantile_at`` (independent of
    the closed forms)."""
    table = QuantileTable(np.zeros(len(GRID), dtype=np.int64), levels, np.tile(row, (len(GRID), 1)))
    x = quantile_at(table, GRID)
    return float(x.mean()), float(x.var())


# Non-decreasing quantile rows, flat stretches and runs of zeros included.
quantile_rows = st.lists(
    st.one_of(st.just(0.0), st.floats(0.01, 50.0)), min_size=len(LEVELS), max_size=len(LEVELS)
).map(np.cumsum)


class TestQuantileMoments:
    @settings(max_examples=25, deadline=None)
    @given(row=quantile_rows)
    def test_mean_and_variance_equal_the_integral_of_the_quantile_function(self, row) -> None:
        mean, var = quantile_moments(LEVELS, row)
        exact_mean, exact_var = _integrated(LEVELS, row)
        assert float(mean) == pytest.approx(exact_mean, rel=1e-4, abs=1e-6)
        assert float(var) == pytest.approx(exact_var, rel=1e-3, abs=1e-4)

    def test_moments_are_taken_along_the_last_axis_for_any_leading_shape(self) -> None:
        rows = np.stack([np.linspace(1, 10, len(LEVELS)), np.linspace(0, 30, len(LEVELS))])
        mean, var = quantile_moments(LEVELS, np.stack([rows, rows * 2]))
        assert mean.shape == (2, 2)
        assert mean[1, 0] == pytest.approx(2 * mean[0, 0]) and var[1, 1] == pytest.approx(
            4 * var[0, 1]
        )


class TestZeroMass:
    @settings(max_examples=25, deadline=None)
    @given(row=quantile_rows)
    def test_the_mass_at_zero_is_the_cdf_just_above_zero(self, row) -> None:
        table = QuantileTable(np.zeros(1, dtype=np.int64), LEVELS, row[None, :])
        above = float(cdf_at(table, 1e-9)[0])
        assert float(zero_mass(LEVELS, row)) == pytest.approx(above, abs=1e-6)

    def test_a_hurdle_month_has_its_share_of_zeros(self) -> None:
        row = np.where(LEVELS <= 0.3, 0.0, 10.0 * LEVELS)
        assert float(zero_mass(LEVELS, row)) == pytest.approx(0.3)


class TestForecastArrays:
    def test_reps_without_an_additive_distribution_are_not_valid(self) -> None:
        d = make_quantile_distribution(months=3)
        arrays = ForecastArrays.stack([d, None, ForecastDistribution.empirical([0.9, 1.0]), d])
        assert arrays.valid.tolist() == [True, False, False, True]
        assert np.array_equal(arrays.monthly[3], d.monthly) and np.all(arrays.monthly[1] == 0)

    def test_quantiles_on_another_grid_are_read_at_the_first_reps_levels(self) -> None:
        d = make_quantile_distribution(months=2)
        coarse = ForecastDistribution.quantiles(
            d.levels[::2], d.period[::2], d.monthly[:, ::2], d.mean
        )
        arrays = ForecastArrays.stack([d, coarse])
        assert arrays.valid.all()
        assert np.allclose(arrays.period[1][::2], d.period[::2])
        assert np.all(np.diff(arrays.monthly[1], axis=1) >= 0)

    def test_a_forecast_of_other_months_than_the_plan_is_refused(self) -> None:
        with pytest.raises(ValueError, match="months"):
            ForecastArrays.stack([make_quantile_distribution(months=3)], months=4)

    def test_monthly_means_add_up_to_the_forecast_mean_and_follow_the_months(self) -> None:
        levels = np.array([0.25, 0.5, 0.75])
        d = ForecastDistribution.quantiles(
            levels, [50.0, 60.0, 70.0], [[5.0, 10.0, 15.0], [15.0, 30.0, 45.0]], mean=80.0
        )
        means = ForecastArrays.stack([d, None]).monthly_means()
        assert means[0].sum() == pytest.approx(80.0) and means[0, 1] == pytest.approx(60.0)
        assert np.isnan(means[1]).all()
