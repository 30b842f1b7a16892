"""A plan's progress for one metric as of a day, for every rep of the plan: what the dashboard
and a rep's page read.

Reading a 10,000-rep plan takes seconds (120,000 target rows, 10,000 stored distributions of
a few hundred quantiles each, 100,000 monthly actuals), far over a dashboard's budget, while it
changes far less often than it is read. So what is read is kept in this process, each part
under a key that changes whenever what it was read from does:

- the plan's part (targets, forecast distributions, P at the start), under the plan's version,
  which every change to the plan or its targets raises;
- each month's actuals, under that month's counts and sums of monthly actuals and entries
  (one aggregate query per request tells which months changed: after ``recordActuals`` only
  the current month is read again);
- the people (reps, org units, ranks), under counts, versions and sums of those tables;
- the whole snapshot, under the newest ids of the audit log and of those tables: while no
  row is added and nothing audited happens, one query of index lookups is all a request reads.

Every key also names the database, so two databases never share an entry. What is computed
from them (progress, P(achieve | actuals so far)) is ``solver.tracking``'s, kept per as-of day
under the months' keys; this module loads, calls and keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Plan
from backend.db.repositories import tracking as repo
from backend.services.errors import DomainError, ErrorCode
from backend.services.planning.common import period_months
from backend.services.tracking.cache import Cache
from solver.planning import ForecastDistribution, RepBasis
from solver.planning.months import add_months, month_start, months_between
from solver.tracking import (
    ForecastArrays,
    Progress,
    ProgressInputs,
    compute_progress,
    conditional_probability,
    elapsed_months,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Key = tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class PlanPart:
    """Per rep of the plan (rows in ``rep_ids`` order): monthly targets, the forecast (and
    the forecast mean of each month), and P(achieve) when the period began (the plan's)."""

    rep_ids: IntArray
    targets: FloatArray
    forecast: ForecastArrays
    forecast_mean: FloatArray
    plan_probability: FloatArray


@dataclass(frozen=True, eq=False)
class Computed:
    """Per rep as of a day: monthly actuals to date (later months 0), progress, P."""

    actuals: FloatArray
    progress: Progress
    probability: FloatArray


@dataclass(frozen=True)
class MetricInfo:
    """The metric's fields a snapshot needs (plain values: a snapshot outlives sessions)."""

    id: int
    code: str
    name: str
    is_integer: bool


@dataclass(frozen=True)
class Unit:
    id: int
    parent_id: int | None
    name: str
    kind: str
    path: str
    depth: int


@dataclass(frozen=True)
class RankInfo:
    id: int
    code: str
    name: str
    level: int


@dataclass(frozen=True, eq=False)
class People:
    """Reps (by id: name, team, rank, region), org units by id, ranks by id."""

    reps: dict[int, tuple[str, int, int, int | None]]
    units: dict[int, Unit]
    ranks: dict[int, RankInfo]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One metric of one plan as of a day: the plan's reps (rows) with their current team,
    rank and figures. ``team_paths[i]`` places rep ``i`` in the org tree; ``key`` changes
    whenever any figure does."""

    key: Key
    plan_id: int
    plan_name: str
    plan_scope_id: int
    period_start: date
    metric: MetricInfo
    months: list[date]
    as_of: date
    elapsed: float
    rep_ids: IntArray
    names: list[str]
    team_ids: IntArray
    team_paths: list[str]
    rank_ids: IntArray
    targets: FloatArray
    actuals: FloatArray
    progress: Progress
    probability: FloatArray
    plan_probability: FloatArray
    people: People

    @property
    def n(self) -> int:
        return len(self.rep_ids)


_plans: Cache[Key, PlanPart] = Cache(4)
_months: Cache[Key, FloatArray] = Cache(64)  # one plan-month's actuals per rep of the plan
_computed: Cache[Key, Computed] = Cache(8)
_people: Cache[Key, People] = Cache(2)
_snapshots: Cache[Key, Snapshot] = Cache(16)


def database_of(session: AsyncSession) -> str:
    bind: Any = session.bind
    url = getattr(bind, "url", None) or bind.engine.url
    return str(url)


async def snapshot(session: AsyncSession, *, plan: Plan, metric: Metric, as_of: date) -> Snapshot:
    """The plan's progress on ``metric`` as of the end of ``as_of`` (see the module).

    While nothing was added to the tables it reads and nothing audited happened (every
    service that changes actuals, targets or people audits it), the last snapshot is
    returned after one query of index lookups; otherwise each part is checked by its key.
    """
    if metric.kind != "additive":
        raise DomainError.single(
            ErrorCode.INVALID,
            f"{metric.code} is a ratio: it is tracked by its rate, not by progress to a total",
            "metric",
        )
    plan_key = (database_of(session), plan.id or 0, plan.version, metric.id or 0)
    latest = await repo.latest_ids(session)
    return await _snapshots.get(
        (*plan_key, as_of, latest), lambda: _checked(session, plan_key, plan, metric, as_of)
    )


async def _checked(
    session: AsyncSession, plan_key: Key, plan: Plan, metric: Metric, as_of: date
) -> Snapshot:
    months = period_months(plan)
    db, plan_id, _, metric_id = plan_key
    part = await _plans.get(plan_key, lambda: _plan_part(session, plan_id, metric_id, months))
    seen = await month_keys(session, metric_id, months)
    computed_key = (*plan_key, as_of, tuple(seen[m] for m in months if m <= as_of))
    computed = await _computed.get(
        computed_key,
        lambda: _compute(session, plan_key, part, metric_id, months, as_of, seen),
    )
    people_key = (db, await repo.people_fingerprint(session))
    people = await _people.get(people_key, lambda: _people_part(session))
    key = (*computed_key, people_key)
    return _assemble(key, plan, metric, months, as_of, part, computed, people)


async def month_keys(session: AsyncSession, metric_id: int, months: list[date]) -> dict[date, Key]:
    """Per month of the period: what changes whenever its monthly actuals or entries do."""
    end = add_months(months[-1], 1) - timedelta(days=1)
    monthly = await repo.monthly_fingerprints(session, metric_id, months[0], months[-1])
    entries: dict[date, list[Any]] = {}
    for day, count, total, latest in await repo.entry_fingerprints(
        session, metric_id, months[0], end
    ):
        entries.setdefault(month_start(day), []).append((day, count, total, latest))
    return {m: (monthly.get(m), tuple(sorted(entries.get(m, [])))) for m in months}


async def _plan_part(
    session: AsyncSession, plan_id: int, metric_id: int, months: list[date]
) -> PlanPart:
    rows = await repo.target_values(session, plan_id, metric_id)
    rep_ids = np.asarray(sorted({r for r, _, _ in rows}), dtype=np.int64)
    index = {int(r): i for i, r in enumerate(rep_ids)}
    targets = np.zeros((len(rep_ids), len(months)))
    for rep_id, month, value in rows:
        targets[index[rep_id], months_between(months[0], month)] = value
    dists: list[ForecastDistribution | None] = [None] * len(rep_ids)
    for rep_id, levels, period, monthly, bounds in await repo.stored_distributions(
        session, plan_id, metric_id
    ):
        if rep_id in index and levels:
            mean = RepBasis.from_json(bounds or {}).mean
            dists[index[rep_id]] = ForecastDistribution.from_stored(
                levels, period, monthly, None if np.isnan(mean) else mean
            )
    forecast = ForecastArrays.stack(dists, len(months))
    start = conditional_probability(
        forecast,
        target=targets.sum(axis=1),
        actual_to_date=np.zeros(len(rep_ids)),
        elapsed=0.0,
    )
    return PlanPart(rep_ids, targets, forecast, forecast.monthly_means(), start)


async def _compute(
    session: AsyncSession,
    plan_key: Key,
    part: PlanPart,
    metric_id: int,
    months: list[date],
    as_of: date,
    seen: dict[date, Key],
) -> Computed:
    actuals = await _to_date(session, plan_key, part, metric_id, months, as_of, seen)
    elapsed = elapsed_months(months[0], len(months), as_of)
    progress = compute_progress(
        ProgressInputs(
            targets=part.targets,
            actuals=actuals,
            elapsed=elapsed,
            forecast_mean=part.forecast_mean,
        )
    )
    probability = conditional_probability(
        part.forecast, target=progress.target, actual_to_date=progress.actual, elapsed=elapsed
    )
    return Computed(actuals, progress, probability)


async def _to_date(
    session: AsyncSession,
    plan_key: Key,
    part: PlanPart,
    metric_id: int,
    months: list[date],
    as_of: date,
    seen: dict[date, Key],
) -> FloatArray:
    """Monthly actuals of the months up to ``as_of``'s (each read again only once changed).

    The as-of month's monthly actual holds every entry recorded so far: those dated after
    ``as_of`` are taken out (the facts' part of it carries no day and counts whole).
    """
    index = {int(r): i for i, r in enumerate(part.rep_ids)}
    actuals = np.zeros_like(part.targets)
    for k, month in enumerate(m for m in months if m <= as_of):
        actuals[:, k] = await _months.get(
            (*plan_key, month, seen[month]),
            partial(_month, session, index, metric_id, month),
        )
    if as_of < months[0] or as_of >= add_months(months[-1], 1):
        return actuals
    end = add_months(as_of, 1) - timedelta(days=1)
    current = months_between(months[0], as_of)
    for rep_id, value in await repo.entry_sums_by_rep(session, metric_id, as_of, end):
        if rep_id in index and value:
            actuals[index[rep_id], current] -= value
    return actuals


async def _month(
    session: AsyncSession, index: dict[int, int], metric_id: int, month: date
) -> FloatArray:
    values = np.zeros(len(index))
    for rep_id, value in await repo.month_values(session, metric_id, month):
        if rep_id in index:
            values[index[rep_id]] += value
    return values


async def _people_part(session: AsyncSession) -> People:
    reps, units, ranks = await repo.people(session)
    return People(
        reps={r: (name, team, rank, region) for r, name, team, rank, region, _ in reps},
        units={u[0]: Unit(*u) for u in units},
        ranks={r[0]: RankInfo(*r) for r in ranks},
    )


def _assemble(
    key: Key,
    plan: Plan,
    metric: Metric,
    months: list[date],
    as_of: date,
    part: PlanPart,
    computed: Computed,
    people: People,
) -> Snapshot:
    """Rows of the plan's reps that still exist, each with its current team and rank."""
    keep = [i for i, r in enumerate(part.rep_ids) if int(r) in people.reps]
    rows = [people.reps[int(part.rep_ids[i])] for i in keep]
    pick = np.asarray(keep, dtype=np.int64)
    p = computed.progress
    return Snapshot(
        key=key,
        plan_id=plan.id or 0,
        plan_name=plan.name,
        plan_scope_id=plan.scope_org_id,
        period_start=plan.period_start,
        metric=MetricInfo(metric.id or 0, metric.code, metric.name, metric.is_integer),
        months=months,
        as_of=as_of,
        elapsed=elapsed_months(plan.period_start, len(months), as_of),
        rep_ids=part.rep_ids[pick],
        names=[r[0] for r in rows],
        team_ids=np.asarray([r[1] for r in rows], dtype=np.int64),
        team_paths=[people.units[r[1]].path if r[1] in people.units else "" for r in rows],
        rank_ids=np.asarray([r[2] for r in rows], dtype=np.int64),
        targets=part.targets[pick],
        actuals=computed.actuals[pick],
        progress=Progress(
            actual=p.actual[pick],
            target=p.target[pick],
            expected=p.expected[pick],
            pace=p.pace[pick],
            attainment=p.attainment[pick],
            projected=p.projected[pick],
            projected_attainment=p.projected_attainment[pick],
        ),
        probability=computed.probability[pick],
        plan_probability=part.plan_probability[pick],
        people=people,
    )
