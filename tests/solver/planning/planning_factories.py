"""Keyword-only factories of small plan inputs for the planning core's tests."""

from __future__ import annotations

from datetime import date

import numpy as np

from solver.planning import (
    ForecastDistribution,
    MetricInputs,
    PlanInputs,
    PlanSettings,
    RankSettings,
    RepInput,
)
from solver.planning.months import add_months

LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
Z = np.array([-1.645, -0.674, 0.0, 0.674, 1.645])


def make_distribution(*, mean_month: float, spread: float, months: int) -> ForecastDistribution:
    """A log-normal-ish forecast: monthly quantiles around ``mean_month``; the period total's
    spread shrinks with the number of months."""
    monthly = np.tile(mean_month * np.exp(spread * Z), (months, 1))
    period = mean_month * months * np.exp(spread / np.sqrt(months) * Z)
    return ForecastDistribution.quantiles(LEVELS, period, monthly, mean_month * months)


def make_ranks() -> dict[str, RankSettings]:
    return {
        "S1": RankSettings(
            1,
            baseline={"revenue": 100.0, "deals": 2.0},
            floor={"revenue": 0.5, "deals": 0.5},
            ceiling={"revenue": 1.6, "deals": 1.6},
            ramp=(0.25, 0.5, 0.75),
        ),
        "S2": RankSettings(
            2,
            baseline={"revenue": 150.0, "deals": 3.0},
            floor={"revenue": 0.5, "deals": 0.5},
            ceiling={"revenue": 1.6, "deals": 1.6},
        ),
    }


def make_inputs(
    *,
    n_reps: int = 6,
    n_teams: int = 2,
    months: int = 12,
    seed: int = 0,
    goal_factor: float = 1.0,
    team_goals: bool = False,
    locks: int = 0,
    spreads: tuple[float, float] = (0.3, 0.3),
    settings: PlanSettings | None = None,
    reps: tuple[RepInput, ...] | None = None,
) -> PlanInputs:
    """A company 1 with teams 2..n_teams+1; revenue (float) and deals (integer)."""
    rng = np.random.default_rng(seed)
    start = date(2026, 1, 1)
    plan_months = tuple(add_months(start, k) for k in range(months))
    if reps is None:
        reps = tuple(
            RepInput(
                rep_id=i + 1,
                team_id=2 + i % n_teams,
                rank_code="S1" if i % 3 else "S2",
                rank_level=1 if i % 3 else 2,
                hire_date=date(2020, 1, 1),
                name=f"Rep {i + 1}",
            )
            for i in range(n_reps)
        )
    org = ((1, None), *((2 + t, 1) for t in range(n_teams)))
    metrics = []
    for code, scale, integer in (("revenue", 100.0, False), ("deals", 2.0, True)):
        means = scale * rng.uniform(0.6, 1.6, len(reps))
        dists = tuple(
            make_distribution(
                mean_month=float(m), spread=float(rng.uniform(*spreads)), months=months
            )
            for m in means
        )
        total = float(means.sum() * months * goal_factor)
        goal = float(round(total)) if integer else total
        goals = {1: goal}
        if team_goals:
            team = [r.team_id for r in reps]
            for t in range(n_teams):
                share = sum(m for m, k in zip(means, team, strict=True) if k == 2 + t)
                value = goal * share / means.sum()
                goals[2 + t] = float(round(value)) if integer else value
            goals[1] = sum(v for k, v in goals.items() if k != 1)
        # Locks stay below each rep's share of the goals, and every team keeps a free rep, so
        # the hard constraints are consistent (what the planning core promises to meet).
        team_of = [r.team_id for r in reps]
        lockable = [i for i in range(len(reps)) if team_of.count(team_of[i]) > 1]
        chosen: list[int] = []
        for i in lockable:
            if len(chosen) < locks and all(team_of[j] != team_of[i] for j in chosen):
                chosen.append(i)
        lock_map = {
            reps[i].rep_id: (np.floor if integer else float)(0.9 * goal_factor * means[i] * months)
            for i in chosen
        }
        metrics.append(
            MetricInputs(
                code=code,
                integer=integer,
                distributions=dists,
                last_actual=means * months * rng.uniform(0.8, 1.1, len(reps)),
                potential=rng.uniform(0, 100, len(reps)),
                goals=goals,
                locks=lock_map,
            )
        )
    return PlanInputs(
        reps=reps,
        org=org,
        months=plan_months,
        ranks=make_ranks(),
        metrics=tuple(metrics),
        settings=settings or PlanSettings(),
        names={1: "Company", **{2 + t: f"Team {t + 1}" for t in range(n_teams)}},
    )
