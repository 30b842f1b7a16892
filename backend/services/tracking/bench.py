"""The ``dashboard_10k`` benchmark: the tracking dashboard of a 10,000-rep company, server side.

A company of ``n_reps`` reps (5 regions > 10 branches each > teams of 8) with an active plan
for the calendar year, its targets and stored distributions for revenue, ten months of actuals
and the current month's entries by week is written to a temporary SQLite file. The dashboard
is then requested ``runs`` times as an administrator: ``seconds`` is the median,
``first_seconds`` the first request (nothing kept yet) and ``after_change_seconds`` the median
request right after an integration recorded 500 actuals of the current month (only that month
is read again). The ``reference`` (timed in the same run: ``reference_seconds``) reads the
plan's target rows once (``reps x 12`` rows of one metric through SQLAlchemy): the naive read
the dashboard's kept snapshot avoids, so a slow figure on a busy machine shows in both.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import norm
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import create_engine, session_factory
from backend.db.migrate import upgrade_to_head
from backend.db.models import (
    ActualEntry,
    Metric,
    MonthlyActual,
    OrgUnit,
    Plan,
    Rank,
    Rep,
    Target,
)
from backend.db.models._base import utcnow
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import tracking as repo
from backend.services.access import SYSTEM
from backend.services.tracking.actuals import MAX_ENTRIES, EntryInput, record_actuals
from backend.services.tracking.dashboard import tracking_dashboard
from solver.planning.months import add_months, month_range

CASE = "dashboard_10k"
GOAL_SECONDS = 0.3
AS_OF = date(2026, 11, 18)
LEVELS = np.round(np.arange(0.05, 0.951, 0.05), 2)
REGIONS, BRANCHES, TEAM_SIZE = 5, 10, 8
BATCH = 5_000
REFERENCE = "one read of the plan's reps x 12 target rows of the metric through SQLAlchemy"
CHANGES = 3  # batches of actuals recorded, each followed by a timed request


@dataclass(frozen=True)
class BenchCompany:
    plan_id: int
    root_id: int
    metric_code: str
    n_reps: int


async def build_company(engine: AsyncEngine, *, n_reps: int, seed: int = 0) -> BenchCompany:
    """Write the company, its active plan, targets, distributions and actuals."""
    rng = np.random.default_rng(seed)
    async with session_factory(engine)() as session:
        metric = Metric(code="revenue", name="Revenue", kind="additive", unit="CNY")
        session.add(metric)
        ranks = [Rank(code=f"S{i}", name=f"S{i}", level=i) for i in range(1, 7)]
        session.add_all(ranks)
        await session.flush()
        root, teams = await _org(session, n_reps)
        reps = await _reps(session, n_reps, teams, [r.id or 0 for r in ranks], rng)
        plan = Plan(
            name="FY2026",
            scope_org_id=root.id or 0,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            status="active",
            generated_at=None,
        )
        session.add(plan)
        await session.flush()
        await _plan_rows(session, plan.id or 0, metric.id or 0, reps, rng)
        await session.commit()
        return BenchCompany(plan.id or 0, root.id or 0, metric.code, len(reps))


async def _insert(session: AsyncSession, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(table), rows[start : start + BATCH])


async def _unit(session: AsyncSession, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit(
        name=name,
        code=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
    )
    session.add(unit)
    await session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


async def _org(session: AsyncSession, n_reps: int) -> tuple[OrgUnit, list[OrgUnit]]:
    """Company > regions > branches > teams of ``TEAM_SIZE``, teams dealt to branches in turn."""
    root = await _unit(session, "C", "company", None)
    branches = []
    for r in range(REGIONS):
        region = await _unit(session, f"R{r}", "region", root)
        for b in range(BRANCHES):
            branches.append(await _unit(session, f"B{r}-{b}", "branch", region))
    teams = [
        await _unit(session, f"T{t}", "team", branches[t % len(branches)])
        for t in range(-(-n_reps // TEAM_SIZE))
    ]
    await session.flush()
    return root, teams


async def _reps(
    session: AsyncSession,
    n_reps: int,
    teams: list[OrgUnit],
    rank_ids: list[int],
    rng: np.random.Generator,
) -> list[int]:
    rows: list[dict[str, Any]] = [
        {
            "id": i + 1,
            "external_id": f"R{i + 1:06d}",
            "name": f"Rep {i + 1}",
            "team_id": teams[i // TEAM_SIZE].id,
            "rank_id": rank_ids[i % len(rank_ids)],
            "hire_date": date(2020, 1, 1),
            "territory": "",
            "version": 1,
        }
        for i in range(n_reps)
    ]
    await _insert(session, Rep, rows)
    return [int(r["id"]) for r in rows]


async def _plan_rows(
    session: AsyncSession, plan_id: int, metric_id: int, reps: list[int], rng: np.random.Generator
) -> None:
    """Seasonal log-normal forecasts; targets at each month's median; actuals that drift."""
    months = month_range(date(2026, 1, 1), date(2026, 12, 1))
    n = len(reps)
    level = rng.lognormal(np.log(100_000.0), 0.5, n)
    season = 1.0 + 0.3 * np.sin(2 * np.pi * (np.arange(12) + rng.uniform(0, 12, n)[:, None]) / 12)
    median = level[:, None] * season
    sigma = rng.uniform(0.2, 0.6, n)
    monthly = median[:, :, None] * np.exp(sigma[:, None, None] * norm.ppf(LEVELS))
    spread = sigma * np.sqrt(0.3 + 0.7 / 12)
    period = median.sum(axis=1)[:, None] * np.exp(spread[:, None] * norm.ppf(LEVELS))
    targets, distributions = [], []
    for i, rep in enumerate(reps):
        distributions.append(
            {
                "plan_id": plan_id,
                "rep_id": rep,
                "metric_id": metric_id,
                "levels": LEVELS.tolist(),
                "period": period[i].round(2).tolist(),
                "monthly": monthly[i].round(2).tolist(),
                "bounds": {"mean": float(median[i].sum())},
            }
        )
        targets += [
            {
                "plan_id": plan_id,
                "rep_id": rep,
                "metric_id": metric_id,
                "month": m,
                "value": round(float(median[i, k]), 2),
                "suggested": round(float(median[i, k]), 2),
                "explanation": {},
                "flags": [],
                "version": 1,
                "locked": False,
            }
            for k, m in enumerate(months)
        ]
    await _insert(session, Target, targets)
    await _insert(session, TargetDistribution, distributions)
    await _actuals(session, metric_id, reps, median, rng)


async def _actuals(
    session: AsyncSession,
    metric_id: int,
    reps: list[int],
    median: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Months before ``AS_OF``'s in full; its month as one entry per rep and week."""
    pace = rng.lognormal(0.0, 0.25, len(reps))
    current = AS_OF.replace(day=1)
    rows = [
        {"rep_id": rep, "metric_id": metric_id, "month": add_months(current, -k), "value": v}
        for i, rep in enumerate(reps)
        for k in range(1, AS_OF.month)
        if (v := round(float(median[i, AS_OF.month - 1 - k] * pace[i]), 2)) >= 0
    ]
    await _insert(session, MonthlyActual, rows)
    entries, sums = [], np.zeros(len(reps))
    for week_end in (current + timedelta(days=d) for d in range(6, AS_OF.day, 7)):
        share = 7 / 30
        for i, rep in enumerate(reps):
            value = round(float(median[i, AS_OF.month - 1] * pace[i] * share), 2)
            sums[i] += value
            entries.append(
                {
                    "external_id": f"e-{rep}-{week_end}",
                    "rep_id": rep,
                    "metric_id": metric_id,
                    "day": week_end,
                    "value": value,
                    "source": "bench",
                    "recorded_by": "bench",
                    "recorded_at": utcnow(),
                }
            )
    await _insert(session, ActualEntry, entries)
    await _insert(
        session,
        MonthlyActual,
        [
            {"rep_id": rep, "metric_id": metric_id, "month": current, "value": float(sums[i])}
            for i, rep in enumerate(reps)
        ],
    )


async def reference_seconds(engine: AsyncEngine, company: BenchCompany) -> float:
    """Read the plan's target rows of the metric once (the naive read)."""
    async with session_factory(engine)() as session:
        metric = await repo.metric_by_code(session, company.metric_code)
        started = time.perf_counter()
        await repo.target_values(session, company.plan_id, metric.id or 0 if metric else 0)
        return time.perf_counter() - started


async def with_temp_company(n_reps: int) -> tuple[Path, AsyncEngine, BenchCompany]:
    folder = Path(tempfile.mkdtemp(prefix="quotient-bench-"))
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    await upgrade_to_head(engine)
    company = await build_company(engine, n_reps=n_reps)
    return folder, engine, company


def median(values: list[float]) -> float:
    return float(statistics.median(values))


Query = Callable[[AsyncEngine, BenchCompany], Awaitable[object]]


async def service_query(engine: AsyncEngine, company: BenchCompany) -> object:
    """The dashboard's service call as an administrator, in a session of its own (what one
    request does below the GraphQL layer)."""
    async with session_factory(engine)() as session:
        return await tracking_dashboard(
            session, principal=SYSTEM, plan_id=company.plan_id, as_of=AS_OF
        )


async def _record_some(engine: AsyncEngine, company: BenchCompany, batch: int) -> None:
    """An integration's batch of this month's actuals (500 reps), as between two refreshes."""
    step = max(company.n_reps // MAX_ENTRIES, 1)
    entries = [
        EntryInput(f"late-{batch}-{rep}", company.metric_code, AS_OF, 100.0, rep_id=rep)
        for rep in range(1, company.n_reps + 1, step)
    ][:MAX_ENTRIES]
    async with session_factory(engine)() as session:
        await record_actuals(session, principal=SYSTEM, entries=entries, today=AS_OF)
        await session.commit()


async def dashboard_case(
    *, reps: int = 10_000, runs: int = 5, query: Query | None = None
) -> dict[str, Any]:
    """Build the company, then time the dashboard ``runs`` times (``query``: the GraphQL
    request when the caller provides it, else the service call)."""
    folder, engine, company = await with_temp_company(reps)
    run = query or service_query
    try:
        times = []
        for _ in range(max(runs, 1) + 1):
            started = time.perf_counter()
            await run(engine, company)
            times.append(time.perf_counter() - started)
        changed = []
        for batch in range(CHANGES):
            await _record_some(engine, company, batch)
            started = time.perf_counter()
            await run(engine, company)
            changed.append(time.perf_counter() - started)
        reference = await reference_seconds(engine, company)
    finally:
        await engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "case": CASE,
        "seconds": round(median(times[1:]), 4),
        "first_seconds": round(times[0], 4),
        "after_change_seconds": round(median(changed), 4),
        "n_reps": company.n_reps,
        "reference": REFERENCE,
        "reference_seconds": round(reference, 4),
        "goal_s": GOAL_SECONDS,
        "runs": len(times) - 1,
        "through": "graphql" if query else "service",
    }
