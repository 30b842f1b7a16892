"""What-if scenarios (computed, never stored), plan comparison and rank assessment simulation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories import planning as repo
from backend.db.repositories import ranks as rank_repo
from backend.services.access import Principal, Scope
from backend.services.errors import Problems
from backend.services.planning.common import plan_for_change, sees_whole, visible_plan
from backend.services.planning.generation import Infeasible
from backend.services.planning.goals import GoalInput
from backend.services.planning.plans import check_settings
from backend.services.planning.stored import stored_inputs
from backend.services.planning.targets import RepInfo, visible_reps
from solver.planning import PlanInputs, PlanSettings, PlanSolution
from solver.planning import what_if as solve_what_if
from solver.types import InfeasibilityReport, Relaxation


@dataclass(frozen=True)
class RepDelta:
    rep_id: int
    name: str
    rank_code: str
    current: float
    scenario: float
    probability_current: float | None
    probability_scenario: float | None

    @property
    def delta(self) -> float:
        return self.scenario - self.current


@dataclass(frozen=True)
class RankDelta:
    rank_code: str
    reps: int
    current: float
    scenario: float
    mean_p_current: float | None
    mean_p_scenario: float | None


@dataclass(frozen=True)
class MetricComparison:
    metric_code: str
    goal_current: float
    goal_scenario: float
    common_probability: float | None
    reps: list[RepDelta]
    ranks: list[RankDelta]


@dataclass(frozen=True)
class WhatIfOutcome:
    metrics: list[MetricComparison]
    seconds: float
    relaxations: tuple[Relaxation, ...] = ()


Totals = dict[tuple[int, str], tuple[float, float | None]]


async def period_totals(session: AsyncSession, plan_id: int) -> Totals:
    """(rep, metric code) -> (period total, period P(achieve)) of the stored targets."""
    codes = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    out: Totals = {}
    for t in await repo.targets(session, plan_id):
        key = (t.rep_id, codes[t.metric_id])
        total, _ = out.get(key, (0.0, None))
        out[key] = (total + t.value, (t.explanation or {}).get("period_probability"))
    return out


def _mean(values: Sequence[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return float(np.mean(got)) if got else None


def _ranks(deltas: list[RepDelta]) -> list[RankDelta]:
    out = []
    for code in sorted({d.rank_code for d in deltas}):
        group = [d for d in deltas if d.rank_code == code]
        out.append(
            RankDelta(
                code,
                len(group),
                sum(d.current for d in group),
                sum(d.scenario for d in group),
                _mean([d.probability_current for d in group]),
                _mean([d.probability_scenario for d in group]),
            )
        )
    return out


async def _set_goals_and_locks(
    session: AsyncSession, plan_id: int, codes: dict[int | None, str], current: Totals
) -> tuple[dict[str, dict[int, float]], dict[str, dict[int, float]]]:
    goals: dict[str, dict[int, float]] = {}
    for g in await repo.goals(session, plan_id):
        if g.source == "set":
            goals.setdefault(codes[g.metric_id], {})[g.org_unit_id] = g.value
    locks: dict[str, dict[int, float]] = {}
    for t in await repo.targets(session, plan_id):
        if t.locked:
            code = codes[t.metric_id]
            locks.setdefault(code, {})[t.rep_id] = current[(t.rep_id, code)][0]
    return goals, locks


async def what_if(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    strategy: str | None = None,
    constraints: PlanSettings | None = None,
    goals: Sequence[GoalInput] | None = None,
    overrides: Sequence[tuple[int, str, float]] = (),
) -> WhatIfOutcome:
    """Solve the plan again with another strategy, constraints, goals or locked totals; what
    is not given keeps the plan's (a strategy alone keeps every constraint).

    Reuses the stored forecast distributions (no re-forecast) and writes nothing.
    """
    start = time.perf_counter()
    plan, unit = await plan_for_change(session, plan_id, principal, editable=False)
    stored = PlanSettings.from_plan(plan.strategy, plan.constraints)
    settings = stored.changed(strategy=strategy, constraints=constraints)
    problems = Problems()
    check_settings(settings, problems)
    problems.raise_if_any()
    codes = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    current = await period_totals(session, plan_id)
    goal_map, locks = await _set_goals_and_locks(session, plan_id, codes, current)
    inputs = await stored_inputs(session, plan, unit, stored, goals=goal_map, locks=locks)
    new_goals: dict[str, dict[int, float]] = {}
    for given in goals or ():
        new_goals.setdefault(given.metric_code, {})[given.org_unit_id or unit.id or 0] = given.value
    new_locks: dict[str, dict[int, float]] = {}
    for rep_id, code, value in overrides:
        new_locks.setdefault(code, {})[rep_id] = value
    solution = await asyncio.to_thread(
        solve_what_if,
        inputs,
        strategy=settings.strategy,
        constraints=settings,
        goals=new_goals,
        locks=new_locks,
    )
    if isinstance(solution, InfeasibilityReport):
        raise Infeasible(solution.conflicts)
    reps = await visible_reps(session, unit, Scope())
    stored_goals = {
        codes[g.metric_id]: g.value
        for g in await repo.goals(session, plan_id)
        if g.org_unit_id == unit.id
    }
    out = [
        _scenario_metric(
            principal,
            inputs,
            solution,
            code,
            reps,
            current,
            stored_goals.get(code, 0.0),
            new_goals.get(code, {}).get(unit.id or 0),
        )
        for code in solution.metrics
    ]
    return WhatIfOutcome(out, time.perf_counter() - start, solution.relaxations)


def _scenario_metric(
    principal: Principal,
    inputs: PlanInputs,
    solution: PlanSolution,
    code: str,
    reps: dict[int, RepInfo],
    current: Totals,
    stored_goal: float,
    new_goal: float | None,
) -> MetricComparison:
    sol = solution.metrics[code]
    deltas = []
    for i, rep in enumerate(inputs.reps):
        info = reps.get(rep.rep_id)
        if info is None or not principal.scope.covers_rep(rep.rep_id, info.team_path):
            continue
        now, p_now = current.get((rep.rep_id, code), (0.0, None))
        deltas.append(
            RepDelta(
                rep.rep_id,
                info.name,
                rep.rank_code,
                now,
                float(sol.total[i]),
                p_now,
                float(sol.period_p[i]),
            )
        )
    goal = stored_goal if new_goal is None else new_goal
    common = solution.probability.get(code)
    return MetricComparison(code, stored_goal, goal, common, deltas, _ranks(deltas))


async def compare_plans(
    session: AsyncSession, *, principal: Principal, plan_a: int, plan_b: int
) -> list[MetricComparison]:
    """Per-rep deltas (b - a) and per-rank summaries for every metric of two plans; a plan's
    goal only to whoever sees its whole scope (0 otherwise)."""
    scope = principal.scope
    a, unit_a = await visible_plan(session, plan_a, principal)
    b, unit_b = await visible_plan(session, plan_b, principal)
    reps = await visible_reps(session, unit_a, scope)
    reps |= await visible_reps(session, unit_b, scope)
    rank_codes = {r.id or 0: r.code for r in await rank_repo.all_ranks(session)}
    totals_a, totals_b = await period_totals(session, plan_a), await period_totals(session, plan_b)
    goals = {}
    codes = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    for plan, key, unit in ((a, "a", unit_a), (b, "b", unit_b)):
        if not sees_whole(principal, unit):
            continue
        for g in await repo.goals(session, plan.id or 0):
            if g.org_unit_id == plan.scope_org_id:
                goals[(codes[g.metric_id], key)] = g.value
    out = []
    metric_codes = sorted(
        {c for _, c in totals_a} | {c for _, c in totals_b}, key=lambda c: (c != "revenue", c)
    )
    for code in metric_codes:
        deltas = []
        for rep_id in sorted(reps):
            va, vb = totals_a.get((rep_id, code)), totals_b.get((rep_id, code))
            if va is None and vb is None:
                continue
            deltas.append(
                RepDelta(
                    rep_id,
                    reps[rep_id].name,
                    rank_codes.get(reps[rep_id].rank_id, ""),
                    va[0] if va else 0.0,
                    vb[0] if vb else 0.0,
                    va[1] if va else None,
                    vb[1] if vb else None,
                )
            )
        out.append(
            MetricComparison(
                code,
                goals.get((code, "a"), 0.0),
                goals.get((code, "b"), 0.0),
                None,
                deltas,
                _ranks(deltas),
            )
        )
    return out
