"""Alert evaluation as a job: after every change of actuals, and every hour.

``request_evaluation`` enqueues it in the caller's transaction (an import's commit, a
``recordActuals`` call), under one dedupe key per plan, so a burst of batches queues one
evaluation; the hourly schedule catches what moves with time alone (a week ending behind
pace, days without a sale).
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan
from backend.services.alerts.evaluation import evaluate_active_plans, evaluate_plan
from backend.services.jobs.kinds import JobContext, job_kind
from backend.services.jobs.queue import enqueue
from backend.services.jobs.schedules import Schedule


class EvaluateAlerts(BaseModel):
    """One plan (None: every active plan) as of a day (None: the day the job runs)."""

    plan_id: int | None = None
    as_of: date | None = None


@job_kind("alerts.evaluate", payload=EvaluateAlerts, max_attempts=3, timeout=timedelta(minutes=5))
async def evaluate(ctx: JobContext, payload: EvaluateAlerts) -> None:
    as_of = payload.as_of or ctx.now.date()
    if payload.plan_id is None:
        await evaluate_active_plans(ctx.session, as_of=as_of)
        return
    plan = await ctx.session.get(Plan, payload.plan_id)
    if plan is not None and plan.status == "active" and plan.period_start <= as_of:
        await evaluate_plan(ctx.session, plan_id=payload.plan_id, as_of=as_of)


HOURLY = Schedule(
    "alerts-hourly", evaluate, every=timedelta(hours=1), payload=lambda _: EvaluateAlerts()
)


async def request_evaluation(session: AsyncSession) -> None:
    """Queue an evaluation of each active plan (one queued job per plan at most)."""
    query = sa_select(col(Plan.id)).where(col(Plan.status) == "active")
    for plan_id in (await session.execute(query)).scalars():
        await enqueue(
            session,
            kind=evaluate,
            payload=EvaluateAlerts(plan_id=int(plan_id)),
            dedupe_key=f"alerts.evaluate:{plan_id}",
        )
