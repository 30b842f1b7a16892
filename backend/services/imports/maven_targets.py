"""2018-Q1 monthly revenue targets for the Maven sample's agents, from their monthly actuals.

A stand-in for the planning workflow, kept apart so it can be replaced by it:

1. Forecast: a peer-based quantile forecast. Each agent's level is the mean of their last three
   months; the distribution of "next month / mean of the previous three" is pooled over every
   agent and month of history (a rolling backtest), so its empirical quantiles are calibrated
   by construction (split-conformal style). Agents without history (new hires) get the peers'
   median level times a ramp factor.
2. Goal: last quarter's actual revenue of all agents x 1.05, split evenly over the months.
3. Allocation: ``solver.strategies.equal_difficulty`` - one common achievement probability for
   every agent each month, found exactly by a monotone search, so targets sum to the goal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Rep
from backend.db.repositories import imports as repo
from backend.db.repositories import reps as rep_repo
from backend.services.aggregation import next_month
from solver.strategies import equal_difficulty
from solver.types import FloatArray, InfeasibilityReport, QuantileTable

LEVELS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
WINDOW = 3
NEW_HIRE_RAMP = 0.5


@dataclass(frozen=True)
class AgentTargets:
    rep_id: int
    name: str
    months: tuple[float, ...]
    probability: float
    history_months: int

    @property
    def total(self) -> float:
        return sum(self.months)


@dataclass(frozen=True)
class QuarterTargets:
    months: tuple[date, ...]
    goal: float
    last_quarter_actual: float
    probability: float
    coverage_80: float
    agents: list[AgentTargets]


def _months(start: date, count: int) -> list[date]:
    out = [start]
    while len(out) < count:
        out.append(next_month(out[-1]))
    return out


def _series(rows: Sequence[rep_repo.ActualRow], rep: Rep, history: list[date]) -> FloatArray:
    by_month = {r.month: r.value for r in rows}
    employed = [m for m in history if m >= rep.hire_date.replace(day=1)]
    return np.array([by_month.get(m, 0.0) for m in employed], dtype=np.float64)


def _ratios(series: list[FloatArray]) -> FloatArray:
    """Pooled "next month / mean of previous WINDOW months" over all agents and months."""
    out = []
    for y in series:
        for t in range(WINDOW, len(y)):
            base = y[t - WINDOW : t].mean()
            if base > 0:
                out.append(y[t] / base)
    return np.asarray(out if out else [1.0], dtype=np.float64)


def _coverage(series: list[FloatArray], lo: float, hi: float) -> float:
    hits = total = 0
    for y in series:
        for t in range(WINDOW, len(y)):
            base = y[t - WINDOW : t].mean()
            if base > 0:
                total += 1
                hits += lo * base <= y[t] <= hi * base
    return hits / total if total else float("nan")


async def quarter_targets(
    session: AsyncSession,
    *,
    reps: Sequence[Rep],
    quarter_start: date = date(2018, 1, 1),
    uplift: float = 1.05,
    metric: str = "revenue",
) -> QuarterTargets:
    """Targets for the three months from ``quarter_start`` for every active rep given."""
    history = _months(date(quarter_start.year - 1, quarter_start.month, 1), 12)
    last_quarter = history[-3:]
    actuals = await rep_repo.actuals(
        session, [r.id for r in reps if r.id], metric_codes=[metric], from_month=history[0]
    )
    series = {r.id: _series(actuals.get(r.id or 0, []), r, history) for r in reps}
    with_history = [y for y in series.values() if len(y) >= WINDOW and y.sum() > 0]
    ratios = _ratios(with_history)
    ratio_q = np.quantile(ratios, LEVELS)
    levels = {
        rid: y[-WINDOW:].mean() for rid, y in series.items() if len(y) >= WINDOW and y.sum() > 0
    }
    peer_level = float(np.median(list(levels.values()))) if levels else 1.0
    rep_ids = np.array([r.id for r in reps], dtype=np.int64)
    level = np.array([levels.get(r.id, peer_level * NEW_HIRE_RAMP) for r in reps])
    table = QuantileTable(rep_ids, np.array(LEVELS), np.outer(level, ratio_q))
    last_actual = sum(a.value for rows in actuals.values() for a in rows if a.month in last_quarter)
    goal = last_actual * uplift
    allocation = equal_difficulty(table, goal / 3)
    if isinstance(allocation, InfeasibilityReport):
        raise ValueError(allocation.summary())
    per_month = np.round(allocation.values, 2)
    per_month[-1] += round(goal / 3 - float(per_month.sum()), 2)  # cents to the last agent
    agents = [
        AgentTargets(
            rep_id=int(r.id or 0),
            name=r.name,
            months=tuple(float(per_month[i]) for _ in range(3)),
            probability=float(allocation.probability or 0.0),
            history_months=len(series[r.id]),
        )
        for i, r in enumerate(reps)
    ]
    lo, hi = np.quantile(ratios, [0.1, 0.9])
    return QuarterTargets(
        months=tuple(_months(quarter_start, 3)),
        goal=goal,
        last_quarter_actual=last_actual,
        probability=float(allocation.probability or 0.0),
        coverage_80=_coverage(with_history, float(lo), float(hi)),
        agents=agents,
    )


async def sample_targets(session: AsyncSession) -> QuarterTargets:
    """2018-Q1 targets for every active rep (the Maven agents after `import maven-sample`)."""
    reps = [r for r in await repo.everything(session, Rep) if r.leave_date is None]
    return await quarter_targets(session, reps=sorted(reps, key=lambda r: r.name))
