"""Cloning a plan: a new draft with its goals, settings, targets and distributions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Plan, PlanGoal, Target
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import planning as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.errors import Problems
from backend.services.planning.common import plan_for_change, plan_snapshot
from backend.services.planning.generation import generate_plan
from backend.services.planning.goals import GoalInput, replace_goals
from backend.services.planning.outcome import copy_outcome
from backend.services.planning.plans import check_settings
from solver.planning import PlanSettings


async def clone_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    name: str,
    strategy: str | None = None,
    constraints: PlanSettings | None = None,
    goals: Sequence[GoalInput] | None = None,
) -> Plan:
    """A new draft copying the plan's goals, settings, targets and distributions, and what
    had to give; a strategy, constraints or goals given replace the plan's (what is not given
    stays) and then the clone's targets are generated anew under them (locks kept), so a
    scenario differs from its plan wherever the change matters."""
    source, unit = await plan_for_change(session, plan_id, principal, editable=False)
    if not name.strip():
        problems = Problems()
        problems.invalid("name", "name must not be empty")
        problems.raise_if_any()
    clone = Plan(
        name=name.strip(),
        scope_org_id=source.scope_org_id,
        period_start=source.period_start,
        period_end=source.period_end,
        period_kind=source.period_kind,
        growth_rate=source.growth_rate,
        strategy=source.strategy,
        constraints=dict(source.constraints),
        cloned_from_id=source.id,
        created_by=principal.username,
        forecast_method=source.forecast_method,
        generated_at=source.generated_at,
    )
    if strategy is not None or constraints is not None:
        stored = PlanSettings.from_plan(source.strategy, source.constraints)
        settings = stored.changed(strategy=strategy, constraints=constraints)
        problems = Problems()
        check_settings(settings, problems)
        problems.raise_if_any()
        clone.strategy = settings.strategy
        clone.constraints = {**settings.to_json(), "_basis": source.constraints.get("_basis", {})}
    session.add(clone)
    await session.flush()
    await _copy_rows(session, source.id or 0, clone.id or 0)
    await copy_outcome(session, source_id=source.id or 0, clone_id=clone.id or 0)
    if goals is not None:
        await replace_goals(session, clone, unit, goals)
    await audit.record(
        session,
        actor=principal.username,
        action="clone",
        entity="plan",
        entity_id=clone.id,
        before=None,
        after={**plan_snapshot(clone), "cloned_from": source.id},
        org_path=unit.path,
    )
    changed = strategy is not None or constraints is not None or goals is not None
    if changed and source.generated_at is not None:
        await generate_plan(session, principal=principal, plan_id=clone.id or 0)
    return clone


async def _copy_rows(session: AsyncSession, source_id: int, clone_id: int) -> None:
    goals = [
        {
            "plan_id": clone_id,
            "metric_id": g.metric_id,
            "org_unit_id": g.org_unit_id,
            "value": g.value,
            "source": g.source,
        }
        for g in await repo.goals(session, source_id)
    ]
    targets = [
        {
            "plan_id": clone_id,
            "rep_id": t.rep_id,
            "metric_id": t.metric_id,
            "month": t.month,
            "value": t.value,
            "suggested": t.suggested,
            "probability": t.probability,
            "locked": t.locked,
            "explanation": t.explanation,
            "version": 1,
            "flags": t.flags,
        }
        for t in await repo.targets(session, source_id)
    ]
    dists = [
        {
            "plan_id": clone_id,
            "rep_id": d.rep_id,
            "metric_id": d.metric_id,
            "levels": d.levels,
            "period": d.period,
            "monthly": d.monthly,
            "bounds": d.bounds,
        }
        for d in await repo.distributions(session, source_id)
    ]
    await repo.insert_rows(session, PlanGoal, goals)
    await repo.insert_rows(session, Target, targets)
    await repo.insert_rows(session, TargetDistribution, dists)
