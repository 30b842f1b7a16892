"""The planning core: ``plan_targets``, ``what_if`` and ``rebalance`` over typed inputs.

Ideals come from the strategy, then one decomposition meets every goal exactly, holds the
locks, whole counts and non-negativity, and lets soft constraints give (unless ``strict``).

>>> # plan_targets(PlanInputs(reps, org, months, ranks, metrics, PlanSettings()))
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from solver.decompose import decompose
from solver.planning.arrays import MetricArrays, metric_arrays
from solver.planning.inputs import PlanInputs, PlanSettings
from solver.planning.problem import (
    cell_bounds,
    decomposition_problem,
    ideal_values,
    root_goal,
    strategy_bounds,
)
from solver.planning.solution import PlanSolution, metric_solution, relaxation_context
from solver.strategies import proportional
from solver.types import Allocation, InfeasibilityReport

Changes = Mapping[str, Mapping[int, float]]  # metric code -> node or rep id -> value


def _solve(
    inputs: PlanInputs,
    arrays: list[MetricArrays],
    cells: list[pd.DataFrame],
    probability: dict[str, float | None],
    start: float,
    time_limit_s: float,
) -> PlanSolution | InfeasibilityReport:
    problem = decomposition_problem(inputs, arrays, cells, time_limit_s=time_limit_s)
    result = decompose(problem)
    if isinstance(result, InfeasibilityReport):
        return result
    metrics = {a.code: metric_solution(inputs, a, result) for a in arrays}
    # The plan's P is read off the same distributions as each rep's, at the final targets
    # (after bounds, relaxations and rounding): the mean of the reps' P(achieve), which is the
    # strategy's common level when no bound binds. A strategy without one keeps None.
    probability = {
        code: None
        if p is None or not len(metrics[code].period_p)
        else float(np.mean(metrics[code].period_p))
        for code, p in probability.items()
    }
    return PlanSolution(
        rep_ids=tuple(int(r) for r in inputs.rep_ids),
        metrics=metrics,
        probability=probability,
        relaxations=result.relaxations,
        context=relaxation_context(inputs, arrays),
        seconds=time.perf_counter() - start,
    )


def plan_targets(inputs: PlanInputs) -> PlanSolution | InfeasibilityReport:
    """Targets per rep x month x additive metric meeting every goal of the scope's tree."""
    start = time.perf_counter()
    arrays = [metric_arrays(inputs, m) for m in inputs.metrics]
    cells, probability = [], {}
    for a in arrays:
        bounds = cell_bounds(a, inputs.rep_ids, inputs.settings)
        ideal, probability[a.code] = ideal_values(a, inputs, bounds, root_goal(a, inputs))
        cells.append(bounds.assign(ideal=ideal, weight=1.0))
    return _solve(inputs, arrays, cells, probability, start, 20.0)


def what_if(
    inputs: PlanInputs,
    *,
    strategy: str | None = None,
    constraints: PlanSettings | None = None,
    goals: Changes | None = None,
    locks: Changes | None = None,
) -> PlanSolution | InfeasibilityReport:
    """The plan again with another strategy, constraints, goals or locked totals; what is not
    given keeps the plan's (a strategy alone keeps every constraint)."""
    settings = inputs.settings.changed(strategy=strategy, constraints=constraints)
    metrics = tuple(
        m.with_changes(goals=(goals or {}).get(m.code), locks=(locks or {}).get(m.code))
        for m in inputs.metrics
    )
    return plan_targets(replace(inputs, settings=settings, metrics=metrics))


def rebalance(
    inputs: PlanInputs, *, node_id: int, current: Mapping[int, float]
) -> PlanSolution | InfeasibilityReport:
    """A node's reps after locks changed: the free reps absorb the difference to the node's
    goal in proportion to their ``current`` period totals (within their bounds), then one
    decomposition of the node alone (every metric of ``inputs``, each with a goal for
    ``node_id``; other goals are ignored)."""
    start = time.perf_counter()
    inputs = replace(
        inputs,
        reps=tuple(replace(r, team_id=node_id, rank_level=1) for r in inputs.reps),
        org=((node_id, None),),
        metrics=tuple(replace(m, goals={node_id: m.goals[node_id]}) for m in inputs.metrics),
        settings=replace(inputs.settings, monotonicity="none"),
    )
    rep_ids = inputs.rep_ids
    now = np.asarray([current.get(int(r), 0.0) for r in rep_ids], dtype=np.float64)
    arrays = [metric_arrays(inputs, m) for m in inputs.metrics]
    cells = []
    for a in arrays:
        bounds = cell_bounds(a, rep_ids, inputs.settings)
        locked = bounds["lock"].to_numpy()
        free = np.isnan(locked)
        ideal = np.where(free, now, locked)
        remaining = a.metric.goals.get(node_id, 0.0) - float(np.nansum(locked))
        if free.any() and remaining >= 0:
            limits = strategy_bounds(bounds[free].reset_index(drop=True), rep_ids[free])
            alloc = proportional(rep_ids[free], now[free], remaining, limits)
            if isinstance(alloc, Allocation):
                ideal[free] = alloc.values
        cells.append(bounds.assign(ideal=ideal, weight=1.0))
    return _solve(inputs, arrays, cells, {a.code: None for a in arrays}, start, 5.0)
