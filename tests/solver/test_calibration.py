"""Group-conditional conformal calibration: every group gets its own rate, not the pooled one."""

from __future__ import annotations

import numpy as np

from solver.forecast.calibration import fit_calibration

LEVELS = np.array([0.1, 0.35, 0.5, 0.9])


def _coverage(resid: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Share of residuals at or below each level's bound (rows = reps, columns = levels)."""
    out: np.ndarray = (resid[:, None] <= bound).mean(axis=0)
    return out


def _groups(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    # Correlated dimensions: most new hires (tenure 0) are junior (rank 1).
    tenure = (rng.uniform(size=n) < 0.3).astype(np.int64)
    rank = np.where(tenure == 1, rng.uniform(size=n) < 0.8, rng.uniform(size=n) < 0.2)
    return {"tenure": tenure, "rank": rank.astype(np.int64) + 1}


def test_each_group_is_calibrated_where_pooled_quantiles_are_not():
    rng = np.random.default_rng(3)
    n = 20_000
    groups = _groups(n, rng)
    # New hires are under-forecast (actual/forecast ~ 1.4), juniors are twice as volatile.
    centre = np.where(groups["tenure"] == 1, 1.4, 1.0)
    spread = np.where(groups["rank"] == 1, 0.6, 0.3)
    resid = centre * np.exp(spread * rng.standard_normal(n))
    cal = fit_calibration(resid[:, None], resid, groups, LEVELS, neutral=1.0)
    bound = cal.period(groups)
    pooled = np.repeat(cal.total[None, :], n, axis=0)
    for codes in groups.values():
        for code in np.unique(codes):
            mask = codes == code
            np.testing.assert_allclose(_coverage(resid[mask], bound[mask]), LEVELS, atol=0.02)
    new_hires = groups["tenure"] == 1
    assert abs(_coverage(resid[new_hires], pooled[new_hires])[1] - 0.35) > 0.08


def test_a_group_unseen_in_calibration_gets_the_pooled_quantiles():
    rng = np.random.default_rng(4)
    groups = _groups(2_000, rng)
    resid = np.exp(0.4 * rng.standard_normal(2_000))
    cal = fit_calibration(resid[:, None], resid, groups, LEVELS, neutral=1.0)
    unseen = {"tenure": np.array([7]), "rank": np.array([9])}
    np.testing.assert_allclose(cal.period(unseen)[0], cal.total)
    np.testing.assert_allclose(cal.horizon(0, unseen)[0], cal.by_horizon[0])


def test_a_small_group_is_shrunk_towards_the_pooled_quantiles():
    rng = np.random.default_rng(5)
    n = 5_000
    groups = {"rank": np.where(np.arange(n) < 40, 2, 1).astype(np.int64)}
    resid = np.where(groups["rank"] == 2, 3.0, 1.0) * np.exp(0.2 * rng.standard_normal(n))
    cal = fit_calibration(resid[:, None], resid, groups, LEVELS, neutral=1.0)
    small = cal.period({"rank": np.array([2])})[0]
    own = np.quantile(resid[:40], LEVELS)
    assert np.all(small < own) and np.all(small > cal.total)


def test_the_pooled_level_follows_the_latest_origin_and_groups_use_every_row():
    rng = np.random.default_rng(6)
    n = 10_000
    groups = {"rank": rng.integers(1, 3, 2 * n)}
    # The company drifts: the older window's residuals sit 20% higher than the latest's.
    resid = np.concatenate([rng.lognormal(0.0, 0.3, n), 1.2 * rng.lognormal(0.0, 0.3, n)])
    recent = np.arange(2 * n) < n
    cal = fit_calibration(resid[:, None], resid, groups, LEVELS, neutral=1.0, recent=recent)
    np.testing.assert_allclose(cal.total, np.quantile(resid[:n], LEVELS), rtol=1e-9)
    # Rank carries no effect, so neither rank moves away from the latest level.
    bound = cal.period({"rank": np.array([1, 2])})
    np.testing.assert_allclose(bound, np.repeat(cal.total[None, :], 2, axis=0), rtol=0.03)
