"""Adjustments of active plans: requests with the system's proposal, decisions, target
history. Thin resolvers over ``backend.services.adjustments``."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from backend.db.models import AdjustmentRequest as AdjustmentRequestModel
from backend.graphql.adjustments.types import (
    AdjustmentPayload,
    AdjustmentProposal,
    AdjustmentReason,
    AdjustmentRequest,
    AdjustmentRequestKind,
    AdjustmentRequestPage,
    AdjustmentStatus,
    TargetRevision,
)
from backend.graphql.context import Info
from backend.graphql.errors import as_graphql_error, atomic, or_graphql_error, query_id
from backend.graphql.imports import ExportedFile
from backend.graphql.types.common import offset_page_info, parse_id
from backend.services.access import Action
from backend.services.adjustments import reading, requests
from backend.services.errors import DomainError

ADJUSTMENT_POLICY: dict[str, Action] = {
    "adjustmentRequests": Action.READ,
    "adjustmentRequest": Action.READ,
    "adjustmentAttachment": Action.READ,
    "previewAdjustment": Action.REQUEST_ADJUSTMENTS,
    "targetHistory": Action.READ,
    "requestAdjustment": Action.REQUEST_ADJUSTMENTS,
    "withdrawAdjustment": Action.REQUEST_ADJUSTMENTS,
    "decideAdjustment": Action.DECIDE_ADJUSTMENTS,
}


@strawberry.input(description="A change of a rep's targets in an active plan.")
class AdjustmentInput:
    plan_id: strawberry.ID = strawberry.field(description="The active plan.")
    rep_id: strawberry.ID = strawberry.field(description="Whose targets (yours, as a rep).")
    period_total: float = strawberry.field(
        description="The new period total; months from the effective one are re-phased."
    )
    reason: AdjustmentReason = strawberry.field(description="Why.")
    reason_text: str = strawberry.field(description="What happened (required).")
    effective_date: dt.date = strawberry.field(description="From when (within the period).")
    metric: str = strawberry.field(default="revenue", description="An additive metric's code.")
    kind: AdjustmentRequestKind = strawberry.field(
        default=AdjustmentRequestKind.REQUEST,
        description="REQUEST: the team absorbs the difference; RELIEF: the goal gives.",
    )

    def to_service(self) -> requests.AdjustmentInput:
        return requests.AdjustmentInput(
            plan_id=parse_id(self.plan_id, "planId"),
            rep_id=parse_id(self.rep_id, "repId"),
            metric_code=self.metric,
            period_total=self.period_total,
            reason=self.reason.value,
            reason_text=self.reason_text,
            effective_date=self.effective_date,
            kind=self.kind.value,
        )


@strawberry.input(description="Approve or refuse a pending request.")
class DecideAdjustmentInput:
    request_id: strawberry.ID = strawberry.field(description="The request.")
    expected_version: int = strawberry.field(description="The request version you saw.")
    approve: bool = strawberry.field(description="True: apply it; false: refuse it.")
    reason: str = strawberry.field(default="", description="Why (required to refuse).")
    period_total: float | None = strawberry.field(
        default=None, description="Approve with this period total instead of the one asked."
    )


def _payload(row: AdjustmentRequestModel | None, errors: Any) -> AdjustmentPayload:
    return AdjustmentPayload(request=AdjustmentRequest(model=row) if row else None, errors=errors)


async def _attachment(upload: Any) -> requests.Attachment | None:
    if upload is None:
        return None
    data = await upload.read(requests.MAX_ATTACHMENT + 1)
    return requests.Attachment(
        filename=str(getattr(upload, "filename", "") or "attachment"),
        content_type=str(getattr(upload, "content_type", "") or "application/octet-stream"),
        content=data,
    )


@strawberry.type
class AdjustmentQuery:
    @strawberry.field(
        description="Adjustment requests you see, newest first: a rep's own (about them or"
        " made by them), a manager's subtree. toDecide: pending ones you may decide."
    )
    async def adjustment_requests(
        self,
        info: Info,
        plan_id: strawberry.ID | None = None,
        rep_id: strawberry.ID | None = None,
        statuses: list[AdjustmentStatus] | None = None,
        to_decide: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> AdjustmentRequestPage:
        which = reading.RequestFilter(
            plan_id=query_id(plan_id, "planId") if plan_id else None,
            rep_id=query_id(rep_id, "repId") if rep_id else None,
            statuses=tuple(s.value for s in statuses or ()),
            to_decide=to_decide,
        )
        async with info.context.db() as session:
            rows, total = await reading.list_requests(
                session, principal=info.context.principal, which=which, limit=limit, offset=offset
            )
        page = offset_page_info(offset=offset, count=len(rows), total=total)
        return AdjustmentRequestPage(
            items=[AdjustmentRequest(model=r) for r in rows], total_count=total, page_info=page
        )

    @strawberry.field(description="One adjustment request you see.")
    async def adjustment_request(self, info: Info, id: strawberry.ID) -> AdjustmentRequest:
        async with info.context.db() as session:
            row = await or_graphql_error(
                reading.get_request(
                    session, principal=info.context.principal, request_id=query_id(id)
                )
            )
        return AdjustmentRequest(model=row)

    @strawberry.field(description="A request's attachment, base64 (null: none).")
    async def adjustment_attachment(
        self, info: Info, request_id: strawberry.ID
    ) -> ExportedFile | None:
        async with info.context.db() as session:
            found = await or_graphql_error(
                reading.attachment_of(
                    session,
                    principal=info.context.principal,
                    request_id=query_id(request_id, "requestId"),
                )
            )
        if found is None:
            return None
        return ExportedFile(
            file_name=found.filename,
            content_type=found.content_type,
            base64=base64.b64encode(found.content).decode("ascii"),
        )

    @strawberry.field(
        description="What the system would propose for a change, without saving anything:"
        " the new target and P, who absorbs the difference, the goal relief."
    )
    async def preview_adjustment(self, info: Info, input: AdjustmentInput) -> AdjustmentProposal:
        try:
            data = input.to_service()
        except DomainError as refusal:  # a malformed id: readable, never a server error
            raise as_graphql_error(refusal) from None
        async with info.context.db() as session:
            proposal = await or_graphql_error(
                requests.preview(
                    session, principal=info.context.principal, data=data, as_of=dt.date.today()
                )
            )
        return AdjustmentProposal(proposal=proposal)

    @strawberry.field(description="Every dated change of a rep's targets in a plan, oldest first.")
    async def target_history(
        self, info: Info, plan_id: strawberry.ID, rep_id: strawberry.ID, metric: str = "revenue"
    ) -> list[TargetRevision]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                reading.target_history(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(plan_id, "planId"),
                    rep_id=query_id(rep_id, "repId"),
                    metric_code=metric,
                )
            )
        return [TargetRevision(model=r) for r in rows]


@strawberry.type
class AdjustmentMutation:
    @strawberry.mutation(
        description="Ask for a change of targets in an active plan (yours as a rep; in your"
        " scope as a manager); the system's proposal is stored and the deciders are told."
        " An optional attachment travels as a multipart upload (at most 5 MB)."
    )
    async def request_adjustment(
        self, info: Info, input: AdjustmentInput, attachment: Upload | None = None
    ) -> AdjustmentPayload:
        file = await _attachment(attachment)

        async def run(session: Any) -> AdjustmentRequestModel:
            return await requests.request(
                session,
                principal=info.context.principal,
                data=input.to_service(),
                as_of=dt.date.today(),
                attachment=file,
            )

        return _payload(*await atomic(info, run))

    @strawberry.mutation(
        description="Approve (as asked or with your total) or refuse a pending request in your"
        " scope; never one you made or one about your own targets."
    )
    async def decide_adjustment(
        self, info: Info, input: DecideAdjustmentInput
    ) -> AdjustmentPayload:
        async def run(session: Any) -> AdjustmentRequestModel:
            return await requests.decide(
                session,
                principal=info.context.principal,
                request_id=parse_id(input.request_id, "requestId"),
                expected_version=input.expected_version,
                approve=input.approve,
                reason=input.reason,
                as_of=dt.date.today(),
                period_total=input.period_total,
            )

        return _payload(*await atomic(info, run))

    @strawberry.mutation(description="Take back a pending request you made.")
    async def withdraw_adjustment(
        self, info: Info, request_id: strawberry.ID, expected_version: int
    ) -> AdjustmentPayload:
        async def run(session: Any) -> AdjustmentRequestModel:
            return await requests.withdraw(
                session,
                principal=info.context.principal,
                request_id=parse_id(request_id, "requestId"),
                expected_version=expected_version,
            )

        return _payload(*await atomic(info, run))
