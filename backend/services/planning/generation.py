"""Generate a plan's targets: forecast, strategy ideals, decomposition, then store them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan, PlanGoal, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.errors import DomainError, ErrorCode, FieldProblem, stale
from backend.services.planning import progress as progress_events
from backend.services.planning.common import plan_for_change
from backend.services.planning.compute import Inputs, MetricSetup, PlanSettings, Solution, solve
from backend.services.planning.forecasting import MetricForecast, forecast_metric
from backend.services.planning.loading import Loaded, last_year_totals, load_scope
from solver.types import Conflict, InfeasibilityReport

Progress = Callable[[str, float], None]


class Infeasible(DomainError):
    """Generation refused: the constraints conflict; ``conflicts`` say which and by how much."""

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


def ratio_probability(history: list[float], target: float) -> float:
    """Smoothed share of past months at or above the target (in (0, 1))."""
    hits = sum(1 for v in history if v >= target - 1e-12)
    return (hits + 0.5) / (len(history) + 1.0)


def _setup(
    loaded: Loaded, code: str, fc: MetricForecast, goals: dict[int, float], locks: dict[int, float]
) -> MetricSetup:
    reps, months = loaded.reps, loaded.months
    rep_ids = reps["rep_id"].to_numpy(np.int64)
    ramp = _ramp_matrix(loaded)
    base = np.array([loaded.ranks[c].baseline.get(code, np.nan) for c in reps["rank_code"]])
    floor_m = np.array([loaded.ranks[c].floor.get(code, np.nan) for c in reps["rank_code"]])
    ceil_m = np.array([loaded.ranks[c].ceiling.get(code, np.nan) for c in reps["rank_code"]])
    baseline = base * ramp.sum(axis=1)
    centre = fc.monthly[:, :, fc.monthly.shape[2] // 2]
    sums = centre.sum(axis=1, keepdims=True)
    share = np.where(sums > 0, centre / np.where(sums > 0, sums, 1.0), 1.0 / len(months))
    return MetricSetup(
        code=code,
        integer=loaded.metrics[code].is_integer,
        goals=goals,
        levels=fc.levels,
        period=fc.period.values,
        monthly=fc.monthly,
        mean=fc.mean_total,
        floor=baseline * floor_m,
        ceiling=baseline * ceil_m,
        baseline=baseline,
        last_actual=np.where(
            _employed_before(loaded),
            last_year_totals(loaded.history, rep_ids, months, code),
            np.nan,
        ),
        share=share,
        potential=_potential(loaded, code),
        locks=locks,
    )


def _employed_before(loaded: Loaded) -> np.ndarray:
    """Whether each rep worked the whole comparison period a year earlier."""
    first = loaded.months[0]
    start = first.replace(year=first.year - 1)
    return np.array([h <= start for h in loaded.reps["hire_date"]], dtype=bool)


def _ramp_matrix(loaded: Loaded) -> np.ndarray:
    out = np.ones((len(loaded.reps), len(loaded.months)))
    for i, (hire, rank) in enumerate(
        zip(loaded.reps["hire_date"], loaded.reps["rank_code"], strict=True)
    ):
        profile = loaded.ranks[rank].ramp if rank in loaded.ranks else []
        for m, month in enumerate(loaded.months):
            tenure = (month.year - hire.year) * 12 + month.month - hire.month
            out[i, m] = 0.0 if tenure < 0 else profile[tenure] if tenure < len(profile) else 1.0
    return out


def _potential(loaded: Loaded, code: str) -> np.ndarray:
    """Growth of the last 6 months over the 6 before, as a 0-100 percentile among peers."""
    part = loaded.history[loaded.history["metric_code"] == code]
    wide = part.pivot_table(index="rep_id", columns="month", values="value").sort_index(axis=1)
    wide = wide.reindex(loaded.reps["rep_id"])
    recent, before = wide.iloc[:, -6:].mean(axis=1), wide.iloc[:, -12:-6].mean(axis=1)
    growth = (recent / before.where(before > 0)).reset_index(drop=True)
    return growth.rank(pct=True).mul(100.0).fillna(50.0).to_numpy(np.float64)


def additive_codes(loaded: Loaded) -> list[str]:
    return sorted(
        (m.code for m in loaded.metrics.values() if m.kind == "additive"),
        key=lambda c: (c != "revenue", c),
    )


def compute(
    loaded: Loaded,
    settings: PlanSettings,
    goals: dict[str, dict[int, float]],
    locks: dict[str, dict[int, float]],
    report: Progress,
) -> tuple[Inputs, Solution | InfeasibilityReport, dict[str, MetricForecast]]:
    """The CPU-bound part (runs in a worker thread): forecasts, ideals, decomposition."""
    reps = loaded.reps
    months = [pd.Timestamp(m) for m in loaded.months]
    rank_levels = {code: r.level for code, r in loaded.ranks.items()}
    ramps = {code: r.ramp for code, r in loaded.ranks.items()}
    forecasts, setups = {}, []
    codes = additive_codes(loaded)
    for k, code in enumerate(codes):
        report(f"forecasting {code}", 0.1 + 0.5 * k / max(len(codes), 1))
        forecasts[code] = forecast_metric(
            loaded.history, reps, months, code, rank_levels=rank_levels, ramps=ramps
        )
        setups.append(
            _setup(loaded, code, forecasts[code], goals.get(code, {}), locks.get(code, {}))
        )
    report("decomposing", 0.65)
    org = pd.DataFrame(
        {
            "org_id": [u.id for u in loaded.units],
            "parent_id": [
                np.nan if u.id == loaded.units[0].id or u.parent_id is None else u.parent_id
                for u in loaded.units
            ],
        }
    )
    org = _rooted(org, loaded)
    inputs = Inputs(reps, org, tuple(months), tuple(setups), settings)
    return inputs, solve(inputs), forecasts


def _rooted(org: pd.DataFrame, loaded: Loaded) -> pd.DataFrame:
    """The scope unit is the root: its parent (outside the scope) is dropped."""
    ids = set(org["org_id"].tolist())
    org["parent_id"] = org["parent_id"].where(org["parent_id"].isin(ids), np.nan)
    return org


async def generate_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    expected_version: int | None = None,
    progress: Progress | None = None,
) -> GenerationOutcome:
    """Forecast, allocate and decompose; store targets, distributions and derived goals.

    Infeasible constraints raise ``Infeasible`` with the conflicts; nothing is stored then.
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
    inputs, solution, forecasts = await asyncio.to_thread(
        compute, loaded, settings, goals, locks, report
    )
    if isinstance(solution, InfeasibilityReport):
        report("infeasible", 1.0)
        raise Infeasible(solution.conflicts)
    report("storing", 0.85)
    method = "; ".join(f"{c}: {f.method}" for c, f in forecasts.items())
    count = await store_solution(session, plan, loaded, inputs, solution, method)
    before = {"version": plan.version, "generated_at": str(plan.generated_at)}
    plan.generated_at = pd.Timestamp.now(tz="UTC").to_pydatetime()
    plan.forecast_method = method[:200]
    plan.version += 1
    basis = dict(plan.constraints.get("_basis", {}))
    for code, fc in forecasts.items():
        basis.setdefault(code, {})["bottom_up"] = float(np.nansum(fc.mean_total))
    plan.constraints = {**plan.constraints, "_basis": basis}
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
            "seconds": round(seconds, 3),
        },
        org_path=unit.path,
    )
    report("done", 1.0)
    return GenerationOutcome(plan, seconds, method, count, solution.probability)


def _reporter(plan_id: int, progress: Progress | None) -> Progress:
    loop = asyncio.get_running_loop()

    def report(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)
        loop.call_soon_threadsafe(progress_events.publish, plan_id, stage, fraction)

    return report


async def _goals_and_locks(
    session: AsyncSession, plan: Plan, loaded: Loaded
) -> tuple[dict[str, dict[int, float]], dict[str, dict[int, float]]]:
    codes = {m.id: m.code for m in loaded.metrics.values()}
    goals: dict[str, dict[int, float]] = {}
    for goal in await repo.goals(session, plan.id or 0):
        if goal.source == "set":
            goals.setdefault(codes[goal.metric_id], {})[goal.org_unit_id] = goal.value
    locks: dict[str, dict[int, float]] = {}
    active = set(loaded.reps["rep_id"].tolist())
    for t in await repo.targets(session, plan.id or 0):
        if t.locked and t.rep_id in active:
            by_rep = locks.setdefault(codes[t.metric_id], {})
            by_rep[t.rep_id] = by_rep.get(t.rep_id, 0.0) + t.value
    return goals, locks


async def store_solution(
    session: AsyncSession,
    plan: Plan,
    loaded: Loaded,
    inputs: Inputs,
    solution: Solution,
    method: str,
) -> int:
    """Replace the plan's targets, distributions and derived goals with a solution."""
    plan_id = plan.id or 0
    await repo.delete_generated(session, plan_id)
    targets: list[dict[str, Any]] = []
    dists: list[dict[str, Any]] = []
    rep_ids = inputs.rep_ids.tolist()
    for setup in inputs.metrics:
        sol = solution.metrics[setup.code]
        metric_id = loaded.metrics[setup.code].id
        for i, rep_id in enumerate(rep_ids):
            explanation = _explanation(sol, i, method)
            for m, month in enumerate(loaded.months):
                targets.append(
                    {
                        "plan_id": plan_id,
                        "rep_id": rep_id,
                        "metric_id": metric_id,
                        "month": month,
                        "value": float(sol.monthly[i, m]),
                        "suggested": float(sol.monthly[i, m]),
                        "probability": float(sol.monthly_p[i, m]),
                        "locked": rep_id in setup.locks,
                        "explanation": explanation,
                        "version": 1,
                        "flags": sol.flags[i],
                    }
                )
            dists.append(
                {
                    "plan_id": plan_id,
                    "rep_id": rep_id,
                    "metric_id": metric_id,
                    "levels": setup.levels.tolist(),
                    "period": setup.period[i].tolist(),
                    "monthly": setup.monthly[i].tolist(),
                    "bounds": _rep_bounds(setup, inputs, i),
                }
            )
    targets += _ratio_targets(plan_id, loaded, dists)
    await repo.insert_rows(session, Target, targets)
    await repo.insert_rows(session, TargetDistribution, dists)
    await _derived_goals(session, plan, loaded, inputs, solution)
    return len(targets)


def _nan_none(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def _rep_bounds(setup: MetricSetup, inputs: Inputs, i: int) -> dict[str, Any]:
    return {
        "floor": _nan_none(setup.floor[i]),
        "ceiling": _nan_none(setup.ceiling[i]),
        "baseline": _nan_none(setup.baseline[i]),
        "last_actual": _nan_none(setup.last_actual[i]),
        "mean": _nan_none(setup.mean[i]),
        "potential": float(setup.potential[i]),
        "share": setup.share[i].tolist(),
        "coefficient": float(inputs.reps["coefficient"].iloc[i]),
    }


def _explanation(sol: Any, i: int, method: str) -> dict[str, Any]:
    row = sol.explanation.iloc[i]
    parts = ("rank_baseline", "coefficients", "history", "strategy", "constraint")
    return {
        "components": {p: float(row[p]) for p in parts},
        "binding": str(row["binding"]),
        "period_total": float(sol.total[i]),
        "period_probability": float(sol.period_p[i]),
        "ideal": float(sol.ideal[i]),
        "forecast_method": method,
    }


def _ratio_targets(
    plan_id: int, loaded: Loaded, dists: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Ratio metrics: the rank baseline in effect, P from the rep's own history."""
    out: list[dict[str, Any]] = []
    for metric in loaded.metrics.values():
        if metric.kind != "ratio":
            continue
        part = loaded.history[loaded.history["metric_code"] == metric.code]
        history = part.groupby("rep_id")["value"].apply(list).to_dict()
        for rep in loaded.reps.itertuples():
            setting = loaded.ranks.get(str(rep.rank_code))
            value = setting.baseline.get(metric.code) if setting else None
            if value is None:
                continue
            past = [float(v) for v in history.get(rep.rep_id, []) if np.isfinite(v)]
            p = ratio_probability(past, value)
            expl = {
                "components": {"rank_baseline": value},
                "binding": "",
                "period_total": value,
                "period_probability": p,
                "ideal": value,
                "forecast_method": "rank baseline",
            }
            for month in loaded.months:
                out.append(
                    {
                        "plan_id": plan_id,
                        "rep_id": rep.rep_id,
                        "metric_id": metric.id,
                        "month": month,
                        "value": value,
                        "suggested": value,
                        "probability": p,
                        "locked": False,
                        "explanation": expl,
                        "version": 1,
                        "flags": [],
                    }
                )
            dists.append(
                {
                    "plan_id": plan_id,
                    "rep_id": rep.rep_id,
                    "metric_id": metric.id,
                    "levels": [],
                    "period": sorted(past),
                    "monthly": [],
                    "bounds": {"kind": "ratio"},
                }
            )
    return out


async def _derived_goals(
    session: AsyncSession, plan: Plan, loaded: Loaded, inputs: Inputs, solution: Solution
) -> None:
    """Every node of the scope without a set goal gets the sum of its targets as its goal."""
    existing = {(g.metric_id, g.org_unit_id) for g in await repo.goals(session, plan.id or 0)}
    paths = loaded.reps["team_path"].to_numpy()
    for setup in inputs.metrics:
        metric_id = loaded.metrics[setup.code].id or 0
        total = solution.metrics[setup.code].total
        for unit in loaded.units:
            if (metric_id, unit.id) in existing:
                continue
            under = np.char.startswith(paths.astype(str), unit.path)
            if under.any():
                session.add(
                    PlanGoal(
                        plan_id=plan.id or 0,
                        metric_id=metric_id,
                        org_unit_id=unit.id or 0,
                        value=float(total[under].sum()),
                        source="derived",
                    )
                )
    await session.flush()
