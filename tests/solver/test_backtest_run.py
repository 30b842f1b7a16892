from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from solver_factories import make_table

from solver.backtest import (
    binned_ece,
    exponential_smoothing,
    pit_reliability,
    seasonal_index,
)
from solver.evaluate import BacktestConfig, History, panel_until, run_backtest
from solver.evaluate.run import origins_for
from solver.forecast import ForecastConfig
from solver.probability import quantile_at
from solver.synth import CompanyConfig, generate_company
from solver.types import QuantileTable

REQUIRED = (
    "ece",
    "coverage_80",
    "wape",
    "wape_seasonal_naive",
    "share_at_target",
    "design_point",
    "share_within_20pct",
    "gap_rank",
    "gap_region",
    "gap_tenure",
    "ratchet_asymmetry",
)


@pytest.fixture(scope="module")
def company_history() -> History:
    return History.from_company(generate_company(CompanyConfig(n_reps=120, months=30, seed=3)))


def test_a_flat_panel_has_unit_seasonality_and_a_flat_smoothed_forecast():
    history = np.full((3, 24), 50.0)
    np.testing.assert_allclose(seasonal_index(history, 4), np.ones(12))
    np.testing.assert_allclose(exponential_smoothing(history, 4, first_month=4), 50.0)


def test_exponential_smoothing_follows_a_pooled_seasonal_pattern_and_skips_gaps():
    season = 1.0 + 0.5 * np.sin(2 * np.pi * np.arange(36) / 12)
    history = np.vstack([10.0 * season[:24], 20.0 * season[:24]])
    history[1, :5] = np.nan  # hired later
    forecast = exponential_smoothing(history, 12)
    np.testing.assert_allclose(forecast, np.vstack([10.0 * season[24:], 20.0 * season[24:]]))


def test_binned_ece_is_zero_when_frequencies_match_probabilities():
    p = np.repeat([0.25, 0.75], 4)
    y = np.array([1.0, 0, 0, 0, 1, 1, 1, 0])
    assert binned_ece(p, y) == pytest.approx(0.0)


def test_pit_reliability_of_calibrated_draws_with_a_mass_at_zero_is_nominal():
    base = make_table(n=4000, seed=2)
    values = np.maximum(base.values - np.median(base.values[:, 2]), 0.0)  # ~25% mass at zero
    table = QuantileTable(base.rep_ids, base.levels, values)
    rng = np.random.default_rng(0)
    actual = quantile_at(table, rng.uniform(0.0, 1.0, table.n))
    assert np.mean(actual == 0) > 0.1
    observed = pit_reliability(actual, table, table.levels)
    np.testing.assert_allclose(observed, table.levels, atol=0.03)


def test_panel_until_hides_the_months_from_the_origin_on(company_history: History):
    panel = company_history.panel()
    known = panel_until(panel, 20)
    assert known.y.shape[1] == 20 and len(known.months) == 20
    assert np.all(known.leave_index[panel.leave_index >= 20] > 1e8)


def test_the_backtest_reports_every_headline_figure_in_range(company_history: History):
    config = BacktestConfig(
        horizon=3, origins=2, forecast=ForecastConfig(num_rounds=20, calibration_months=3)
    )
    report = run_backtest(company_history, config)
    summary = report.to_dict()
    for key in REQUIRED:
        assert np.isfinite(summary[key]), key
    assert 0.0 <= summary["share_at_target"] <= 1.0
    assert 0.0 < summary["design_point"] < 1.0
    assert summary["ece"] < 0.2
    assert {"model_median", "seasonal_naive", "truth_expected"} <= set(report.accuracy["method"])
    assert len(report.periods) == 2 and "ratchet_truth_asymmetry" in summary
    band = (summary["share_at_target_low"], summary["share_at_target_high"])
    assert band[0] <= summary["share_at_target"] <= band[1]


def test_a_short_history_replays_the_periods_that_fit_and_says_so():
    origins, notes = origins_for(12, BacktestConfig(horizon=3, origins=3))
    assert origins == [6, 9] and "2 of the 3 periods" in notes[0]
    assert origins_for(36, BacktestConfig(horizon=3, origins=3)) == ([27, 30, 33], [])
    with pytest.raises(ValueError, match="too few"):
        origins_for(8, BacktestConfig(horizon=3, origins=3))


def test_a_step_shorter_than_the_horizon_replays_every_rolling_window():
    config = BacktestConfig(horizon=3, origins=5, step=1)
    assert origins_for(18, config) == ([11, 12, 13, 14, 15], [])
    origins, notes = origins_for(12, BacktestConfig(horizon=3, origins=10, step=1))
    assert origins == [6, 7, 8, 9] and "4 of the 10 periods" in notes[0]


def _reached(shares: list[float], reps: int, seed: int = 0) -> pd.DataFrame:
    """A period per share: each of ``reps`` reps reaches target with that probability."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        [
            {"rep_id": r, "origin": k, "reached": bool(rng.uniform() < share)}
            for k, share in enumerate(shares)
            for r in range(reps)
        ]
    )


def test_the_share_band_is_wide_for_a_few_reps_and_holds_the_truth_for_many():
    from solver.evaluate.run import share_band

    rng = np.random.default_rng(3)
    few = share_band(_reached([0.65] * 3, 14), 400, rng)
    many = share_band(_reached([0.65] * 3, 3000), 400, rng)
    assert few["share_at_target_high"] - few["share_at_target_low"] > 0.15
    assert many["share_at_target_high"] - many["share_at_target_low"] < 0.05
    assert many["share_at_target_low"] < 0.65 < many["share_at_target_high"]


def test_the_share_band_counts_a_bad_quarter_shared_by_every_rep():
    from solver.evaluate.run import share_band

    rng = np.random.default_rng(4)
    steady = share_band(_reached([0.65] * 4, 2000), 400, rng)
    shocked = share_band(_reached([0.35, 0.65, 0.8, 0.8], 2000), 400, rng)
    width = shocked["share_at_target_high"] - shocked["share_at_target_low"]
    assert width > 3 * (steady["share_at_target_high"] - steady["share_at_target_low"])


def test_a_design_point_sets_the_common_achievement_probability(company_history: History):
    config = BacktestConfig(
        horizon=3,
        origins=2,
        design_point=0.65,
        forecast=ForecastConfig(num_rounds=20, calibration_months=3),
    )
    report = run_backtest(company_history, config)
    assert report.summary["design_point"] == pytest.approx(0.65, abs=1e-6)
    assert report.summary["uplift"] is None


def test_a_history_written_as_parquet_replays_like_the_company(tmp_path):
    from solver.evaluate import read_history
    from solver.synth import write_company

    write_company(CompanyConfig(n_reps=40, months=24, seed=5), tmp_path)
    history = read_history(tmp_path)
    assert history.truth is not None and history.deals is not None
    config = BacktestConfig(
        horizon=3, origins=2, min_group=5, forecast=ForecastConfig(num_rounds=10)
    )
    assert 0.0 <= run_backtest(history, config).summary["share_at_target"] <= 1.0


def test_a_directory_without_actuals_is_refused(tmp_path):
    from solver.evaluate import read_history

    with pytest.raises(FileNotFoundError, match="monthly_actuals"):
        read_history(tmp_path)


def test_the_gap_noise_floor_separates_bias_from_sampling_noise():
    from solver.evaluate.run import gap_noise
    from solver.evaluate.targets import group_gaps

    rng = np.random.default_rng(1)
    n = 3000
    group = rng.integers(0, 4, n)
    fair = pd.DataFrame(
        {"rep_id": np.arange(n), "rank": group, "reached": rng.uniform(size=n) < 0.65}
    )
    noise = gap_noise(fair, "rank", 30, 200, rng)
    assert group_gaps(fair, "rank")[0] <= np.quantile(noise, 0.99)
    biased = fair.assign(reached=rng.uniform(size=n) < np.where(group == 0, 0.55, 0.65))
    assert group_gaps(biased, "rank")[0] > np.quantile(noise, 0.99)


def _period(origin: int, frame: pd.DataFrame):
    from solver.evaluate.targets import PeriodTargets

    return PeriodTargets(origin, 0.65, float(frame["target"].sum()), frame)


def test_ratchet_separates_catching_up_with_under_forecast_reps_from_chasing_luck():
    from solver.evaluate.targets import ratchet

    rng = np.random.default_rng(2)
    n = 4000
    truth = rng.lognormal(4.0, 0.3, n)  # every rep's expected value, the same in both periods
    median = truth * rng.lognormal(0.0, 0.25, n)  # first forecast: right on average, noisy
    actual = truth * rng.lognormal(0.0, 0.4, n)
    first = pd.DataFrame(
        {"rep_id": np.arange(n), "target": 0.9 * median, "median": median, "truth": truth}
    )
    first["reached"] = actual >= first["target"]
    # A forecaster that learns each rep's true level from the period (no luck in it).
    second = first.assign(target=0.9 * truth, median=truth, truth=truth)
    out = ratchet(_period(0, first), _period(1, second))
    assert out["asymmetry"] > 0.1  # reps who beat were under-forecast, so their targets rise
    assert out["truth_asymmetry"] == pytest.approx(0.0, abs=1e-12)
    assert abs(out["excess"]) < 0.02  # all of it is the correction, none is luck
    # A forecaster that also follows the luck of the first period shows an excess.
    chasing = second.assign(target=0.9 * truth * (actual / truth) ** 0.3)
    assert ratchet(_period(0, first), _period(1, chasing))["excess"] > 0.05
