"""Feedback on targets (#14): queries, mutations and who may call them.

Thin resolvers over ``backend.services.feedback``: a rep rates their own target, a manager
any in scope; someone else who decides adjustments responds; the review reads a summary.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from backend.db.models import TargetFeedback as TargetFeedbackModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic, or_graphql_error, query_id
from backend.graphql.types.common import PageInfo, UserError, offset_page_info, parse_id
from backend.services import feedback
from backend.services.access import Action

FEEDBACK_POLICY: dict[str, Action] = {
    "targetFeedback": Action.READ,
    "feedbackSummary": Action.READ,
    "giveFeedback": Action.REQUEST_ADJUSTMENTS,
    "respondToFeedback": Action.DECIDE_ADJUSTMENTS,
}


@strawberry.enum(description="How someone rates a target.")
class FeedbackRating(Enum):
    TOO_LOW = "too_low"
    FAIR = "fair"
    TOO_HIGH = "too_high"
    UNREACHABLE = "unreachable"


@strawberry.enum(description="A reason given with a rating.")
class FeedbackTag(Enum):
    MARKET = "market"
    TERRITORY = "territory"
    CUSTOMERS = "customers"
    PRODUCT = "product"
    PIPELINE = "pipeline"
    SEASONALITY = "seasonality"
    TEAM = "team"
    HISTORY = "history"
    OTHER = "other"


@strawberry.enum(description="Who gave feedback: the rep on their own target, or a manager.")
class FeedbackAuthorRole(Enum):
    REP = "rep"
    MANAGER = "manager"


@strawberry.enum(description="How the feedback summary groups reps.")
class FeedbackGrouping(Enum):
    RANK = "rank"
    REGION = "region"
    MANAGER = "manager"  # the rep's team: org units name no manager, a team lead leads a team


@strawberry.type(description="A rep's or a manager's view of one rep's target for one metric.")
class TargetFeedback:
    model: strawberry.Private[TargetFeedbackModel]

    @strawberry.field(description="Feedback id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="The plan.")
    def plan_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.plan_id))

    @strawberry.field(description="The rep whose target it is.")
    def rep_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.rep_id))

    @strawberry.field(description="The rep's name.")
    async def rep_name(self, info: Info) -> str:
        rep = await info.context.loaders.rep.load(self.model.rep_id)
        return rep.name if rep else f"rep {self.model.rep_id}"

    @strawberry.field(description="Code of the metric rated.")
    async def metric(self, info: Info) -> str:
        metric = await info.context.loaders.metric.load(self.model.metric_id)
        return metric.code if metric else ""

    @strawberry.field(description="The rep on their own target, or a manager.")
    def author_role(self) -> FeedbackAuthorRole:
        return FeedbackAuthorRole(self.model.author_role)

    @strawberry.field(description="Username of whoever gave it.")
    def author(self) -> str:
        return self.model.author

    @strawberry.field(description="The rating.")
    def rating(self) -> FeedbackRating:
        return FeedbackRating(self.model.rating)

    @strawberry.field(description="Reasons, as given.")
    def tags(self) -> list[FeedbackTag]:
        return [FeedbackTag(t) for t in self.model.tags]

    @strawberry.field(description="Their comment (may be empty unless unreachable).")
    def comment(self) -> str:
        return self.model.comment

    @strawberry.field(description="A manager's response; null until someone responds.")
    def response(self) -> str | None:
        return self.model.response if self.model.responded_by else None

    @strawberry.field(description="Username of who responded; null until someone responds.")
    def responded_by(self) -> str | None:
        return self.model.responded_by

    @strawberry.field(description="When the response was given.")
    def responded_at(self) -> datetime | None:
        return self.model.responded_at

    @strawberry.field(description="When the feedback was given.")
    def created_at(self) -> datetime:
        return self.model.created_at

    @strawberry.field(description="Version; pass it back when responding.")
    def version(self) -> int:
        return self.model.version


@strawberry.type(description="A page of feedback, newest first.")
class TargetFeedbackPage:
    items: list[TargetFeedback] = strawberry.field(description="The feedback of this page.")
    total_count: int = strawberry.field(description="Feedback matching, on every page.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.type(description="How often a reason was given in a group.")
class TagCount:
    tag: FeedbackTag = strawberry.field(description="The reason.")
    count: int = strawberry.field(description="Feedback giving it.")


@strawberry.type(description="The feedback of one rank, region or team (manager).")
class FeedbackSummaryGroup:
    key: str = strawberry.field(description="Stable key, e.g. `rank:3`, `region:None`.")
    label: str = strawberry.field(
        description="Name: the rank's, the region's, or the team's with its team leads."
    )
    count: int = strawberry.field(description="Feedback in the group.")
    too_low: int = strawberry.field(description="Rated too low.")
    fair: int = strawberry.field(description="Rated fair.")
    too_high: int = strawberry.field(description="Rated too high.")
    unreachable: int = strawberry.field(description="Rated unreachable.")
    share_too_high: float = strawberry.field(description="(Too high + unreachable) / count.")
    top_tags: list[TagCount] = strawberry.field(
        description="The most given reasons, most first (at most 5)."
    )
    responded_share: float = strawberry.field(description="Share with a response.")

    @classmethod
    def of(cls, group: feedback.SummaryGroup) -> FeedbackSummaryGroup:
        return cls(
            key=group.key,
            label=group.label,
            count=group.count,
            too_low=group.ratings["too_low"],
            fair=group.ratings["fair"],
            too_high=group.ratings["too_high"],
            unreachable=group.ratings["unreachable"],
            share_too_high=group.share_too_high,
            top_tags=[TagCount(tag=FeedbackTag(t), count=n) for t, n in group.top_tags],
            responded_share=group.responded_share,
        )


@strawberry.type(description="Result of giving or responding to feedback.")
class TargetFeedbackPayload:
    feedback: TargetFeedback | None = strawberry.field(
        description="The feedback; null when refused."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="Feedback on one rep's target for one metric.")
class GiveFeedbackInput:
    plan_id: strawberry.ID = strawberry.field(description="An active or closed plan.")
    rep_id: strawberry.ID = strawberry.field(description="The rep (a rep: themself).")
    metric: str = strawberry.field(default="revenue", description="The metric's code.")
    rating: FeedbackRating = strawberry.field(description="The rating.")
    tags: list[FeedbackTag] = strawberry.field(
        default_factory=list, description="Up to 5 reasons, each once."
    )
    comment: str = strawberry.field(
        default="", description="At most 2000 characters; required when unreachable."
    )


@strawberry.input(description="A response to someone else's feedback.")
class RespondToFeedbackInput:
    feedback_id: strawberry.ID = strawberry.field(description="The feedback.")
    expected_version: int = strawberry.field(description="The feedback version you saw.")
    response: str = strawberry.field(description="The response (1-2000 characters).")


def _payload(row: TargetFeedbackModel | None, errors: list[UserError]) -> TargetFeedbackPayload:
    return TargetFeedbackPayload(feedback=TargetFeedback(model=row) if row else None, errors=errors)


@strawberry.type
class FeedbackQuery:
    @strawberry.field(description="Feedback on a plan's targets in the caller's scope.")
    async def target_feedback(
        self,
        info: Info,
        plan_id: strawberry.ID,
        rep_id: strawberry.ID | None = None,
        metric: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> TargetFeedbackPage:
        async with info.context.db() as session:
            rows, total = await or_graphql_error(
                feedback.list_feedback(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(plan_id, "planId"),
                    rep_id=query_id(rep_id, "repId") if rep_id else None,
                    metric_code=metric,
                    limit=limit,
                    offset=offset,
                )
            )
        page = offset_page_info(offset=offset, count=len(rows), total=total)
        items = [TargetFeedback(model=r) for r in rows]
        return TargetFeedbackPage(items=items, total_count=total, page_info=page)

    @strawberry.field(description="A plan's feedback per rank, region or team, in scope.")
    async def feedback_summary(
        self,
        info: Info,
        plan_id: strawberry.ID,
        by: FeedbackGrouping,
        metric: str = "revenue",
    ) -> list[FeedbackSummaryGroup]:
        async with info.context.db() as session:
            groups = await or_graphql_error(
                feedback.summary(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(plan_id, "planId"),
                    metric_code=metric,
                    by=by.value,
                )
            )
        return [FeedbackSummaryGroup.of(g) for g in groups]


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Rate a target: your own (a rep) or one in your scope.")
    async def give_feedback(self, info: Info, input: GiveFeedbackInput) -> TargetFeedbackPayload:
        async def give(session: Any) -> TargetFeedbackModel:
            return await feedback.give_feedback(
                session,
                principal=info.context.principal,
                plan_id=parse_id(input.plan_id, "planId"),
                rep_id=parse_id(input.rep_id, "repId"),
                metric_code=input.metric,
                rating=input.rating.value,
                tags=[t.value for t in input.tags],
                comment=input.comment,
            )

        return _payload(*await atomic(info, give))

    @strawberry.mutation(description="Respond to someone else's feedback; its author is told.")
    async def respond_to_feedback(
        self, info: Info, input: RespondToFeedbackInput
    ) -> TargetFeedbackPayload:
        async def respond(session: Any) -> TargetFeedbackModel:
            return await feedback.respond(
                session,
                principal=info.context.principal,
                feedback_id=parse_id(input.feedback_id, "feedbackId"),
                expected_version=input.expected_version,
                response=input.response,
            )

        return _payload(*await atomic(info, respond))
