"""Adjustment requests on active plans: asked by a rep (own targets) or a manager (in scope),
previewed with the system's proposal, decided by someone else within scope, applied as dated
target revisions.

Segregation of duties: nobody decides a request they made or one about their own targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    AdjustmentAttachment,
    AdjustmentRequest,
    Metric,
    Plan,
)
from backend.db.models._base import utcnow
from backend.db.models.adjustments import ADJUSTMENT_REASONS
from backend.db.repositories import adjustments as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.adjustments.apply import apply_proposal
from backend.services.adjustments.lines import proposal_lines, record_approved
from backend.services.adjustments.notices import decided, requested
from backend.services.adjustments.proposal import Proposal, propose_total
from backend.services.adjustments.reading import get_request, subject_team_path
from backend.services.adjustments.team import TeamState, team_state
from backend.services.errors import DomainError, ErrorCode, Problems, stale
from backend.services.planning.common import visible_plan
from backend.services.planning.targets import metric_by_code

#: Reasons a rep or manager gives for a request or a relief (people changes have their own).
REQUEST_REASONS = (
    "market_change",
    "territory_change",
    "leave",
    "deal_slipped",
    "key_account_lost",
    "other",
)
RELIEF_REASONS = (*REQUEST_REASONS, "shared_deal", "territory_moved")
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "text/plain",
        "text/csv",
        "message/rfc822",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
MAX_ATTACHMENT = 5 * 1024 * 1024
assert set(RELIEF_REASONS) <= set(ADJUSTMENT_REASONS)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class AdjustmentInput:
    """What is asked: a rep's new period total for a metric from an effective date.

    ``kind`` "request": the team absorbs the difference (what it cannot is goal relief);
    "relief": the goal gives all of it (quota relief), nobody else moves."""

    plan_id: int
    rep_id: int
    metric_code: str
    period_total: float
    reason: str
    reason_text: str
    effective_date: date
    kind: str = "request"


def _check(data: AdjustmentInput, plan: Plan, problems: Problems) -> None:
    reasons = REQUEST_REASONS if data.kind == "request" else RELIEF_REASONS
    if data.kind not in ("request", "relief"):
        problems.invalid("kind", "a request or a relief")
    if data.reason not in reasons:
        problems.invalid("reason", f"one of {', '.join(reasons)}")
    if not data.reason_text.strip():
        problems.invalid("reasonText", "say what happened: the approver reads it")
    elif len(data.reason_text) > 4000:
        problems.invalid("reasonText", "at most 4,000 characters")
    if not plan.period_start <= data.effective_date <= plan.period_end:
        problems.invalid(
            "effectiveDate", f"within the plan's period ({plan.period_start} to {plan.period_end})"
        )
    if not math.isfinite(data.period_total) or data.period_total < 0:
        problems.invalid("periodTotal", "a target is a number, 0 or more")


def _check_attachment(attachment: Attachment | None, problems: Problems) -> None:
    if attachment is None:
        return
    if attachment.content_type not in ATTACHMENT_TYPES:
        problems.invalid("attachment", "a PDF, image, text, CSV, e-mail, XLSX or DOCX file")
    if len(attachment.content) > MAX_ATTACHMENT:
        problems.invalid("attachment", "at most 5 MB")
    if not attachment.filename.strip() or len(attachment.filename) > 200:
        problems.invalid("attachment", "a file name of 1 to 200 characters")


async def _state(
    session: AsyncSession, principal: Principal, data: AdjustmentInput, as_of: date
) -> tuple[Plan, Metric, str, TeamState]:
    plan, _ = await visible_plan(session, data.plan_id, principal)
    if plan.status != "active":
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"the plan is {plan.status}: targets are adjusted only in an active plan",
            "planId",
        )
    team_path = await subject_team_path(session, principal, data.rep_id)
    metric = await metric_by_code(session, data.metric_code)
    state = await team_state(session, plan, metric, team_path, data.rep_id, as_of)
    return plan, metric, team_path, state


async def preview(
    session: AsyncSession, *, principal: Principal, data: AdjustmentInput, as_of: date
) -> Proposal:
    """The system's proposal for ``data``; nothing is written."""
    problems = Problems()
    plan, _, _, state = await _state(session, principal, data, as_of)
    _check(data, plan, problems)
    problems.raise_if_any()
    return propose_total(
        state,
        data.rep_id,
        data.period_total,
        effective=data.effective_date,
        redistribute=data.kind == "request",
    )


async def request(
    session: AsyncSession,
    *,
    principal: Principal,
    data: AdjustmentInput,
    as_of: date,
    attachment: Attachment | None = None,
) -> AdjustmentRequest:
    """Open a pending request with the system's proposal; the deciders in scope are told."""
    problems = Problems()
    plan, metric, team_path, state = await _state(session, principal, data, as_of)
    _check(data, plan, problems)
    _check_attachment(attachment, problems)
    problems.raise_if_any()
    if await repo.pending_for_subject(session, plan.id or 0, metric.id or 0, data.rep_id):
        raise DomainError.single(
            ErrorCode.CONFLICT,
            "a request for this rep's targets is already waiting for a decision",
            "repId",
        )
    proposal = propose_total(
        state,
        data.rep_id,
        data.period_total,
        effective=data.effective_date,
        redistribute=data.kind == "request",
    )
    row = AdjustmentRequest(
        plan_id=plan.id or 0,
        metric_id=metric.id or 0,
        kind=data.kind,
        reason=data.reason,
        reason_text=data.reason_text.strip(),
        effective_date=data.effective_date,
        policy="redistribute" if data.kind == "request" else "relieve",
        requested_by=principal.username,
        requester_rep_id=principal.rep_id,
        subject_rep_id=data.rep_id,
        node_id=proposal.node_id,
        org_path=team_path,
        proposal=proposal.to_json(),
        goal_relief=proposal.relief,
    )
    session.add(row)
    await session.flush()
    session.add_all(proposal_lines(row.id or 0, proposal))
    if attachment is not None:
        session.add(
            AdjustmentAttachment(
                request_id=row.id or 0,
                filename=attachment.filename.strip(),
                content_type=attachment.content_type,
                content=attachment.content,
            )
        )
    await audit.record(
        session,
        actor=principal.username,
        action="request_adjustment",
        entity="adjustment_request",
        entity_id=row.id,
        before=None,
        after={
            "plan_id": plan.id,
            "rep_id": data.rep_id,
            "metric": metric.code,
            "kind": data.kind,
            "period_total": data.period_total,
            "effective_date": data.effective_date.isoformat(),
        },
        reason=data.reason_text,
        org_path=team_path,
    )
    await requested(session, request=row, plan=plan, metric=metric)
    return row


async def _for_decision(
    session: AsyncSession, principal: Principal, request_id: int, expected_version: int
) -> AdjustmentRequest:
    row = await get_request(session, principal=principal, request_id=request_id)
    if row.version != expected_version:
        raise stale("AdjustmentRequest", row.version)
    if row.status != "pending":
        raise DomainError.single(
            ErrorCode.CONFLICT, f"the request is already {row.status}", "requestId"
        )
    return row


def _segregate(principal: Principal, row: AdjustmentRequest) -> None:
    if principal.username == row.requested_by:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "nobody decides a request they made", "requestId"
        )
    if principal.rep_id is not None and principal.rep_id == row.subject_rep_id:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "nobody decides a change of their own targets", "requestId"
        )


async def decide(
    session: AsyncSession,
    *,
    principal: Principal,
    request_id: int,
    expected_version: int,
    approve: bool,
    reason: str,
    as_of: date,
    period_total: float | None = None,
) -> AdjustmentRequest:
    """Approve (as asked, or with the approver's ``period_total``) or refuse with a reason.

    An approval is proposed again on today's targets and actuals (the team may have changed
    since the request) and applied as dated revisions."""
    row = await _for_decision(session, principal, request_id, expected_version)
    _segregate(principal, row)
    if not reason.strip() and not approve:
        raise DomainError.single(ErrorCode.INVALID, "say why the request is refused", "reason")
    if len(reason) > 4000:
        raise DomainError.single(ErrorCode.INVALID, "at most 4,000 characters", "reason")
    plan = await session.get(Plan, row.plan_id)
    metric = await session.get(Metric, row.metric_id)
    assert plan is not None and metric is not None
    before = {"status": row.status, "version": row.version}
    if approve and row.kind == "people_change":  # the subject's months, not a period total
        from backend.services.adjustments import people  # people imports this module

        row.goal_relief = await people.approve(session, principal=principal, row=row, as_of=as_of)
    elif approve:
        stored = Proposal.from_json(row.proposal)
        total = stored.requested_total if period_total is None else period_total
        data = AdjustmentInput(
            plan_id=row.plan_id,
            rep_id=row.subject_rep_id or 0,
            metric_code=metric.code,
            period_total=total,
            reason=row.reason,
            reason_text=row.reason_text,
            effective_date=row.effective_date,
            kind=row.kind,
        )
        _, _, team_path, state = await _state(session, principal, data, as_of)
        final = propose_total(
            state,
            data.rep_id,
            total,
            effective=row.effective_date,
            redistribute=row.kind == "request",
        )
        await apply_proposal(
            session,
            state,
            final,
            effective=row.effective_date,
            source=row.kind,
            actor=principal.username,
            reason=f"{row.reason}: {row.reason_text}",
            adjustment_id=row.id,
            team_path=team_path,
        )
        await record_approved(session, row.id or 0, final)
        row.goal_relief = final.relief
    row.status = "approved" if approve else "refused"
    row.decided_by = principal.username
    row.decided_at = utcnow()
    row.decision_reason = reason.strip()
    row.version += 1
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action="approve_adjustment" if approve else "refuse_adjustment",
        entity="adjustment_request",
        entity_id=row.id,
        before=before,
        after={"status": row.status, "version": row.version, "relief": row.goal_relief},
        reason=reason,
        org_path=row.org_path,
    )
    await decided(session, request=row, plan=plan, metric=metric)
    return row


async def withdraw(
    session: AsyncSession, *, principal: Principal, request_id: int, expected_version: int
) -> AdjustmentRequest:
    """The requester takes a pending request back."""
    row = await _for_decision(session, principal, request_id, expected_version)
    if principal.username != row.requested_by:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "only the requester withdraws a request", "requestId"
        )
    row.status = "withdrawn"
    row.version += 1
    session.add(row)
    await audit.record(
        session,
        actor=principal.username,
        action="withdraw_adjustment",
        entity="adjustment_request",
        entity_id=row.id,
        before={"status": "pending"},
        after={"status": "withdrawn"},
        org_path=row.org_path,
    )
    await session.flush()
    return row
