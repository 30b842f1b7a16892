from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from solver.ratio import (
    coefficient_product,
    rank_baseline,
    ratio_targets,
    weighted_average,
)


def _team(*, n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rep_ids = np.arange(1, n + 1, dtype=np.int64)
    baseline = rng.choice([0.75, 0.77, 0.79], n)
    coefficient = rng.uniform(0.95, 1.08, n)
    invoiced = rng.lognormal(12.0, 0.8, n)
    return rep_ids, baseline, coefficient, invoiced


class TestRatioTargets:
    def test_targets_are_baseline_times_coefficients_when_the_team_target_is_met(self):
        rep_ids, baseline, coefficient, weight = _team()
        result = ratio_targets(
            rep_ids, baseline, coefficient, weight, metric="collection_rate", team_target=0.5
        )
        np.testing.assert_allclose(result.values, np.clip(baseline * coefficient, 0.0, 1.0))
        assert result.lift == 0.0 and result.met and result.conflict is None

    def test_targets_are_clipped_to_the_metrics_valid_range(self):
        result = ratio_targets(
            np.array([1, 2]),
            np.array([4.6, 1.2]),
            np.array([1.2, 0.5]),
            np.ones(2),
            metric="satisfaction",
        )
        assert result.values.tolist() == [5.0, 1.0]
        assert result.to_frame()["binding"].tolist() == ["ceiling", "floor"]

    @pytest.mark.parametrize("mode", ["points", "relative"])
    @pytest.mark.parametrize("seed", range(5))
    def test_the_least_uniform_lift_meets_the_weighted_team_target(self, mode, seed):
        rep_ids, baseline, coefficient, weight = _team(seed=seed)
        hi = np.full(len(rep_ids), 0.9)
        target = 0.86
        result = ratio_targets(
            rep_ids,
            baseline,
            coefficient,
            weight,
            metric="collection_rate",
            team_target=target,
            hi=hi,
            mode=mode,
        )
        assert result.met and result.lift > 0
        assert weighted_average(result.values, weight) == pytest.approx(target, abs=1e-9)
        assert np.all(result.values <= hi + 1e-12) and np.all(result.values >= result.base)
        # minimal: a slightly smaller lift misses the target
        smaller = result.lift * (1 - 1e-6)
        lifted = result.base + smaller if mode == "points" else result.base * (1 + smaller)
        assert weighted_average(np.minimum(lifted, hi), weight) < target

    def test_an_unreachable_team_target_reports_the_shortfall(self):
        rep_ids, baseline, coefficient, weight = _team()
        hi = np.full(len(rep_ids), 0.88)
        result = ratio_targets(
            rep_ids,
            baseline,
            coefficient,
            weight,
            metric="collection_rate",
            team_target=0.95,
            hi=hi,
        )
        assert not result.met
        assert result.shortfall == pytest.approx(0.95 - 0.88)
        np.testing.assert_allclose(result.values, hi)
        assert result.conflict is not None and result.conflict.family == "ceiling"
        assert "exceeds the best weighted average" in result.conflict.message

    def test_a_rep_with_no_weight_does_not_move_the_team_average(self):
        result = ratio_targets(
            np.array([1, 2]),
            np.array([0.6, 0.9]),
            np.ones(2),
            np.array([0.0, 50.0]),
            metric="collection_rate",
            team_target=0.92,
        )
        assert result.weighted_average == pytest.approx(0.92)
        assert result.lift == pytest.approx(0.02)

    def test_zero_total_weight_is_refused(self):
        with pytest.raises(ValueError, match="positive sum"):
            weighted_average(np.array([0.5]), np.array([0.0]))

    def test_crossed_bounds_are_refused(self):
        with pytest.raises(ValueError, match="lower bound"):
            ratio_targets(
                np.array([1]),
                np.array([0.8]),
                np.ones(1),
                np.ones(1),
                metric="collection_rate",
                lo=np.array([0.9]),
                hi=np.array([0.85]),
            )


class TestFrames:
    def test_baselines_and_coefficients_come_from_the_rank_and_rep_attributes(self):
        reps = pd.DataFrame(
            {"rank_code": ["S1", "S3"], "region_code": ["EC", "NW"], "market": ["city", "rural"]}
        )
        ranks = pd.DataFrame({"rank_code": ["S1", "S3"], "baseline_collection_rate": [0.75, 0.77]})
        assert rank_baseline(reps, ranks, "collection_rate").tolist() == [0.75, 0.77]
        coefficient = coefficient_product(
            reps, {"region_code": {"EC": 1.02, "NW": 0.97}, "market": {"rural": 0.95}}
        )
        np.testing.assert_allclose(coefficient, [1.02, 0.97 * 0.95])

    def test_a_rank_without_a_baseline_is_refused(self):
        reps = pd.DataFrame({"rank_code": ["S9"]})
        ranks = pd.DataFrame({"rank_code": ["S1"], "baseline_satisfaction": [3.9]})
        with pytest.raises(ValueError, match="baseline_satisfaction"):
            rank_baseline(reps, ranks, "satisfaction")

    def test_the_synthetic_companys_ranks_give_valid_targets(self):
        from solver.synth import CompanyConfig, generate_company

        company = generate_company(CompanyConfig(n_reps=40, months=12, seed=2))
        reps = company.reps[company.reps["leave_date"].isna()]
        invoiced = company.invoices.groupby("rep_id")["amount"].sum()
        weight = invoiced.reindex(reps["rep_id"]).fillna(0.0).to_numpy()
        result = ratio_targets(
            reps["rep_id"].to_numpy(np.int64),
            rank_baseline(reps, company.ranks, "collection_rate"),
            coefficient_product(reps, {}),
            weight,
            metric="collection_rate",
            team_target=0.8,
        )
        assert result.met and np.all((result.values >= 0) & (result.values <= 1))
