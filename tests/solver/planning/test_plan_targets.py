"""The planning core over random small companies: hard constraints always hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning_factories import make_inputs

from solver.planning import (
    ForecastDistribution,
    PlanInputs,
    PlanSettings,
    PlanSolution,
    plan_targets,
    rebalance,
    what_if,
)
from solver.planning.activity import ramp_matrix
from solver.planning.arrays import metric_arrays
from solver.planning.assessment import RepTargets, rank_outlook
from solver.types import InfeasibilityReport


def _solved(inputs: PlanInputs) -> PlanSolution:
    solution = plan_targets(inputs)
    assert isinstance(solution, PlanSolution), solution
    return solution


def _node_total(inputs: PlanInputs, solution: PlanSolution, code: str, node: int) -> float:
    total = solution.metrics[code].total
    if node == inputs.root:
        return float(total.sum())
    return float(sum(t for t, r in zip(total, inputs.reps, strict=True) if r.team_id == node))


companies = st.fixed_dictionaries(
    {
        "n_reps": st.integers(2, 12),
        "n_teams": st.integers(1, 3),
        "months": st.sampled_from([3, 6, 12]),
        "seed": st.integers(0, 10_000),
        "goal_factor": st.floats(0.7, 1.5),
        "team_goals": st.booleans(),
        "locks": st.integers(0, 2),
    }
)


class TestPlanTargets:
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(companies)
    def test_meets_goals_holds_locks_and_keeps_counts_whole_and_non_negative(
        self, company: dict[str, object]
    ) -> None:
        inputs = make_inputs(**company)  # type: ignore[arg-type]
        solution = _solved(inputs)
        for metric in inputs.metrics:
            sol = solution.metrics[metric.code]
            for node, goal in metric.goals.items():
                got = _node_total(inputs, solution, metric.code, node)
                assert abs(got - goal) <= 1e-6 * max(1.0, abs(goal)), (node, got, goal)
            for i, rep in enumerate(inputs.reps):
                if rep.rep_id in metric.locks:
                    assert abs(sol.total[i] - metric.locks[rep.rep_id]) < 1e-6
            assert np.all(sol.monthly >= -1e-9)
            assert np.allclose(sol.monthly.sum(axis=1), sol.total, atol=1e-6)
            if metric.integer:
                assert np.allclose(sol.monthly, np.round(sol.monthly), atol=1e-9)
            assert np.all((sol.period_p >= 0) & (sol.period_p <= 1))

    def test_a_goal_above_every_ceiling_is_met_and_names_what_gave(self) -> None:
        inputs = make_inputs(goal_factor=3.0)
        solution = _solved(inputs)
        assert solution.relaxations
        assert (
            abs(solution.metrics["revenue"].total.sum() - inputs.metric("revenue").goals[1]) < 1e-6
        )
        assert set(solution.context.rep_names) == {r.rep_id for r in inputs.reps}

    def test_strict_mode_refuses_the_same_goal(self) -> None:
        inputs = make_inputs(goal_factor=3.0, settings=PlanSettings(strict=True))
        assert isinstance(plan_targets(inputs), InfeasibilityReport)

    def test_locks_above_the_goal_are_refused_in_any_mode(self) -> None:
        inputs = make_inputs(goal_factor=0.7, locks=1)
        revenue = inputs.metric("revenue")
        locks = {inputs.reps[0].rep_id: revenue.goals[1] * 2}
        inputs = replace(inputs, metrics=(revenue.with_changes(locks=locks),))
        assert isinstance(plan_targets(inputs), InfeasibilityReport)

    def test_bottom_up_is_the_sum_of_forecast_means(self) -> None:
        inputs = make_inputs()
        solution = _solved(inputs)
        means = sum(d.mean for d in inputs.metric("revenue").distributions)
        assert abs(solution.bottom_up["revenue"] - means) < 1e-6


class TestLeaversAndJoiners:
    def _inputs(self) -> PlanInputs:
        base = make_inputs(n_reps=4, n_teams=1)
        reps = list(base.reps)
        reps[0] = replace(reps[0], leave_date=date(2026, 6, 20))
        reps[1] = replace(reps[1], rank_code="S1", rank_level=1, hire_date=date(2026, 4, 2))
        return replace(base, reps=tuple(reps))

    def test_a_leaver_gets_targets_only_up_to_leaving_and_is_flagged(self) -> None:
        inputs = self._inputs()
        solution = _solved(inputs)
        for sol in solution.metrics.values():
            assert np.all(sol.monthly[0, 6:] == 0) and sol.monthly[0, :6].sum() > 0
            assert "leaves_in_period" in sol.flags[0]
            assert np.all(sol.distributions[0].monthly[6:] == 0)

    def test_a_joiner_gets_nothing_before_hire_then_a_ramped_pro_rated_target(self) -> None:
        inputs = self._inputs()
        # The forecasters ramp a new hire's months (and may forecast months before hire).
        ramp = ramp_matrix(inputs.reps, inputs.ranks, inputs.months)[1]
        rev = inputs.metric("revenue")
        d = rev.distributions[1]
        ramped = ForecastDistribution.quantiles(
            d.levels, d.period * ramp.sum() / 12, d.monthly * np.maximum(ramp, 0.1)[:, None]
        )
        dists = (*rev.distributions[:1], ramped, *rev.distributions[2:])
        inputs = replace(inputs, metrics=(replace(rev, distributions=dists),))
        arrays = metric_arrays(inputs, inputs.metrics[0])
        rank = inputs.ranks["S1"]
        assert abs(arrays.baseline[1] - rank.baseline["revenue"] * (0.25 + 0.5 + 0.75 + 6)) < 1e-9
        sol = _solved(inputs).metrics["revenue"]
        assert np.all(sol.monthly[1, :3] == 0) and sol.monthly[1, 3:].sum() > 0
        assert "joins_in_period" in sol.flags[1]
        assert sol.monthly[1, 3] < sol.monthly[1, 4] < sol.monthly[1, 5] < sol.monthly[1, 8]

    def test_a_leavers_period_total_is_smaller_than_a_stayers_with_the_same_forecast(
        self,
    ) -> None:
        base = make_inputs(n_reps=2, n_teams=1, spreads=(0.3, 0.3), seed=1)
        rev = base.metric("revenue")
        same = (rev.distributions[0], rev.distributions[0])
        metric = replace(rev, distributions=same, last_actual=np.full(2, np.nan))
        reps = (replace(base.reps[0], leave_date=date(2026, 3, 31)), base.reps[1])
        inputs = replace(base, reps=reps, metrics=(metric,))
        total = _solved(inputs).metrics["revenue"].total
        assert total[0] < total[1] / 2


class TestWhatIf:
    def _company(self) -> PlanInputs:
        # Forecast means and spreads differ rep by rep: equal difficulty (same quantile) and
        # by ability (in proportion to the mean) split the goal differently.
        loose = PlanSettings(p_min=0.01, p_max=0.99, max_rise=None, rank_bounds=False)
        return make_inputs(
            n_reps=8, n_teams=2, spreads=(0.05, 0.8), seed=3, goal_factor=1.1, settings=loose
        )

    def test_by_ability_differs_from_equal_difficulty_when_spreads_differ(self) -> None:
        inputs = self._company()
        original = _solved(inputs).metrics["revenue"].total
        scenario = what_if(inputs, strategy="by_ability")
        assert isinstance(scenario, PlanSolution)
        other = scenario.metrics["revenue"].total
        assert abs(other.sum() - original.sum()) < 1e-6
        assert np.max(np.abs(other - original)) > 0.01 * original.mean()

    def test_a_strategy_alone_keeps_the_constraints(self, monkeypatch: pytest.MonkeyPatch) -> None:
        plan = PlanSettings(p_min=0.3, p_max=0.9, max_rise=0.2, rank_bounds=False, strict=True)
        inputs = replace(self._company(), settings=plan)
        seen: list[PlanSettings] = []
        import solver.planning.plan as core

        real = core.plan_targets
        monkeypatch.setattr(
            core,
            "plan_targets",
            lambda i: seen.append(i.settings) or real(i),  # type: ignore[func-returns-value]
        )
        what_if(inputs, strategy="by_ability")
        assert seen == [replace(plan, strategy="by_ability")]


class TestRebalance:
    def test_the_free_reps_absorb_a_lock_and_the_node_goal_still_holds(self) -> None:
        inputs = make_inputs(n_reps=5, n_teams=1)
        solution = _solved(inputs)
        rev = solution.metrics["revenue"]
        current = {r.rep_id: float(t) for r, t in zip(inputs.reps, rev.total, strict=True)}
        first = inputs.reps[0].rep_id
        metric = inputs.metric("revenue").with_changes(
            goals={2: float(rev.total.sum())}, locks={first: current[first] * 1.1}
        )
        node = replace(inputs, metrics=(metric,))
        again = rebalance(node, node_id=2, current=current)
        assert isinstance(again, PlanSolution)
        total = again.metrics["revenue"].total
        assert abs(total.sum() - rev.total.sum()) < 1e-6
        assert abs(total[0] - current[first] * 1.1) < 1e-6
        assert np.all(total[1:] <= rev.total[1:] + 1e-6)


class TestRankOutlook:
    def test_a_rep_far_above_target_is_likely_promoted_and_moves_add_up(self) -> None:
        inputs = make_inputs(n_reps=6, n_teams=1)
        ranks = {
            **inputs.ranks,
            "S1": replace(inputs.ranks["S1"], weight={"revenue": 1.0}, min_tenure_months=0),
            "S2": replace(inputs.ranks["S2"], weight={"revenue": 1.0}),
        }
        rev = inputs.metric("revenue")
        reps = [
            RepTargets(
                r.rep_id, r.rank_code, 60, (("revenue", d.mean * (0.5 if i == 1 else 1.0), d),)
            )
            for i, (r, d) in enumerate(zip(inputs.reps, rev.distributions, strict=True))
        ]
        rows = {o.rank_code: o for o in rank_outlook(reps, ranks, seed=1)}
        assert rows["S1"].promotions >= 0.9  # rep 2 (S1) has half its forecast as target
        assert rows["S2"].promotions == 0  # no rank above the top one
        for o in rows.values():
            assert abs(o.promotions + o.retentions + o.demotions - o.reps) < 1e-9
