"""`quotient bench planning`'s people-change cases, on the plan the planning bench generated:

- ``adjustment_preview``: ``requests.preview`` of a rep of the 50-rep team (goal <= 300 ms);
- ``people_change_1k``: a reorganisation moving every rep with targets to another team in one
  transaction (goal <= 10 s), with every goal checked independently afterwards against the
  sum of the targets beneath its node, and the revisions it wrote counted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

AS_OF = date(2026, 11, 26)
Emit = Callable[..., None]


async def bench_people(url: str, plan_id: int, team_id: int, runs: int, emit: Emit) -> None:
    from sqlalchemy import update
    from sqlmodel import col

    from backend.db.engine import create_engine, session_factory
    from backend.db.models import Plan

    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await session.execute(update(Plan).where(col(Plan.id) == plan_id).values(status="active"))
        await session.commit()
        await _preview(session, plan_id, team_id, runs, emit)
        await _reorganise(session, plan_id, emit)
    await engine.dispose()


async def _preview(session: Any, plan_id: int, team_id: int, runs: int, emit: Emit) -> None:
    from sqlmodel import col, select

    from backend.db.models import Metric, Rep, Target
    from backend.services.access import SYSTEM
    from backend.services.adjustments import requests

    reps = (await session.exec(select(Rep.id).where(col(Rep.team_id) == team_id))).all()
    revenue = select(Metric.id).where(col(Metric.code) == "revenue").scalar_subquery()
    rows = (
        await session.exec(
            select(col(Target.rep_id), col(Target.month), col(Target.value)).where(
                col(Target.plan_id) == plan_id,
                col(Target.rep_id).in_(reps),
                col(Target.metric_id) == revenue,
            )
        )
    ).all()
    first = AS_OF.replace(day=1)
    # the rep with the most still to do: a leaver's later months are 0, nothing to change
    left_by_rep: dict[int, float] = {}
    for r, m, v in rows:
        left_by_rep[r] = left_by_rep.get(r, 0.0) + (v if m >= first else 0.0)
    rep_id = max(sorted(left_by_rep), key=lambda r: left_by_rep[r])
    done = sum(v for r, m, v in rows if r == rep_id and m < first)  # months nobody changes
    left = left_by_rep[rep_id]
    times, moved = [], []
    for k in range(max(runs * 4, 20)):
        data = requests.AdjustmentInput(
            plan_id=plan_id,
            rep_id=rep_id,
            metric_code="revenue",
            period_total=done + left * (0.8 + 0.02 * k),  # lower asks, then higher ones
            reason="key_account_lost",
            reason_text="bench",
            effective_date=AS_OF,
        )
        start = time.perf_counter()
        proposal = await requests.preview(session, principal=SYSTEM, data=data, as_of=AS_OF)
        times.append((time.perf_counter() - start) * 1000)
        moved.append(sum(1 for m in proposal.moves if m.role == "absorbs"))
    emit(
        "adjustment_preview",
        ms=round(statistics.median(times), 1),
        ms_max=round(max(times), 1),
        team_reps=len(reps),
        absorbing_median=statistics.median(moved),  # teammates moved per preview
        absorbing_lower_asks=statistics.median(moved[: len(moved) // 2]),
        calls=len(times),
        transport="service call (requests.preview) in process",
        target_ms=300,
    )


async def _reorganise(session: Any, plan_id: int, emit: Emit) -> None:
    from sqlmodel import col, func, select

    from backend.db.models import OrgUnit, Rep, Target, TargetRevision
    from backend.services.access import SYSTEM
    from backend.services.adjustments import people_bulk

    holders = select(Target.rep_id).where(col(Target.plan_id) == plan_id).distinct()
    reps = (await session.exec(select(Rep).where(col(Rep.id).in_(holders)))).all()
    teams = sorted(
        (await session.exec(select(OrgUnit.id).where(col(OrgUnit.kind) == "team"))).all()
    )
    # each rep to the next team round the list: every rep moves, every team gives and takes
    nxt = {t: teams[(k + 1) % len(teams)] for k, t in enumerate(teams)}
    moves = [(int(r.id), int(nxt[r.team_id])) for r in reps]
    start = time.perf_counter()
    done = await people_bulk.reorganise(
        session, principal=SYSTEM, moves=moves, effective_date=AS_OF, reason="bench"
    )
    await session.commit()
    seconds = time.perf_counter() - start
    count = select(func.count()).select_from(TargetRevision)
    emit(
        "people_change_1k",
        seconds=round(seconds, 2),
        reps_moved=done.reps,
        teams=len(teams),
        goals_moved=done.goals_moved,
        revisions=int((await session.exec(count)).one()),
        goals_exact=await _goals_exact(session, plan_id),
        target_s=10,
    )


async def _goals_exact(session: Any, plan_id: int) -> bool:
    """Every goal of an additive metric equals the sum of the targets of the reps beneath its
    node now (read straight from the tables, not from the service's arithmetic)."""
    from sqlmodel import col, func, select

    from backend.db.models import Metric, OrgUnit, PlanGoal, Rep, Target

    sums = (
        await session.exec(
            select(Target.metric_id, OrgUnit.path, func.sum(Target.value))
            .join(Rep, col(Rep.id) == col(Target.rep_id))
            .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
            .where(col(Target.plan_id) == plan_id)
            .group_by(col(Target.metric_id), col(OrgUnit.path))
        )
    ).all()
    additive = set(
        (await session.exec(select(Metric.id).where(col(Metric.kind) == "additive"))).all()
    )
    goals = (
        await session.exec(
            select(PlanGoal, OrgUnit)
            .join(OrgUnit, col(OrgUnit.id) == col(PlanGoal.org_unit_id))
            .where(col(PlanGoal.plan_id) == plan_id)
        )
    ).all()
    for goal, unit in goals:
        if goal.metric_id not in additive:
            continue
        beneath = sum(v for m, p, v in sums if m == goal.metric_id and p.startswith(unit.path))
        if abs(goal.value - beneath) > 1e-6 * max(1.0, abs(beneath)):
            return False
    return True
