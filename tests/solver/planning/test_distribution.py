from __future__ import annotations

import numpy as np
from planning_factories import make_distribution

from solver.planning import ForecastDistribution


class TestForecastDistribution:
    def test_p_achieve_falls_as_the_target_rises_for_the_period_and_each_month(self) -> None:
        d = make_distribution(mean_month=100.0, spread=0.3, months=3)
        period = [d.p_period(v) for v in (200.0, 300.0, 400.0)]
        month = [d.p_month(1, v) for v in (50.0, 100.0, 150.0)]
        assert period == sorted(period, reverse=True) and month == sorted(month, reverse=True)
        assert 0.4 < d.p_period(300.0) < 0.6

    def test_the_stored_form_reads_back_to_the_same_probabilities(self) -> None:
        d = make_distribution(mean_month=100.0, spread=0.3, months=3)
        back = ForecastDistribution.from_stored(**d.to_stored(), mean=d.mean)
        assert back.p_period(280.0) == d.p_period(280.0)
        assert back.p_months([90.0, 100.0, 110.0]) == d.p_months([90.0, 100.0, 110.0])
        assert back.mean == d.mean

    def test_a_ratio_metric_reads_p_from_its_past_months(self) -> None:
        d = ForecastDistribution.empirical([0.8, 0.9, 1.0])
        assert d.is_ratio and d.p_period(0.9) == 0.625 == d.p_month(0, 0.9)
        back = ForecastDistribution.from_stored(**d.to_stored())
        assert back.p_period(0.95) == d.p_period(0.95)

    def test_months_not_worked_have_no_forecast_and_the_total_shrinks(self) -> None:
        d = make_distribution(mean_month=100.0, spread=0.3, months=4)
        cut = d.restricted(np.array([1.0, 1.0, 0.0, 0.0]))
        assert np.all(cut.monthly[2:] == 0) and abs(cut.mean - d.mean / 2) < 1e-9
        assert np.allclose(cut.period, d.period / 2)
        assert cut.restricted(np.array([1.0, 1.0, 0.0, 0.0])).period.tolist() == cut.period.tolist()
