"""2018-Q1 monthly revenue targets for the Maven sample's agents, through the planning workflow.

The sample is planned like any company, with no forecaster of its own: a draft plan for
2018-Q1 over the whole org with a revenue goal of last quarter's actual x 1.05, generated with
the default settings (the global forecast, equal difficulty, the elastic decomposition); the
targets, the achievement probabilities and what had to give are read back from the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Rep
from backend.db.repositories import imports as repo
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as plan_repo
from backend.db.repositories import reps as rep_repo
from backend.services.access import SYSTEM
from backend.services.planning.generation import generate_plan
from backend.services.planning.goals import GoalInput
from backend.services.planning.plans import NewPlan, create_plan
from solver.planning.months import add_months, months_between

QUARTER = date(2018, 1, 1)
UPLIFT = 1.05


@dataclass(frozen=True)
class AgentTargets:
    rep_id: int
    name: str
    months: tuple[float, ...]
    probabilities: tuple[float, ...]  # P(achieve) of each month's target
    history_months: int

    @property
    def total(self) -> float:
        return sum(self.months)


@dataclass(frozen=True)
class QuarterTargets:
    plan_id: int
    months: tuple[date, ...]
    goal: float
    last_quarter_actual: float
    probability: float | None  # the common level of equal difficulty, if it held
    forecast_method: str
    relaxations: int
    agents: list[AgentTargets]


async def _last_quarter_revenue(session: AsyncSession, reps: list[Rep]) -> float:
    start = add_months(QUARTER, -3)
    actuals = await rep_repo.actuals(
        session, [r.id or 0 for r in reps], metric_codes=["revenue"], from_month=start
    )
    return sum(a.value for rows in actuals.values() for a in rows if start <= a.month < QUARTER)


async def sample_targets(session: AsyncSession) -> QuarterTargets:
    """Plan 2018-Q1 for the imported Maven sample and read the targets back."""
    reps = [r for r in await repo.everything(session, Rep) if r.leave_date is None]
    root = next(u for u in await org_repo.all_units(session) if u.parent_id is None)
    last_quarter = await _last_quarter_revenue(session, reps)
    plan = await create_plan(
        session,
        principal=SYSTEM,
        new=NewPlan(
            name="Maven sample 2018-Q1",
            scope_org_id=root.id or 0,
            period_kind="quarter",
            year=QUARTER.year,
            quarter=1,
            goals=[GoalInput("revenue", round(last_quarter * UPLIFT, 2))],
        ),
    )
    outcome = await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
    metric = (await plan_repo.metrics_by_code(session))["revenue"]
    rows = await plan_repo.targets(session, plan.id or 0, metric_ids=[metric.id or 0])
    by_rep: dict[int, list[tuple[float, float]]] = {}
    for row in rows:
        by_rep.setdefault(row.rep_id, []).append((row.value, row.probability or 0.0))
    agents = [
        AgentTargets(
            rep_id=r.id or 0,
            name=r.name,
            months=tuple(v for v, _ in by_rep.get(r.id or 0, [])),
            probabilities=tuple(p for _, p in by_rep.get(r.id or 0, [])),
            history_months=_months_employed(r.hire_date),
        )
        for r in sorted(reps, key=lambda r: r.name)
    ]
    return QuarterTargets(
        plan_id=plan.id or 0,
        months=tuple(add_months(QUARTER, k) for k in range(3)),
        goal=round(last_quarter * UPLIFT, 2),
        last_quarter_actual=last_quarter,
        probability=outcome.probability.get("revenue"),
        forecast_method=outcome.forecast_method,
        relaxations=len(outcome.relaxations),
        agents=agents,
    )


def _months_employed(hire: date) -> int:
    """Months of history before the quarter (at most the year the forecast looks at)."""
    return max(0, min(12, months_between(hire, QUARTER)))
