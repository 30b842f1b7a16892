from __future__ import annotations

import numpy as np
import pytest

from solver.scoring import score_reps
from solver.synth import CompanyConfig, generate_company


@pytest.fixture(scope="module")
def company():
    return generate_company(CompanyConfig(n_reps=200, months=24, seed=5))


def test_scores_are_between_0_and_100_with_components_kept(company):
    scores = score_reps(company.monthly_actuals, company.reps, company.ranks)
    cols = [
        "attainment",
        "acquisition",
        "conversion",
        "collection",
        "trajectory",
        "growth",
        "territory",
        "capability",
        "potential",
    ]
    assert set(cols) <= set(scores.columns)
    values = scores[cols].to_numpy()
    assert np.all((values >= 0) & (values <= 100))
    assert len(scores) == len(company.reps)


def test_capability_tracks_the_true_ability(company):
    scores = score_reps(company.monthly_actuals, company.reps, company.ranks)
    ability = company.truth.groupby("rep_id")["ability"].mean()
    merged = scores.set_index("rep_id").join(ability, how="inner")
    assert merged["capability"].corr(merged["ability"], method="spearman") > 0.1
