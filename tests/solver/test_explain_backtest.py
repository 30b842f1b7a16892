from __future__ import annotations

import numpy as np
import pandas as pd
from solver_factories import make_table

from solver.backtest import (
    calibration_summary,
    moving_average,
    pinball,
    seasonal_naive,
    share_reaching,
    wape,
)
from solver.explain import explain_targets, flag_extremes
from solver.probability import quantile_at


def test_explanation_components_add_up_to_the_target():
    targets = pd.DataFrame(
        {
            "rep_id": [1, 2],
            "value": [120.0, 80.0],
            "baseline": [100.0, 100.0],
            "coefficient": [1.1, 0.9],
            "forecast": [115.0, 85.0],
            "ideal": [118.0, 82.0],
            "binding": ["", "floor"],
        }
    )
    parts = explain_targets(targets)
    cols = ["rank_baseline", "coefficients", "history", "strategy", "constraint"]
    np.testing.assert_allclose(parts[cols].sum(axis=1), targets["value"])


def test_a_target_three_times_history_is_flagged():
    targets = pd.DataFrame(
        {
            "rep_id": [1, 2, 3],
            "value": [300.0, 100.0, 110.0],
            "history": [100.0, 100.0, 100.0],
            "rank_code": ["S1"] * 3,
            "baseline": [100.0] * 3,
        }
    )
    flags = flag_extremes(targets)
    assert flags["flagged"].tolist() == [True, False, False]


def test_calibrated_draws_have_small_ece_and_nominal_coverage():
    table = make_table(n=4000, seed=1)
    rng = np.random.default_rng(0)
    actual = quantile_at(table, rng.uniform(0.0, 1.0, table.n))
    summary = calibration_summary(actual, table)
    assert summary["ece"] < 0.02
    assert abs(summary["coverage_0.90"] - 0.90) < 0.02
    assert (
        abs(share_reaching(np.median(table.values, axis=1), table)["expected_share"] - 0.5) < 0.01
    )


def test_baselines_and_losses_on_a_hand_example():
    history = np.arange(24, dtype=float)[None, :]
    assert seasonal_naive(history, 2).tolist() == [[12.0, 13.0]]
    assert moving_average(history, 1).tolist() == [[22.0]]
    assert wape(np.array([10.0, 10.0]), np.array([9.0, 12.0])) == 0.15
    assert pinball(np.array([5.0, 5.0, 5.0, 5.0, 5.0]), make_table(n=5)) > 0
