"""Writing a change to an active plan: the targets (compare-and-set on each rep's version), one
dated revision per changed cell, the goals along the path when the team does not absorb all of
it, the plan's version (so every cached view of it is read again) and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import TargetRevision
from backend.db.repositories import adjustments as repo
from backend.db.repositories import planning as plan_repo
from backend.services import audit
from backend.services.adjustments.proposal import Proposal
from backend.services.adjustments.team import TeamState
from backend.services.errors import DomainError, ErrorCode
from backend.services.planning.common import claim_version
from backend.services.planning.override_rows import distribution


async def apply_proposal(
    session: AsyncSession,
    state: TeamState,
    proposal: Proposal,
    *,
    effective: date,
    source: str,
    actor: str,
    reason: str,
    adjustment_id: int | None = None,
    team_path: str,
) -> list[TargetRevision]:
    """Write ``proposal`` (read from ``state`` in this transaction); refuse as stale when any
    of its reps' targets or the plan changed since ``state`` was read."""
    plan, metric = state.plan, state.metric
    await claim_version(session, plan)
    updates: list[dict[str, Any]] = []
    revisions: list[TargetRevision] = []
    for move in proposal.moves:
        rows = state.node.rows[move.rep_id]
        dist = state.node.dists.get(move.rep_id)
        p_months = distribution(dist).p_months(move.after) if dist else [None] * len(rows)
        p_total = distribution(dist).p_period(move.total_after) if dist else None
        for m, t in enumerate(rows):
            updates.append(
                {
                    "id": t.id,
                    "expected": t.version,
                    "value": float(move.after[m]),
                    "probability": p_months[m],
                    "locked": True if move.role == "subject" else t.locked,
                    "version": t.version + 1,
                    "explanation": {
                        **(t.explanation or {}),
                        "period_total": move.total_after,
                        "period_probability": p_total,
                    },
                }
            )
            if abs(move.after[m] - t.value) > 1e-9:
                revisions.append(
                    TargetRevision(
                        target_id=t.id or 0,
                        plan_id=plan.id or 0,
                        rep_id=move.rep_id,
                        metric_id=metric.id or 0,
                        month=t.month,
                        before=t.value,
                        after=float(move.after[m]),
                        effective_date=effective,
                        source=source,
                        adjustment_id=adjustment_id,
                        actor=actor,
                        reason=reason,
                    )
                )
    if not await plan_repo.swap_targets(session, updates):
        raise DomainError.single(
            ErrorCode.STALE_VERSION,
            "the team's targets were changed by someone else meanwhile; reload and retry",
            "expectedVersion",
        )
    session.add_all(revisions)
    if abs(proposal.relief) > 1e-9:
        goals = await repo.goals_on_path(session, plan.id or 0, metric.id or 0, team_path)
        await repo.move_goals(session, [g.id or 0 for g, _ in goals], -proposal.relief)
    await audit.record(
        session,
        actor=actor,
        action=f"adjust_targets:{source}",
        entity="plan",
        entity_id=plan.id,
        before={
            "metric": metric.code,
            "reps": {str(m.rep_id): m.total_before for m in proposal.moves},
        },
        after={
            "metric": metric.code,
            "effective_date": effective.isoformat(),
            "adjustment_id": adjustment_id,
            "relief": proposal.relief,
            "reps": {str(m.rep_id): m.total_after for m in proposal.moves},
        },
        reason=reason,
        org_path=team_path,
    )
    await session.flush()
    return revisions
