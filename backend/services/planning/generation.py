"""Generate a plan's targets: load, forecast, call the planning core, store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.errors import DomainError, ErrorCode, FieldProblem, stale
from backend.services.planning import progress as progress_events
from backend.services.planning.common import claim_version, plan_for_change
from backend.services.planning.goals import with_suggested_probabilities
from backend.services.planning.loading import Loaded, last_year_totals, load_scope
from backend.services.planning.outcome import record_bottom_up, record_relaxations
from backend.services.planning.store import store_solution
from solver.planning import MetricInputs, PlanInputs, PlanSettings, PlanSolution, plan_targets
from solver.planning.activity import ramp_matrix
from solver.planning.forecasting import forecast_metric
from solver.scoring import potential_scores
from solver.types import Conflict, InfeasibilityReport, Relaxation

Progress = Callable[[str, float], None]
Goals = dict[str, dict[int, float]]  # metric code -> org unit (or rep) id -> value


class Infeasible(DomainError):
    """Generation refused: the hard constraints conflict (or, in strict mode, any);
    ``conflicts`` say which and by how much."""

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        super().__init__(
            [FieldProblem(ErrorCode.INVALID, c.message, "goals") for c in conflicts[:20]]
        )
        self.conflicts = conflicts


@dataclass(frozen=True)
class GenerationOutcome:
    plan: Plan
    seconds: float
    forecast_method: str
    targets: int
    probability: dict[str, float | None]
    relaxations: tuple[Relaxation, ...] = ()


def additive_codes(loaded: Loaded) -> list[str]:
    return sorted(
        (m.code for m in loaded.metrics.values() if m.kind == "additive"),
        key=lambda c: (c != "revenue", c),
    )


def plan_inputs(
    loaded: Loaded, settings: PlanSettings, goals: Goals, locks: Goals, report: Progress
) -> tuple[PlanInputs, str]:
    """Forecast every additive metric (CPU-bound) and assemble the planning core's inputs."""
    reps = loaded.rep_inputs()
    months = [pd.Timestamp(m) for m in loaded.months]
    ramp = ramp_matrix(reps, loaded.ranks, loaded.months)
    rank_levels = {code: r.level for code, r in loaded.ranks.items()}
    rep_ids = loaded.reps["rep_id"].to_numpy(np.int64)
    metrics, methods = [], []
    codes = additive_codes(loaded)
    for k, code in enumerate(codes):
        report(f"forecasting {code}", 0.1 + 0.5 * k / max(len(codes), 1))
        forecast = forecast_metric(
            loaded.history, loaded.reps, months, code, rank_levels=rank_levels, ramp=ramp
        )
        potential = potential_scores(loaded.history, loaded.reps, code)["potential"]
        metrics.append(
            MetricInputs(
                code=code,
                integer=loaded.metrics[code].is_integer,
                distributions=forecast.distributions(),
                last_actual=last_year_totals(loaded.history, rep_ids, loaded.months, code),
                potential=potential.to_numpy(np.float64),
                goals=goals.get(code, {}),
                locks=locks.get(code, {}),
            )
        )
        methods.append(f"{code}: {forecast.method}")
    ids = {u.id for u in loaded.units}
    root = loaded.units[0].id
    org = tuple(
        (u.id or 0, None if u.id == root or u.parent_id not in ids else u.parent_id)
        for u in loaded.units
    )
    inputs = PlanInputs(
        reps, org, tuple(loaded.months), loaded.ranks, tuple(metrics), settings, loaded.names
    )
    return inputs, "; ".join(methods)


def compute(
    loaded: Loaded, settings: PlanSettings, goals: Goals, locks: Goals, report: Progress
) -> tuple[PlanSolution | InfeasibilityReport, str]:
    """The CPU-bound part (runs in a worker thread): forecasts, then the planning core."""
    inputs, method = plan_inputs(loaded, settings, goals, locks, report)
    report("decomposing", 0.65)
    return plan_targets(inputs), method


async def generate_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    expected_version: int | None = None,
    progress: Progress | None = None,
) -> GenerationOutcome:
    """Forecast, allocate and decompose; store targets, distributions, derived goals, the
    relaxations and the bottom-up forecast.

    Raises ``Infeasible`` with the conflicts when the hard constraints conflict (or, in
    strict mode, any constraint); nothing is stored then.
    """
    start = time.perf_counter()
    plan, unit = await plan_for_change(session, plan_id, principal)
    if expected_version is not None and plan.version != expected_version:
        raise stale("Plan", plan.version)
    report = _reporter(plan_id, progress)
    report("loading", 0.02)
    loaded = await load_scope(session, plan, unit)
    if loaded.reps.empty:
        raise DomainError.single(ErrorCode.INVALID, "the scope has no active reps", "planId")
    goals, locks = await _goals_and_locks(session, plan, loaded)
    settings = PlanSettings.from_plan(plan.strategy, plan.constraints)
    solution, method = await asyncio.to_thread(compute, loaded, settings, goals, locks, report)
    if isinstance(solution, InfeasibilityReport):
        report("infeasible", 1.0)
        raise Infeasible(solution.conflicts)
    report("storing", 0.85)
    before = {"version": plan.version, "generated_at": str(plan.generated_at)}
    await claim_version(session, plan, expected=expected_version)
    count = await store_solution(session, plan, loaded, solution, method)
    await record_relaxations(
        session, plan_id=plan_id, relaxations=solution.relaxations, context=solution.context
    )
    await record_bottom_up(session, plan_id=plan_id, totals=solution.bottom_up)
    plan.generated_at = pd.Timestamp.now(tz="UTC").to_pydatetime()
    plan.forecast_method = method[:200]
    plan.constraints = with_suggested_probabilities(plan.constraints, solution)
    session.add(plan)
    await session.flush()
    seconds = time.perf_counter() - start
    await audit.record(
        session,
        actor=principal.username,
        action="generate",
        entity="plan",
        entity_id=plan.id,
        before=before,
        after={
            "version": plan.version,
            "targets": count,
            "forecast": method,
            "strategy": plan.strategy,
            "relaxations": len(solution.relaxations),
            "seconds": round(seconds, 3),
        },
        org_path=unit.path,
    )
    report("done", 1.0)
    probability = dict(solution.probability)
    return GenerationOutcome(plan, seconds, method, count, probability, solution.relaxations)


def _reporter(plan_id: int, progress: Progress | None) -> Progress:
    loop = asyncio.get_running_loop()

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)
        loop.call_soon_threadsafe(progress_events.publish, plan_id, stage, fraction)

    return report


async def _goals_and_locks(
    session: AsyncSession, plan: Plan, loaded: Loaded
) -> tuple[Goals, Goals]:
    codes = {m.id: m.code for m in loaded.metrics.values()}
    goals: Goals = {}
    for goal in await repo.goals(session, plan.id or 0):
        if goal.source == "set":
            goals.setdefault(codes[goal.metric_id], {})[goal.org_unit_id] = goal.value
    locks: Goals = {}
    active = set(loaded.reps["rep_id"].tolist())
    for t in await repo.targets(session, plan.id or 0):
        if t.locked and t.rep_id in active:
            by_rep = locks.setdefault(codes[t.metric_id], {})
            by_rep[t.rep_id] = by_rep.get(t.rep_id, 0.0) + t.value
    return goals, locks
