"""Absorbing a change within a team, over many generated teams: the team's total is kept up to
the relief, nobody leaves their bounds, months before the effective month never move, whole
numbers stay whole, and the relief is exactly what could not be absorbed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.planning import ForecastDistribution
from solver.planning.adjustments import TeamCells, absorb, prorate
from solver.tracking import ForecastArrays, conditional_probability, target_at_probability


@st.composite
def teams(draw: st.DrawFn) -> tuple[TeamCells, int, np.ndarray, int, bool]:
    n = draw(st.integers(2, 12))
    months = draw(st.integers(1, 12))
    integer = draw(st.booleans())
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    targets = rng.gamma(2.0, 50.0, size=(n, months)) * (rng.random((n, months)) > 0.1)
    if integer:
        targets = np.floor(targets)
    totals = targets.sum(axis=1)
    ceilings = np.where(rng.random(n) < 0.5, totals * rng.uniform(1.0, 1.6, n), np.nan)
    floors = np.where(rng.random(n) < 0.5, totals * rng.uniform(0.3, 1.0, n), np.nan)
    locked = rng.random(n) < 0.2
    subject = int(rng.integers(n))
    from_month = int(rng.integers(months))
    new = targets[subject].copy()
    new[from_month:] = targets[subject, from_month:] * rng.uniform(0.0, 2.5)
    if integer:
        new = np.floor(new)
    team = TeamCells(targets, floors, ceilings, locked)
    return team, subject, new, from_month, integer


@settings(max_examples=300, deadline=None)
@given(teams())
def test_absorb_keeps_the_total_and_every_bound(case: tuple) -> None:
    team, subject, new, from_month, integer = case
    out = absorb(team, {subject: new}, from_month=from_month, integer=integer)
    before, after = team.targets.sum(axis=1), out.targets.sum(axis=1)
    # the team's total moves only by the subject's change not absorbed (the relief)
    assert after.sum() == np.float64(before.sum() - out.relief) or np.isclose(
        after.sum(), before.sum() - out.relief
    )
    np.testing.assert_allclose(out.targets[subject], new)
    np.testing.assert_array_equal(out.targets[:, :from_month], team.targets[:, :from_month])
    assert (out.targets >= -1e-9).all()
    others = np.ones(team.n, dtype=bool)
    others[subject] = False
    moved = np.abs(after - before) > 1e-9
    assert not (moved & team.locked & others).any()  # locked reps never absorb
    grew = others & (after > before + 1e-6)
    shrank = others & (after < before - 1e-6)
    ceiling = np.where(np.isnan(team.ceilings), np.inf, team.ceilings)
    floor = np.where(np.isnan(team.floors), -np.inf, team.floors)
    assert (after[grew] <= np.maximum(ceiling[grew], before[grew]) + 1e-6).all()
    assert (after[shrank] >= np.minimum(floor[shrank], before[shrank]) - 1e-6).all()
    assert not (grew.any() and shrank.any())  # one direction for everyone
    if integer:
        np.testing.assert_array_equal(out.targets, np.round(out.targets))
    # relief only when the free reps had no more room in that direction
    if abs(out.relief) > 1e-6 and (out.relief > 0) == (new.sum() < team.targets[subject].sum()):
        free = others & ~team.locked
        if (
            out.relief > 0
        ):  # the others had to take more: each is at its ceiling (or whole-unit short)
            room = ceiling[free] - after[free]
        else:
            room = after[free] - np.maximum(
                np.where(np.isinf(floor[free]), 0.0, floor[free]),
                team.targets[free, :from_month].sum(axis=1),
            )
        assert (room < 1.0 + 1e-6).all()


def test_prorate_keeps_whole_numbers_whole_and_never_asks_more_than_the_days() -> None:
    months = np.array([10.0, 31.0, 7.0])
    kept = np.array([1.0, 0.5, 0.0])
    np.testing.assert_array_equal(prorate(months, kept, integer=True), [10.0, 15.0, 0.0])
    np.testing.assert_allclose(prorate(months, kept, integer=False), [10.0, 15.5, 0.0])


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 0.95), st.floats(0.0, 3.0), st.floats(0.0, 1.5))
def test_the_same_difficulty_target_has_the_plan_probability(
    p: float, elapsed: float, pace: float
) -> None:
    d = ForecastDistribution.quantiles(
        [0.1, 0.25, 0.5, 0.75, 0.9],
        [60.0, 80.0, 100.0, 120.0, 140.0],
        [[15.0, 20.0, 25.0, 30.0, 35.0]] * 4,
    )
    arrays = ForecastArrays.stack([d])
    actual = np.array([pace * 25.0 * elapsed])
    target = target_at_probability(
        arrays, probability=np.array([p]), actual_to_date=actual, elapsed=elapsed
    )
    if np.isnan(target[0]):  # none is that likely: even just above the actual, P is lower
        just_above = conditional_probability(
            arrays, target=actual + 1e-6, actual_to_date=actual, elapsed=elapsed
        )
        assert just_above[0] < p
        return
    assert target[0] > actual[0]
    reached = conditional_probability(arrays, target=target, actual_to_date=actual, elapsed=elapsed)
    higher = conditional_probability(
        arrays, target=target + 1.0, actual_to_date=actual, elapsed=elapsed
    )
    assert reached[0] >= p - 1e-6 and higher[0] <= p + 1e-6


def test_no_same_difficulty_target_when_nothing_above_the_actual_is_that_likely() -> None:
    # a rep who sells in few months: near the end, nothing more may come at all
    d = ForecastDistribution.quantiles([0.1, 0.5, 0.9], [0.0, 100.0, 300.0], [[0.0, 0.0, 60.0]] * 4)
    arrays = ForecastArrays.stack([d])
    target = target_at_probability(
        arrays, probability=np.array([0.95]), actual_to_date=np.array([80.0]), elapsed=3.9
    )
    assert np.isnan(target[0])
