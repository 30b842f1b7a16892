"""What-if scenarios (computed, never stored), plan comparison and rank assessment simulation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.db.repositories import ranks as rank_repo
from backend.services.access import Principal, Scope
from backend.services.errors import Problems
from backend.services.planning.common import period_months, plan_for_change, visible_plan
from backend.services.planning.compute import Inputs, MetricSetup, PlanSettings, solve
from backend.services.planning.generation import Infeasible
from backend.services.planning.loading import rank_settings
from backend.services.planning.plans import GoalInput, check_settings
from backend.services.planning.targets import RepInfo, visible_reps
from solver.probability import quantile_at
from solver.types import InfeasibilityReport, QuantileTable


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


async def _inputs_from_store(
    session: AsyncSession,
    plan: Plan,
    settings: PlanSettings,
    goals: dict[str, dict[int, float]],
    locks: dict[str, dict[int, float]],
) -> tuple[Inputs, dict[int, RepInfo], dict[int, str]]:
    """Rebuild the solver inputs from the stored distributions: no forecast, no history."""
    _, unit = await visible_plan(session, plan.id or 0, Scope())
    reps = await visible_reps(session, unit, Scope())
    metrics = await repo.metrics_by_code(session)
    ranks = await rank_settings(session, plan.period_start)
    rank_codes = {r.id or 0: r.code for r in await rank_repo.all_ranks(session)}
    dists = await repo.distributions(session, plan.id or 0)
    by_metric: dict[int, dict[int, TargetDistribution]] = {}
    for d in dists:
        by_metric.setdefault(d.metric_id, {})[d.rep_id] = d
    additive = [m for m in metrics.values() if m.kind == "additive" and m.id in by_metric]
    additive.sort(key=lambda m: (m.code != "revenue", m.code))
    ids = sorted(set.intersection(*(set(by_metric[m.id or 0]) for m in additive)) & set(reps))
    frame = pd.DataFrame(
        {
            "rep_id": ids,
            "team_id": [reps[i].team_id for i in ids],
            "rank_code": [rank_codes.get(reps[i].rank_id, "") for i in ids],
            "rank_level": [ranks[rank_codes[reps[i].rank_id]].level for i in ids],
        }
    )
    setups = []
    for metric in additive:
        rows = [by_metric[metric.id or 0][i] for i in ids]
        b = [r.bounds for r in rows]

        def col(key: str, b: list[dict[str, object]] = b) -> np.ndarray:
            return np.array([np.nan if x.get(key) is None else x[key] for x in b], dtype=np.float64)

        setups.append(
            MetricSetup(
                code=metric.code,
                integer=metric.is_integer,
                goals=goals.get(metric.code, {}),
                levels=np.asarray(rows[0].levels),
                period=np.asarray([r.period for r in rows]),
                monthly=np.asarray([r.monthly for r in rows]),
                mean=col("mean"),
                floor=col("floor"),
                ceiling=col("ceiling"),
                baseline=col("baseline"),
                last_actual=col("last_actual"),
                share=np.asarray([x["share"] for x in b]),
                potential=col("potential"),
                locks=locks.get(metric.code, {}),
            )
        )
    frame["coefficient"] = col("coefficient") if additive else 1.0
    units = await org_repo.subtree(session, unit.path)
    ids_set = {u.id for u in units}
    org = pd.DataFrame(
        {
            "org_id": [u.id for u in units],
            "parent_id": [
                u.parent_id if u.parent_id in ids_set and u.id != unit.id else np.nan for u in units
            ],
        }
    )
    months = tuple(pd.Timestamp(m) for m in period_months(plan))
    return Inputs(frame, org, months, tuple(setups), settings), reps, rank_codes


async def what_if(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    settings: PlanSettings | None = None,
    goals: Sequence[GoalInput] | None = None,
    overrides: Sequence[tuple[int, str, float]] = (),
) -> WhatIfOutcome:
    """Solve the plan again with other goals, strategy, constraints or locked totals.

    Reuses the stored forecast distributions (no re-forecast) and writes nothing.
    """
    start = time.perf_counter()
    plan, unit = await plan_for_change(session, plan_id, principal, editable=False)
    settings = settings or PlanSettings.from_plan(plan.strategy, plan.constraints)
    problems = Problems()
    check_settings(settings, problems)
    problems.raise_if_any()
    metrics = await repo.metrics_by_code(session)
    codes = {m.id: m.code for m in metrics.values()}
    goal_map: dict[str, dict[int, float]] = {}
    for g in await repo.goals(session, plan_id):
        if g.source == "set":
            goal_map.setdefault(codes[g.metric_id], {})[g.org_unit_id] = g.value
    for given in goals or ():
        goal_map.setdefault(given.metric_code, {})[given.org_unit_id or unit.id or 0] = given.value
    current = await period_totals(session, plan_id)
    locks: dict[str, dict[int, float]] = {}
    for t in await repo.targets(session, plan_id):
        if t.locked:
            locks.setdefault(codes[t.metric_id], {})[t.rep_id] = current[
                (t.rep_id, codes[t.metric_id])
            ][0]
    for rep_id, code, value in overrides:
        locks.setdefault(code, {})[rep_id] = value
    inputs, reps, rank_codes = await _inputs_from_store(session, plan, settings, goal_map, locks)
    solution = await asyncio.to_thread(solve, inputs)
    if isinstance(solution, InfeasibilityReport):
        raise Infeasible(solution.conflicts)
    out = []
    for setup in inputs.metrics:
        sol = solution.metrics[setup.code]
        deltas = []
        for i, rep_id in enumerate(inputs.rep_ids.tolist()):
            if not principal.scope.covers_rep(rep_id, reps[rep_id].team_path):
                continue
            now, p_now = current.get((rep_id, setup.code), (0.0, None))
            deltas.append(
                RepDelta(
                    rep_id,
                    reps[rep_id].name,
                    rank_codes.get(reps[rep_id].rank_id, ""),
                    now,
                    float(sol.total[i]),
                    p_now,
                    float(sol.period_p[i]),
                )
            )
        root = unit.id or 0
        stored_goal = next(
            (
                g.value
                for g in await repo.goals(session, plan_id)
                if g.org_unit_id == root and codes[g.metric_id] == setup.code
            ),
            0.0,
        )
        out.append(
            MetricComparison(
                setup.code,
                stored_goal,
                setup.goals.get(root, stored_goal),
                solution.probability.get(setup.code),
                deltas,
                _ranks(deltas),
            )
        )
    return WhatIfOutcome(out, time.perf_counter() - start)


async def compare_plans(
    session: AsyncSession, *, scope: Scope, plan_a: int, plan_b: int
) -> list[MetricComparison]:
    """Per-rep deltas (b - a) and per-rank summaries for every metric of two plans."""
    a, unit_a = await visible_plan(session, plan_a, scope)
    b, unit_b = await visible_plan(session, plan_b, scope)
    reps = await visible_reps(session, unit_a, scope)
    reps |= await visible_reps(session, unit_b, scope)
    rank_codes = {r.id or 0: r.code for r in await rank_repo.all_ranks(session)}
    totals_a, totals_b = await period_totals(session, plan_a), await period_totals(session, plan_b)
    goals = {}
    codes = {m.id: m.code for m in (await repo.metrics_by_code(session)).values()}
    for plan, key in ((a, "a"), (b, "b")):
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


@dataclass(frozen=True)
class RankOutlook:
    rank_code: str
    level: int
    reps: int
    promotions: float
    retentions: float
    demotions: float
    mean_attainment: float


SIMULATIONS = 2000


async def rank_assessment(
    session: AsyncSession, *, scope: Scope, plan_id: int, seed: int = 0
) -> list[RankOutlook]:
    """Expected promotions / retentions / demotions per rank if the plan's targets hold.

    Monte Carlo (fixed seed) over each rep's calibrated distributions, metrics independent:
    weighted attainment = sum_k w_k actual_k / target_k with the rank's weights; a rep is
    promoted at or above the rank's promotion threshold (with enough tenure at the period's
    end, and a rank above), demoted below the demotion threshold (with a rank below). The
    ladder's "n quarters in a row" is read on the plan's period as a whole.
    """
    plan, unit = await visible_plan(session, plan_id, scope)
    reps = await visible_reps(session, unit, scope)
    settings = await rank_settings(session, plan.period_start)
    all_ranks = list(await rank_repo.all_ranks(session))
    codes = {r.id or 0: r.code for r in all_ranks}
    levels = sorted(r.level for r in all_ranks)
    metrics = {m.id: m for m in (await repo.metrics_by_code(session)).values()}
    totals = await period_totals(session, plan_id)
    dists = await repo.distributions(session, plan_id, rep_ids=list(reps))
    hires = {rep.id: rep.hire_date for rep, _ in await repo.reps_under(session, unit.path)}
    rng = np.random.default_rng(seed)
    by_rep: dict[int, list[tuple[float, np.ndarray]]] = {}
    for d in dists:
        metric = metrics[d.metric_id]
        setting = settings.get(codes.get(reps[d.rep_id].rank_id, ""))
        weight = setting.weight.get(metric.code, 0.0) if setting else 0.0
        target = totals.get((d.rep_id, metric.code), (0.0, None))[0]
        if weight <= 0 or target <= 0:
            continue
        months = len(period_months(plan))
        actual = _sample(d.levels, d.period, rng)
        target_level = target if d.levels else target / months
        by_rep.setdefault(d.rep_id, []).append((weight, actual / target_level))
    out = []
    for rank in sorted(all_ranks, key=lambda r: r.level):
        members = [i for i in by_rep if reps[i].rank_id == rank.id]
        if not members:
            continue
        s = settings[rank.code]
        promo = demo = 0.0
        attain = []
        for i in members:
            parts = by_rep[i]
            total_w = sum(w for w, _ in parts)
            score: np.ndarray = np.sum([w * a for w, a in parts], axis=0) / total_w
            attain.append(float(score.mean()))
            tenure = _months_between(hires.get(i), plan.period_end)
            if rank.level < levels[-1] and tenure >= s.min_tenure_months:
                promo += float((score >= s.promotion_threshold).mean())
            if rank.level > levels[0]:
                demo += float((score < s.demotion_threshold).mean())
        n = len(members)
        out.append(
            RankOutlook(
                rank.code, rank.level, n, promo, n - promo - demo, demo, float(np.mean(attain))
            )
        )
    return out


def _months_between(start: date | None, end: date) -> int:
    if start is None:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month


def _sample(levels: list[float], values: list[float], rng: np.random.Generator) -> np.ndarray:
    """Draws of a period total (inverse CDF of the quantile table) or of a ratio's mean."""
    if levels:
        table = QuantileTable(
            np.zeros(1, dtype=np.int64),
            np.asarray(levels),
            np.maximum.accumulate(np.asarray([values]), axis=1),
        )
        u = rng.uniform(0.0, 1.0, SIMULATIONS)
        return (
            np.asarray([quantile_at(table, float(q))[0] for q in u])
            if False
            else _inverse(table, u)
        )
    if not values:
        return np.ones(SIMULATIONS)
    draws = rng.choice(np.asarray(values), size=(SIMULATIONS, 12), replace=True)
    means: np.ndarray = draws.mean(axis=1)
    return means


def _inverse(table: QuantileTable, u: np.ndarray) -> np.ndarray:
    n = len(u)
    tiled = QuantileTable(
        np.arange(n, dtype=np.int64), table.levels, np.repeat(table.values, n, axis=0)
    )
    out: np.ndarray = quantile_at(tiled, u)
    return out
