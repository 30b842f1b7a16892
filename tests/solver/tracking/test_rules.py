from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.tracking import (
    DEFAULT_RULES,
    RULES,
    BehindPace,
    Inactivity,
    LowProbability,
    LowProjection,
    PeerGap,
    RuleState,
    behind_pace,
    evaluate_rule,
    inactivity,
    low_probability,
    low_projection,
    peer_gap,
)


def make_state(*, n: int = 4, **arrays) -> RuleState:
    """A state of ``n`` reps, all quiet (on pace, at target) unless an array is given."""
    defaults = {
        "pace_history": np.ones((n, 3)),
        "attainment": np.ones(n),
        "probability": np.full(n, 0.9),
        "projected_attainment": np.ones(n),
        "days_inactive": np.zeros(n),
        "peer_group": np.zeros(n, dtype=np.int64),
    }
    return RuleState(**(defaults | {k: np.asarray(v) for k, v in arrays.items()}))


class TestBehindPace:
    def test_it_fires_after_the_given_number_of_periods_behind_in_a_row(self) -> None:
        pace = np.array([[1.0, 0.8, 0.8], [0.8, 0.8, 1.0], [0.8, 1.0, 0.8]])
        result = behind_pace(pace, periods=2, threshold=0.9)
        assert result.fired.tolist() == [True, False, False]
        assert result.streak.tolist() == [2, 0, 1]
        assert result.value.tolist() == [0.8, 1.0, 0.8]

    def test_a_pace_at_the_threshold_is_not_behind(self) -> None:
        assert not behind_pace(np.array([[0.9, 0.9]]), periods=1, threshold=0.9).fired[0]

    def test_a_period_without_expectation_ends_the_streak(self) -> None:
        result = behind_pace(np.array([[0.5, np.nan, 0.5]]), periods=2, threshold=1.0)
        assert result.streak.tolist() == [1] and not result.fired[0]

    def test_without_history_nobody_fires(self) -> None:
        result = behind_pace(np.zeros((3, 0)), periods=1, threshold=1.0)
        assert not result.fired.any() and np.isnan(result.value).all()

    @settings(max_examples=50, deadline=None)
    @given(
        rows=st.lists(
            st.lists(st.sampled_from([0.5, 0.95, 1.2, float("nan")]), min_size=6, max_size=6),
            min_size=1,
            max_size=8,
        ),
        periods=st.integers(1, 6),
    )
    def test_the_streak_equals_a_count_from_the_latest_period_back(self, rows, periods):
        result = behind_pace(np.array(rows), periods=periods, threshold=0.9)
        for i, row in enumerate(rows):
            streak = 0
            for pace in reversed(row):
                if not pace < 0.9:  # NaN is not behind
                    break
                streak += 1
            assert result.streak[i] == streak and result.fired[i] == (streak >= periods)


def _brute_force_peer_gap(attainment, groups, *, k, min_peers):
    """The rule recomputed group by group with the statistics module."""
    fired = []
    for a, g in zip(attainment, groups, strict=True):
        peers = [x for x, h in zip(attainment, groups, strict=True) if h == g and np.isfinite(x)]
        if not np.isfinite(a) or len(peers) < min_peers:
            fired.append(False)
            continue
        centre = statistics.median(peers)
        deviations = [abs(x - centre) for x in peers]
        spread = 1.4826 * statistics.median(deviations) or 1.2533 * statistics.mean(deviations)
        fired.append(a < centre - k * spread)
    return fired


class TestPeerGap:
    def test_one_star_does_not_hide_a_rep_far_behind_the_group(self) -> None:
        attainment = np.array([1.0, 0.95, 1.05, 1.1, 0.9, 4.0, 0.4])
        result = peer_gap(attainment, np.zeros(7, dtype=np.int64), k=2.0, min_peers=5)
        assert result.fired.tolist() == [False] * 6 + [True]
        # With the mean and the standard deviation, the star would have hidden them.
        mean, sd = attainment.mean(), attainment.std(ddof=1)
        assert attainment[6] > mean - 2.0 * sd

    def test_groups_smaller_than_the_minimum_are_not_judged(self) -> None:
        attainment = np.array([1.0, 1.0, 0.1, 1.0, 1.0, 1.0, 1.0, 0.1])
        groups = np.array([0, 0, 0, 1, 1, 1, 1, 1])
        result = peer_gap(attainment, groups, k=1.5, min_peers=4)
        assert result.fired.tolist() == [False] * 7 + [True]
        assert np.isnan(result.threshold[:3]).all() and result.group_size.tolist()[:4] == [
            3,
            3,
            3,
            5,
        ]

    def test_reps_without_attainment_are_neither_judged_nor_counted(self) -> None:
        attainment = np.array([1.0, 1.1, 0.9, 1.0, np.nan, 0.2])
        result = peer_gap(attainment, np.zeros(6, dtype=np.int64), k=1.5, min_peers=5)
        assert result.group_size[0] == 5 and not result.fired[4] and result.fired[5]

    def test_a_group_mostly_at_one_value_falls_back_to_the_mean_deviation(self) -> None:
        attainment = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.0])
        result = peer_gap(attainment, np.zeros(6, dtype=np.int64), k=2.0, min_peers=5)
        assert result.spread[0] == pytest.approx(1.2533 / 6)
        assert result.fired.tolist() == [False] * 5 + [True]

    @settings(max_examples=50, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(0, 40),
        k=st.floats(0.25, 3.0),
        min_peers=st.integers(3, 8),
    )
    def test_it_equals_a_group_by_group_recomputation(self, seed, n, k, min_peers):
        rng = np.random.default_rng(seed)
        attainment = np.round(rng.lognormal(0, 0.4, n), 2)
        attainment[rng.random(n) < 0.1] = np.nan
        groups = rng.integers(0, 4, n)
        result = peer_gap(attainment, groups, k=k, min_peers=min_peers)
        expected = _brute_force_peer_gap(attainment, groups, k=k, min_peers=min_peers)
        assert result.fired.tolist() == expected


class TestThresholdRules:
    def test_low_probability_fires_strictly_below_and_never_for_nan(self) -> None:
        result = low_probability(np.array([0.19, 0.2, np.nan]), below=0.2)
        assert result.fired.tolist() == [True, False, False]
        assert result.threshold.tolist() == [0.2] * 3

    def test_low_projection_fires_strictly_below(self) -> None:
        result = low_projection(np.array([0.79, 0.8, np.nan]), below=0.8)
        assert result.fired.tolist() == [True, False, False]

    def test_inactivity_fires_from_the_given_number_of_days(self) -> None:
        result = inactivity(np.array([20.0, 21.0, np.nan]), days=21)
        assert result.fired.tolist() == [False, True, False]


class TestEvaluateRule:
    def test_every_kind_has_a_default_rule_evaluated_by_its_own_function(self) -> None:
        assert [rule.kind for rule in DEFAULT_RULES] == list(RULES)
        state = make_state(
            pace_history=[[0.5, 0.5, 0.5], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]],
            attainment=[0.2, 1.0, 1.0, 1.0, 1.0, 1.0],
            probability=[0.9, 0.1, 0.9, 0.9, 0.9, 0.9],
            projected_attainment=[1.0, 1.0, 0.5, 1.0, 1.0, 1.0],
            days_inactive=[0, 0, 0, 30, 0, 0],
            peer_group=[0, 0, 0, 0, 0, 0],
            n=6,
        )
        fired = {rule.kind: evaluate_rule(rule, state).fired.tolist() for rule in DEFAULT_RULES}
        assert fired == {
            "behind_pace": [True, False, False, False, False, False],
            "peer_gap": [True, False, False, False, False, False],
            "low_probability": [False, True, False, False, False, False],
            "low_projection": [False, False, True, False, False, False],
            "inactivity": [False, False, False, True, False, False],
        }

    def test_the_parameters_of_the_rule_are_used(self) -> None:
        state = make_state(pace_history=[[0.95, 0.95]] * 4)
        assert not evaluate_rule(BehindPace(periods=2, threshold=0.9), state).fired.any()
        assert evaluate_rule(BehindPace(periods=2, threshold=1.0), state).fired.all()
        assert evaluate_rule(LowProbability(below=0.95), state).fired.all()
        assert evaluate_rule(LowProjection(below=1.01), state).fired.all()
        assert not evaluate_rule(Inactivity(days=1), make_state()).fired.any()

    @pytest.mark.parametrize(
        "build",
        [
            lambda: BehindPace(periods=0),
            lambda: PeerGap(k=0.0),
            lambda: PeerGap(min_peers=2),
            lambda: LowProbability(below=1.5),
            lambda: LowProjection(below=0.0),
            lambda: Inactivity(days=0),
        ],
    )
    def test_a_rule_that_could_never_be_judged_is_refused(self, build) -> None:
        with pytest.raises(ValueError):
            build()

    def test_a_state_whose_arrays_disagree_on_the_reps_is_refused(self) -> None:
        with pytest.raises(ValueError, match="one row per rep"):
            make_state(n=3, attainment=np.ones(2))
