from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.tracking import (
    ProgressInputs,
    compute_progress,
    elapsed_months,
    monthly_pace_history,
    pace_history,
)


class TestElapsedMonths:
    def test_whole_months_plus_the_days_of_the_current_month(self) -> None:
        assert elapsed_months(date(2026, 1, 1), 12, date(2026, 1, 31)) == 1.0
        assert elapsed_months(date(2026, 1, 1), 12, date(2026, 2, 14)) == pytest.approx(1.5)
        assert elapsed_months(date(2026, 4, 1), 3, date(2026, 6, 10)) == pytest.approx(2 + 1 / 3)

    def test_a_leap_february_counts_its_29_days(self) -> None:
        assert elapsed_months(date(2028, 1, 1), 12, date(2028, 2, 28)) == pytest.approx(1 + 28 / 29)

    def test_it_is_zero_before_the_period_and_the_period_length_after_it(self) -> None:
        assert elapsed_months(date(2026, 1, 1), 12, date(2025, 11, 30)) == 0.0
        assert elapsed_months(date(2026, 1, 1), 12, date(2027, 3, 1)) == 12.0

    def test_a_period_start_inside_a_month_counts_from_that_month(self) -> None:
        assert elapsed_months(date(2026, 1, 15), 12, date(2026, 1, 31)) == 1.0


def _progress(targets, actuals, elapsed, forecast=None):
    to_array = np.asarray
    return compute_progress(
        ProgressInputs(
            to_array(targets, dtype=float),
            to_array(actuals, dtype=float),
            elapsed,
            None if forecast is None else to_array(forecast, dtype=float),
        )
    )


class TestComputeProgress:
    def test_a_seasonal_rep_selling_its_phasing_is_on_pace_in_its_quiet_months(self) -> None:
        targets = [[10.0, 10.0, 40.0, 40.0]]  # a quiet half, then a busy one
        p = _progress(targets, [[10.0, 5.0, 0.0, 0.0]], 1.5)
        assert float(p.expected[0]) == 15.0 and float(p.pace[0]) == 1.0
        assert float(p.attainment[0]) == pytest.approx(15 / 100)

    def test_the_projection_adds_the_forecast_of_what_remains_of_the_current_month(self) -> None:
        p = _progress([[10.0, 20.0, 30.0]], [[12.0, 4.0, 0.0]], 1.25, [[10.0, 20.0, 40.0]])
        assert float(p.projected[0]) == pytest.approx(16.0 + 0.75 * 20.0 + 40.0)
        assert float(p.projected_attainment[0]) == pytest.approx(71.0 / 60.0)

    def test_months_not_started_are_ignored_whatever_they_hold(self) -> None:
        p = _progress([[10.0, 10.0, 10.0]], [[8.0, np.nan, 99.0]], 1.5)
        assert float(p.actual[0]) == 8.0

    def test_ratios_are_nan_where_nothing_was_expected_or_targeted(self) -> None:
        p = _progress([[0.0, 10.0], [0.0, 0.0]], [[5.0, 0.0], [5.0, 0.0]], 1.0)
        assert np.isnan(p.pace).all() and np.isnan(p.attainment[1])
        assert float(p.attainment[0]) == 0.5

    def test_without_a_forecast_there_is_no_projection(self) -> None:
        p = _progress([[10.0, 10.0]], [[10.0, 0.0]], 1.0, [[np.nan, np.nan]])
        assert np.isnan(p.projected[0]) and np.isnan(p.projected_attainment[0])

    def test_inputs_of_mismatched_shapes_or_elapsed_outside_the_period_are_refused(self) -> None:
        with pytest.raises(ValueError, match="reps x months"):
            _progress([[1.0, 2.0]], [[1.0]], 1.0)
        with pytest.raises(ValueError, match="elapsed"):
            _progress([[1.0, 2.0]], [[1.0, 1.0]], 2.5)

    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        months=st.integers(1, 12),
        fraction=st.floats(0.0, 1.0),
    )
    def test_every_figure_equals_a_plain_per_rep_recomputation(self, seed, months, fraction):
        rng = np.random.default_rng(seed)
        n, elapsed = 5, fraction * months
        targets = rng.uniform(0, 100, (n, months)) * (rng.random((n, months)) > 0.2)
        actuals, forecast = rng.uniform(0, 120, (n, months)), rng.uniform(0, 100, (n, months))
        p = _progress(targets, actuals, elapsed, forecast)
        for i in range(n):
            actual = expected = remaining = 0.0
            for m in range(months):
                share = min(max(elapsed - m, 0.0), 1.0)
                actual += actuals[i, m] if share > 0 else 0.0
                expected += targets[i, m] * share
                remaining += forecast[i, m] * (1.0 - share)
            assert p.actual[i] == pytest.approx(actual)
            assert p.expected[i] == pytest.approx(expected)
            assert p.projected[i] == pytest.approx(actual + remaining)
            if expected > 1e-9:
                assert p.pace[i] == pytest.approx(actual / expected)


class TestPaceHistory:
    def test_each_checkpoint_compares_the_actual_to_date_with_the_phased_target(self) -> None:
        pace = pace_history(
            targets=np.array([[30.0, 60.0]]),
            actual_at=np.array([[5.0, 30.0, 45.0]]),
            checkpoints=np.array([0.25, 1.0, 1.5]),
        )
        assert pace.tolist() == [[5.0 / 7.5, 1.0, 0.75]]

    def test_the_monthly_history_ends_with_the_last_month_completed(self) -> None:
        pace = monthly_pace_history(
            targets=np.array([[10.0, 10.0, 10.0]]),
            actuals=np.array([[9.0, 9.0, 50.0]]),
            elapsed=2.9,
        )
        assert pace.shape == (1, 2) and pace[0].tolist() == pytest.approx([0.9, 0.9])
