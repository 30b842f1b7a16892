"""Random companies, goals and locks for the planning core, and the robustness figures.

Each case draws a company (20-2,000 reps under regions and teams, a rank ladder with floors,
ceilings and ramps, joiners and leavers inside the period, lumpy and zero-heavy sellers),
lognormal forecasts per rep x month, a goal from 0.7x to 1.5x the bottom-up forecast at the
root (and sometimes at every region), and a few random locks; then plans it with the default
settings and with ``strict``. A failure is a refusal on a case whose hard constraints (goals,
locks) are consistent, which the elastic core must never give.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from solver.planning.distribution import ForecastDistribution
from solver.planning.inputs import MetricInputs, PlanInputs, PlanSettings, RankSettings, RepInput
from solver.planning.plan import plan_targets
from solver.planning.solution import PlanSolution
from solver.types import InfeasibilityReport

LEVELS = np.round(np.arange(0.05, 0.951, 0.05), 2)
Z = np.array([-1.645, -1.282, -1.036, -0.842, -0.674, -0.524, -0.385, -0.253, -0.126, 0.0,
              0.126, 0.253, 0.385, 0.524, 0.674, 0.842, 1.036, 1.282, 1.645])  # fmt: skip
MONTHS = tuple(date(2027, m, 1) for m in range(1, 13))
METRICS = (("revenue", False, 40_000.0), ("new_customers", True, 3.0))


@dataclass(frozen=True)
class CaseOutcome:
    reps: int
    consistent: bool
    refused: bool
    strict_refused: bool
    relaxation_share: float
    seconds: float
    goal_gap: float


def random_inputs(rng: np.random.Generator) -> PlanInputs:
    """One random company and plan (see the module docstring)."""
    n = int(np.exp(rng.uniform(np.log(20), np.log(2_000))))
    org, team_of = _org(rng, n)
    ranks = _ranks(rng)
    codes = sorted(ranks)
    reps = tuple(_rep(rng, i, int(team_of[i]), codes, ranks) for i in range(n))
    metrics = tuple(_metric(rng, code, integer, scale, reps) for code, integer, scale in METRICS)
    inputs = PlanInputs(reps=reps, org=org, months=MONTHS, ranks=ranks, metrics=metrics)
    return _with_goals_and_locks(rng, inputs)


def _org(rng: np.random.Generator, n: int) -> tuple[tuple[tuple[int, int | None], ...], np.ndarray]:
    regions = int(rng.integers(1, 5))
    teams = max(1, n // int(rng.integers(6, 16)))
    org: list[tuple[int, int | None]] = [(1, None)]
    org += [(10 + r, 1) for r in range(regions)]
    org += [(100 + t, 10 + int(rng.integers(regions))) for t in range(teams)]
    return tuple(org), 100 + rng.integers(teams, size=n)


def _ranks(rng: np.random.Generator) -> dict[str, RankSettings]:
    out = {}
    for level in range(1, int(rng.integers(3, 7)) + 1):
        base = 1.35**level
        out[f"S{level}"] = RankSettings(
            level=level,
            baseline={"revenue": 40_000.0 * base, "new_customers": 3.0 * base},
            floor={"revenue": rng.uniform(0.5, 0.8), "new_customers": rng.uniform(0.4, 0.8)},
            ceiling={"revenue": rng.uniform(1.2, 1.8), "new_customers": rng.uniform(1.3, 2.0)},
            ramp=tuple(np.linspace(0.25, 1.0, int(rng.integers(0, 7)), endpoint=False)),
        )
    return out


def _rep(
    rng: np.random.Generator, i: int, team: int, codes: list[str], ranks: dict[str, RankSettings]
) -> RepInput:
    code = codes[int(rng.integers(len(codes)))]
    hire = (
        date(2027, int(rng.integers(1, 13)), 1)
        if rng.random() < 0.05
        else date(int(rng.integers(2015, 2027)), int(rng.integers(1, 13)), 1)
    )
    leave = date(2027, int(rng.integers(2, 13)), 1) if rng.random() < 0.04 else None
    return RepInput(i + 1, team, code, ranks[code].level, hire, leave, float(rng.uniform(0.8, 1.2)))


def _metric(
    rng: np.random.Generator, code: str, integer: bool, scale: float, reps: tuple[RepInput, ...]
) -> MetricInputs:
    season = 1.0 + 0.25 * np.sin(np.arange(12) / 12 * 2 * np.pi + rng.uniform(0, 6.3))
    dists, last = [], []
    for rep in reps:
        level = scale * 1.3**rep.rank_level * rng.lognormal(0.0, 0.5)
        zero_heavy = rng.random() < 0.1  # a lumpy territory: most months sell nothing
        sigma = rng.uniform(0.2, 0.7) * (2.5 if zero_heavy else 1.0)
        median = level * season * rng.lognormal(0.0, 0.1, 12) * (0.3 if zero_heavy else 1.0)
        monthly = median[:, None] * np.exp(sigma * Z[None, :])
        if zero_heavy:
            monthly[:, : int(rng.integers(5, 12))] = 0.0
        period = median.sum() * np.exp(sigma / np.sqrt(6.0) * Z)
        dists.append(ForecastDistribution.quantiles(LEVELS, period, monthly))
        known = rep.hire_date <= date(2026, 1, 1) and rng.random() > 0.05
        last.append(median.sum() * rng.lognormal(-0.1, 0.3) if known else np.nan)
    return MetricInputs(
        code=code,
        integer=integer,
        distributions=tuple(dists),
        last_actual=np.asarray(last),
        potential=rng.uniform(0, 100, len(reps)),
    )


def _with_goals_and_locks(rng: np.random.Generator, inputs: PlanInputs) -> PlanInputs:
    """A root goal 0.7-1.5x the bottom-up forecast; a third of the cases split it over the
    regions too; a third lock one to three reps at 0.5-2x their forecast, and one case in
    twenty locks a rep above the whole goal (hard constraints in conflict)."""
    regions = [o for o, parent in inputs.org if parent == 1]
    metrics = []
    lock_reps = rng.choice(len(inputs.reps), size=int(rng.integers(1, 4)), replace=False)
    locking = rng.random() < 0.33
    split = rng.random() < 0.33
    too_big = rng.random() < 0.05
    weights = rng.dirichlet(np.ones(len(regions)))
    for m in inputs.metrics:
        bottom_up = float(sum(d.mean for d in m.distributions))
        goal = bottom_up * rng.uniform(0.7, 1.5)
        goal = float(round(goal)) if m.integer else goal
        goals = {1: goal}
        if split:
            parts = goal * weights
            parts = _integer_parts(goal, parts) if m.integer else parts
            goals |= {r: float(v) for r, v in zip(regions, parts, strict=True)}
        locks = {}
        if locking:
            for i in lock_reps.tolist():
                value = m.distributions[i].mean * rng.uniform(0.5, 2.0)
                locks[inputs.reps[i].rep_id] = float(round(value)) if m.integer else float(value)
        if too_big:
            locks[inputs.reps[int(lock_reps[0])].rep_id] = float(np.ceil(1.2 * goal))
        metrics.append(replace(m, goals=goals, locks=locks))
    return replace(inputs, metrics=tuple(metrics))


def _integer_parts(total: float, parts: np.ndarray) -> np.ndarray:
    base = np.floor(parts)
    order = np.argsort(-(parts - base))
    base[order[: round(total - base.sum())]] += 1
    out: np.ndarray = base
    return out


def hard_consistent(inputs: PlanInputs) -> bool:
    """Goals and locks can hold together: every node's locked reps (and child goals) leave a
    non-negative remainder for its other reps, and a node whose reps are all locked is met
    by them exactly. Checked here by hand, apart from the solver's own test."""
    children: dict[int, list[int]] = {}
    for node, parent in inputs.org:
        if parent is not None:
            children.setdefault(parent, []).append(node)
    for m in inputs.metrics:
        for node, goal in m.goals.items():
            below = _subtree(node, children)
            kids = [c for c in m.goals if c != node and c in below and _nearest(c, m.goals, inputs)]
            free = [r for r in inputs.reps if _owner(r.team_id, m.goals, inputs) == node]
            locked = sum(m.locks.get(r.rep_id, 0.0) for r in free)
            left = goal - sum(m.goals[k] for k in kids if _nearest(k, m.goals, inputs) == node)
            if left < locked - 1e-6 * max(1.0, abs(goal)):
                return False
            all_locked = all(r.rep_id in m.locks for r in free)  # also true without reps
            if all_locked and abs(left - locked) > 1e-6 * max(1.0, abs(goal)):
                return False
    return True


def _subtree(node: int, children: dict[int, list[int]]) -> set[int]:
    out, todo = set(), [node]
    while todo:
        current = todo.pop()
        out.add(current)
        todo += children.get(current, [])
    return out


def _parent(node: int, inputs: PlanInputs) -> int | None:
    return dict(inputs.org).get(node)


def _nearest(node: int, goals: dict[int, float] | object, inputs: PlanInputs) -> int | None:
    """The nearest goal node strictly above ``node``."""
    up = _parent(node, inputs)
    while up is not None and up not in goals:  # type: ignore[operator]
        up = _parent(up, inputs)
    return up


def _owner(team: int, goals: object, inputs: PlanInputs) -> int | None:
    """The nearest goal node at or above ``team``."""
    return team if team in goals else _nearest(team, goals, inputs)  # type: ignore[operator]


def run_case(rng: np.random.Generator) -> CaseOutcome:
    inputs = random_inputs(rng)
    start = time.perf_counter()
    solution = plan_targets(inputs)
    seconds = time.perf_counter() - start
    strict = plan_targets(replace(inputs, settings=PlanSettings(strict=True)))
    refused = isinstance(solution, InfeasibilityReport)
    return CaseOutcome(
        reps=len(inputs.reps),
        consistent=hard_consistent(inputs),
        refused=refused,
        strict_refused=isinstance(strict, InfeasibilityReport),
        relaxation_share=0.0 if refused else _relaxation_share(inputs, solution),  # type: ignore[arg-type]
        seconds=seconds,
        goal_gap=0.0 if refused else _goal_gap(inputs, solution),  # type: ignore[arg-type]
    )


def _relaxation_share(inputs: PlanInputs, solution: PlanSolution) -> float:
    """The largest share of a metric's root goal that one soft family had to give at the
    goal nodes (placed beyond the sum of that family's bounds)."""
    worst = 0.0
    for m in inputs.metrics:
        for family in {x.family for x in solution.relaxations}:
            placed = sum(
                x.amount
                for x in solution.relaxations
                if (x.metric, x.family, x.scope) == (m.code, family, "node")
            )
            worst = max(worst, placed / max(abs(m.goals[1]), 1e-9))
    return worst


def _goal_gap(inputs: PlanInputs, solution: PlanSolution) -> float:
    """The largest relative miss of the root goal (0 when met)."""
    return max(
        abs(float(solution.metrics[m.code].total.sum()) - m.goals[1]) / max(1.0, m.goals[1])
        for m in inputs.metrics
    )


def robustness(cases: int = 200, seed: int = 0) -> dict[str, float | int]:
    """The robustness figures over ``cases`` random companies."""
    rng = np.random.default_rng(seed)
    outcomes = [run_case(rng) for _ in range(cases)]
    seconds = np.array([o.seconds for o in outcomes])
    return {
        "cases": cases,
        "consistent_cases": sum(o.consistent for o in outcomes),
        "failures": sum(o.refused and o.consistent for o in outcomes),
        "refused_inconsistent": sum(o.refused and not o.consistent for o in outcomes),
        "strict_failures": sum(o.strict_refused for o in outcomes),
        "max_relaxation_share": round(max(o.relaxation_share for o in outcomes), 4),
        "max_goal_gap": max(o.goal_gap for o in outcomes),
        "seconds_p50": round(float(np.median(seconds)), 3),
        "seconds_max": round(float(seconds.max()), 3),
        "reps_min": min(o.reps for o in outcomes),
        "reps_max": max(o.reps for o in outcomes),
    }
