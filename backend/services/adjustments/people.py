"""People changes inside a running period: a rep leaves or is absent, and their months change.

Each change sets the subject's new months and handles the difference by the plan's policy
(``Plan.adjustment_policy``): ``redistribute`` (the team absorbs it; what it cannot take is goal
relief), ``relieve`` (the goals on the path give all of it) or ``ask`` (nothing is applied: a
pending people-change request is opened, decided with ``requests.decide``). An applied change
is recorded as an approved ``AdjustmentRequest`` of kind ``people_change`` with its lines, and
its target revisions carry ``source="people_change"``.

>>> kept_fractions([date(2026, 1, 1), date(2026, 2, 1)], date(2026, 1, 1), date(2026, 1, 31))
[0.0, 1.0]
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest, Metric, Plan
from backend.db.models._base import utcnow
from backend.db.models.adjustments import ADJUSTMENT_POLICIES
from backend.db.repositories import adjustments as repo
from backend.db.repositories import people as people_repo
from backend.db.repositories import planning as plan_repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.adjustments.apply import apply_proposal
from backend.services.adjustments.lines import proposal_lines, record_approved
from backend.services.adjustments.notices import requested
from backend.services.adjustments.proposal import Proposal, propose
from backend.services.adjustments.team import TeamState, team_state
from backend.services.errors import DomainError, ErrorCode, Problems, stale
from backend.services.planning.common import claim_version, period_months, plan_for_change
from backend.services.reps import get_rep
from solver.planning.adjustments import prorate
from solver.types import FloatArray

#: Statuses in which a plan's people-change policy may still be set.
POLICY_STATUSES = ("draft", "approved", "active")


def kept_fractions(months: list[date], start: date, end: date) -> list[float]:
    """Each month's share of days outside ``start..end`` (inclusive): 1 untouched, 0 when
    the whole month lies inside."""
    out = []
    for month in months:
        days = calendar.monthrange(month.year, month.month)[1]
        last = month.replace(day=days)
        inside = (min(end, last) - max(start, month)).days + 1
        out.append(1.0 - max(inside, 0) / days)
    return out


@dataclass(frozen=True)
class Change:
    """A people change of one rep in one plan and metric, from ``effective``."""

    plan: Plan
    metric: Metric
    rep_id: int
    team_path: str
    effective: date
    reason: str
    reason_text: str


MonthsOf = Callable[[TeamState], FloatArray]


async def change_months(
    session: AsyncSession,
    *,
    actor: str,
    change: Change,
    months_of: MonthsOf,
    as_of: date,
    requester_rep_id: int | None = None,
) -> AdjustmentRequest:
    """Set the subject's months (``months_of`` the loaded team) and apply the plan's policy."""
    plan, metric = change.plan, change.metric
    state = await team_state(session, plan, metric, change.team_path, change.rep_id, as_of)
    months = months_of(state)
    policy = plan.adjustment_policy
    proposal = propose(
        state,
        {change.rep_id: months},
        effective=change.effective,
        redistribute=policy != "relieve",
        requested_total=float(months.sum()),
    )
    row = await _record(session, actor, requester_rep_id, change, proposal, policy)
    if policy == "ask":
        await requested(session, request=row, plan=plan, metric=metric)
        return row
    await apply_proposal(
        session,
        state,
        proposal,
        effective=change.effective,
        source="people_change",
        actor=actor,
        reason=f"{change.reason}: {change.reason_text}",
        adjustment_id=row.id,
        team_path=change.team_path,
    )
    await record_approved(session, row.id or 0, proposal)
    return row


async def _record(
    session: AsyncSession,
    actor: str,
    requester_rep_id: int | None,
    change: Change,
    proposal: Proposal,
    policy: str,
) -> AdjustmentRequest:
    """The adjustment row and its lines: pending under ``ask``, approved otherwise."""
    asked = policy == "ask"
    if asked and await repo.pending_for_subject(
        session, change.plan.id or 0, change.metric.id or 0, change.rep_id
    ):
        raise DomainError.single(
            ErrorCode.CONFLICT,
            "a request for this rep's targets is already waiting for a decision",
            "repId",
        )
    row = AdjustmentRequest(
        plan_id=change.plan.id or 0,
        metric_id=change.metric.id or 0,
        kind="people_change",
        reason=change.reason,
        reason_text=change.reason_text,
        effective_date=change.effective,
        policy=policy,
        status="pending" if asked else "approved",
        requested_by=actor,
        requester_rep_id=requester_rep_id,
        subject_rep_id=change.rep_id,
        node_id=proposal.node_id,
        org_path=change.team_path,
        proposal=proposal.to_json(),
        goal_relief=proposal.relief,
        decided_by=None if asked else actor,
        decided_at=None if asked else utcnow(),
    )
    session.add(row)
    await session.flush()
    session.add_all(proposal_lines(row.id or 0, proposal))
    await session.flush()
    return row


async def approve(
    session: AsyncSession, *, principal: Principal, row: AdjustmentRequest, as_of: date
) -> float:
    """Apply a pending people change as ``requests.decide`` approves it: the subject's stored
    months, re-proposed on today's team (which absorbs the difference; what it cannot take is
    goal relief). Returns the relief."""
    plan = await session.get(Plan, row.plan_id)
    metric = await session.get(Metric, row.metric_id)
    assert plan is not None and metric is not None
    team_path = await plan_repo.team_path_of(session, row.subject_rep_id or 0)
    if team_path is None:
        raise DomainError.single(ErrorCode.NOT_FOUND, "the rep no longer exists", "requestId")
    stored = Proposal.from_json(row.proposal)
    months = np.asarray(stored.subject.after, dtype=np.float64)
    state = await team_state(session, plan, metric, team_path, row.subject_rep_id or 0, as_of)
    final = propose(
        state,
        {row.subject_rep_id or 0: months},
        effective=row.effective_date,
        redistribute=True,
        requested_total=float(months.sum()),
    )
    await apply_proposal(
        session,
        state,
        final,
        effective=row.effective_date,
        source="people_change",
        actor=principal.username,
        reason=f"{row.reason}: {row.reason_text}",
        adjustment_id=row.id,
        team_path=team_path,
    )
    await record_approved(session, row.id or 0, final)
    return final.relief


def _check_text(reason: str, problems: Problems) -> None:
    if not reason.strip():
        problems.invalid("reason", "say what happened: it is kept with the change")
    elif len(reason) > 4000:
        problems.invalid("reason", "at most 4,000 characters")


async def _plans_holding(
    session: AsyncSession, rep_id: int, start: date, end: date, field: str
) -> list[tuple[Plan, Metric]]:
    """The rep's active plans (and metrics) whose period meets ``start..end``; refused when
    the rep has active plans and none of them does."""
    held = await people_repo.active_plan_metrics(session, rep_id)
    meeting = [(p, m) for p, m in held if start <= p.period_end and end >= p.period_start]
    if held and not meeting:
        first = min(p.period_start for p, _ in held)
        last = max(p.period_end for p, _ in held)
        raise DomainError.single(
            ErrorCode.INVALID, f"within the active plan's period ({first} to {last})", field
        )
    return meeting


async def record_leaving(
    session: AsyncSession,
    *,
    principal: Principal,
    rep_id: int,
    expected_version: int,
    leave_date: date,
    reason: str,
    as_of: date | None = None,
) -> list[AdjustmentRequest]:
    """A rep leaves on ``leave_date`` (their last day): in every active plan holding their
    targets, the months after it become 0 and its month keeps the share of days worked."""
    rep = await get_rep(session, rep_id, principal.scope)
    if rep.version != expected_version:
        raise stale("Rep", rep.version)
    problems = Problems()
    _check_text(reason, problems)
    if leave_date < rep.hire_date:
        problems.invalid("leaveDate", f"not before the hire date ({rep.hire_date})")
    problems.raise_if_any()
    held = await _plans_holding(session, rep_id, leave_date, leave_date, "leaveDate")
    before = {"leave_date": str(rep.leave_date), "version": rep.version}
    rep.leave_date, rep.version = leave_date, rep.version + 1
    session.add(rep)
    team_path = await plan_repo.team_path_of(session, rep_id) or ""
    await audit.record(
        session,
        actor=principal.username,
        action="record_leaving",
        entity="rep",
        entity_id=rep_id,
        before=before,
        after={"leave_date": leave_date.isoformat(), "version": rep.version},
        reason=reason,
        org_path=team_path,
    )
    rows = []
    for plan, metric in held:
        # the leave date is the last day worked: the days after it are absent
        gone = kept_fractions(period_months(plan), _day_after(leave_date), plan.period_end)
        kept = np.asarray(gone)
        change = Change(plan, metric, rep_id, team_path, leave_date, "leaving", reason.strip())
        rows.append(
            await change_months(
                session,
                actor=principal.username,
                requester_rep_id=principal.rep_id,
                change=change,
                months_of=_scaled(rep_id, kept, metric.is_integer),
                as_of=as_of or date.today(),
            )
        )
    return rows


def _day_after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _scaled(rep_id: int, kept: FloatArray, integer: bool) -> MonthsOf:
    """The subject's current months scaled by the share of each month kept."""

    def months_of(state: TeamState) -> FloatArray:
        current = state.cells.targets[state.row_of(rep_id)]
        return prorate(current, kept, integer=integer)

    return months_of


async def record_absence(
    session: AsyncSession,
    *,
    principal: Principal,
    rep_id: int,
    start: date,
    end: date,
    reason: str,
    as_of: date | None = None,
) -> list[AdjustmentRequest]:
    """A leave of absence ``start..end`` (inclusive): in every active plan holding the rep's
    targets, each month keeps the share of its days outside the absence."""
    rep = await get_rep(session, rep_id, principal.scope)
    problems = Problems()
    _check_text(reason, problems)
    if end < start:
        problems.invalid("end", "the absence ends on or after its start")
    if start < rep.hire_date:
        problems.invalid("start", f"not before the hire date ({rep.hire_date})")
    problems.raise_if_any()
    held = await _plans_holding(session, rep_id, start, end, "start")
    team_path = await plan_repo.team_path_of(session, rep_id) or ""
    rows = []
    for plan, metric in held:
        kept = np.asarray(kept_fractions(period_months(plan), start, end))
        change = Change(plan, metric, rep_id, team_path, start, "absence", reason.strip())
        rows.append(
            await change_months(
                session,
                actor=principal.username,
                requester_rep_id=principal.rep_id,
                change=change,
                months_of=_scaled(rep_id, kept, metric.is_integer),
                as_of=as_of or date.today(),
            )
        )
    return rows


async def set_adjustment_policy(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    expected_version: int,
    policy: str,
) -> Plan:
    """How the plan's people changes are handled; the plan's scope must lie within the
    caller's, and the plan be draft, approved or active."""
    plan, unit = await plan_for_change(session, plan_id, principal, editable=False)
    if plan.status not in POLICY_STATUSES:
        raise DomainError.single(
            ErrorCode.CONFLICT, f"the plan is {plan.status}: its policy is settled", "planId"
        )
    if policy not in ADJUSTMENT_POLICIES:
        raise DomainError.single(
            ErrorCode.INVALID, f"one of {', '.join(ADJUSTMENT_POLICIES)}", "policy"
        )
    await claim_version(session, plan, expected=expected_version)
    before = plan.adjustment_policy
    plan.adjustment_policy = policy
    session.add(plan)
    await audit.record(
        session,
        actor=principal.username,
        action="set_adjustment_policy",
        entity="plan",
        entity_id=plan.id,
        before={"adjustment_policy": before},
        after={"adjustment_policy": policy, "version": plan.version},
        org_path=unit.path,
    )
    await session.flush()
    return plan
