from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from solver.scoring import POTENTIAL, potential_scores
from solver.synth import CompanyConfig, generate_company


@pytest.fixture(scope="module")
def company():
    return generate_company(CompanyConfig(n_reps=200, months=24, seed=5))


def test_scores_are_between_0_and_100_with_components_kept(company):
    scores = potential_scores(company.monthly_actuals, company.reps, "revenue")
    cols = [*POTENTIAL, "potential"]
    values = scores[cols].to_numpy()
    assert np.all((values >= 0) & (values <= 100))
    assert scores["rep_id"].tolist() == company.reps["rep_id"].tolist()


def test_a_rep_growing_faster_than_the_peers_of_the_rank_scores_higher():
    months = pd.date_range("2025-01-01", periods=12, freq="MS")
    rows = [
        (rep, month, "revenue", 100.0 * (1 + growth * k))
        for rep, growth in ((1, 0.0), (2, 0.1), (3, 0.05))
        for k, month in enumerate(months)
    ]
    history = pd.DataFrame(rows, columns=["rep_id", "month", "metric_code", "value"])
    reps = pd.DataFrame({"rep_id": [1, 2, 3], "rank_code": "S1", "region_code": "E"})
    scores = potential_scores(history, reps, "revenue").set_index("rep_id")["potential"]
    assert scores[2] > scores[3] > scores[1]


def test_a_metric_without_history_scores_the_neutral_50():
    history = pd.DataFrame(columns=["rep_id", "month", "metric_code", "value"])
    reps = pd.DataFrame({"rep_id": [1, 2], "rank_code": "S1", "region_code": "E"})
    assert potential_scores(history, reps, "revenue")["potential"].tolist() == [50.0, 50.0]
