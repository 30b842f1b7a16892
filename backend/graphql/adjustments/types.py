"""GraphQL types of adjustments: requests, the system's proposal, target history."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from backend.db.models import AdjustmentLine as AdjustmentLineModel
from backend.db.models import AdjustmentRequest as AdjustmentRequestModel
from backend.db.models import TargetRevision as TargetRevisionModel
from backend.graphql.context import Info
from backend.graphql.types.common import PageInfo, UserError
from backend.graphql.types.reps import Rep
from backend.services.adjustments import reading
from backend.services.adjustments.proposal import Proposal, RepMove


@strawberry.enum(description="What an adjustment is.")
class AdjustmentKind(Enum):
    REQUEST = "request"
    PEOPLE_CHANGE = "people_change"
    RELIEF = "relief"
    CREDIT = "credit"


@strawberry.enum(
    description="What a rep or manager may ask for: the team absorbs a request's"
    " difference; a relief lowers the goal instead."
)
class AdjustmentRequestKind(Enum):
    REQUEST = "request"
    RELIEF = "relief"


@strawberry.enum(description="Why targets change.")
class AdjustmentReason(Enum):
    MARKET_CHANGE = "market_change"
    TERRITORY_CHANGE = "territory_change"
    LEAVE = "leave"
    DEAL_SLIPPED = "deal_slipped"
    KEY_ACCOUNT_LOST = "key_account_lost"
    OTHER = "other"
    LEAVING = "leaving"
    JOINING = "joining"
    TRANSFER = "transfer"
    RANK_CHANGE = "rank_change"
    ABSENCE = "absence"
    SHARED_DEAL = "shared_deal"
    TERRITORY_MOVED = "territory_moved"


@strawberry.enum(description="Where a request stands.")
class AdjustmentStatus(Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


@strawberry.enum(description="A rep's part in a change.")
class AdjustmentRole(Enum):
    SUBJECT = "subject"
    ABSORBS = "absorbs"


@strawberry.enum(description="How a change's difference is handled.")
class AdjustmentPolicy(Enum):
    REDISTRIBUTE = "redistribute"
    RELIEVE = "relieve"
    ASK = "ask"


@strawberry.type(
    description="One rep's targets before and after a change, with P(achieve |"
    " actuals so far) of each period total."
)
class AdjustmentMove:
    move: strawberry.Private[RepMove]

    @strawberry.field(description="The rep's id.")
    def rep_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.move.rep_id))

    @strawberry.field(description="The rep, when in your scope (a rep sees only themself).")
    async def rep(self, info: Info) -> Rep | None:
        rep = await info.context.loaders.rep.load(self.move.rep_id)
        return Rep(model=rep) if rep else None

    @strawberry.field(description="Asked for, or absorbing a teammate's change.")
    def role(self) -> AdjustmentRole:
        return AdjustmentRole(self.move.role)

    @strawberry.field(description="Monthly targets before, in the plan's month order.")
    def before(self) -> list[float]:
        return self.move.before

    @strawberry.field(description="Monthly targets after.")
    def after(self) -> list[float]:
        return self.move.after

    @strawberry.field(description="Period total before.")
    def total_before(self) -> float:
        return self.move.total_before

    @strawberry.field(description="Period total after.")
    def total_after(self) -> float:
        return self.move.total_after

    @strawberry.field(description="P(achieve | actuals so far) of the total before.")
    def probability_before(self) -> float | None:
        return self.move.probability_before

    @strawberry.field(description="P(achieve | actuals so far) of the total after.")
    def probability_after(self) -> float | None:
        return self.move.probability_after

    @strawberry.field(description="Sold so far in the period.")
    def actual_to_date(self) -> float:
        return self.move.actual_to_date


@strawberry.type(
    description="The system's proposal for a change: the subject's new target and"
    " P, who absorbs the difference, and the goal relief the team cannot absorb."
)
class AdjustmentProposal:
    proposal: strawberry.Private[Proposal]

    @strawberry.field(description="The metric's code.")
    def metric(self) -> str:
        return self.proposal.metric

    @strawberry.field(description="The org unit whose goal the team keeps (null: none).")
    def node_id(self) -> strawberry.ID | None:
        node = self.proposal.node_id
        return strawberry.ID(str(node)) if node is not None else None

    @strawberry.field(description="That unit's goal before the change.")
    def node_goal(self) -> float | None:
        return self.proposal.node_goal

    @strawberry.field(description="The plan's months (first days).")
    def months(self) -> list[dt.date]:
        return self.proposal.months

    @strawberry.field(description="The first month changed.")
    def effective_month(self) -> dt.date:
        return self.proposal.effective_month

    @strawberry.field(description="The period total asked for.")
    def requested_total(self) -> float:
        return self.proposal.requested_total

    @strawberry.field(
        description="The period total a re-forecast with today's actuals finds as hard as the"
        " plan's target was (the same P(achieve)); null without a forecast."
    )
    def same_difficulty_total(self) -> float | None:
        return self.proposal.same_difficulty_total

    @strawberry.field(
        description="What the team cannot absorb: the goals above the rep go down by it"
        " (negative: up)."
    )
    def goal_relief(self) -> float:
        return self.proposal.relief

    @strawberry.field(description="The rep asked about.")
    def subject(self) -> AdjustmentMove:
        return AdjustmentMove(move=self.proposal.subject)

    @strawberry.field(description="Teammates whose targets move, largest change first.")
    def absorbers(self) -> list[AdjustmentMove]:
        moves = [m for m in self.proposal.moves if m.role == "absorbs"]
        moves.sort(key=lambda m: -abs(m.total_after - m.total_before))
        return [AdjustmentMove(move=m) for m in moves]


@strawberry.type(description="One target cell a request changes.")
class AdjustmentLine:
    model: strawberry.Private[AdjustmentLineModel]

    @strawberry.field(description="The rep's id.")
    def rep_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.rep_id))

    @strawberry.field(description="The month (first day).")
    def month(self) -> dt.date:
        return self.model.month

    @strawberry.field(description="Asked for, or absorbing.")
    def role(self) -> AdjustmentRole:
        return AdjustmentRole(self.model.role)

    @strawberry.field(description="The target before.")
    def before(self) -> float:
        return self.model.before

    @strawberry.field(description="The target proposed when asked.")
    def proposed(self) -> float:
        return self.model.proposed

    @strawberry.field(description="The target applied (null until approved).")
    def approved(self) -> float | None:
        return self.model.approved


@strawberry.type(description="A file attached to a request.")
class AdjustmentAttachmentInfo:
    filename: str = strawberry.field(description="Its name.")
    content_type: str = strawberry.field(description="Its MIME type.")


@strawberry.type(description="A change of an active plan's targets, from request to decision.")
class AdjustmentRequest:
    model: strawberry.Private[AdjustmentRequestModel]

    @strawberry.field(description="Request id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="The plan.")
    def plan_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.plan_id))

    @strawberry.field(description="The metric's code.")
    async def metric(self, info: Info) -> str:
        metric = await info.context.loaders.metric.load(self.model.metric_id)
        return metric.code if metric else ""

    @strawberry.field(description="What it is.")
    def kind(self) -> AdjustmentKind:
        return AdjustmentKind(self.model.kind)

    @strawberry.field(description="Why.")
    def reason(self) -> AdjustmentReason:
        return AdjustmentReason(self.model.reason)

    @strawberry.field(description="What happened, in the requester's words.")
    def reason_text(self) -> str:
        return self.model.reason_text

    @strawberry.field(description="From when the change applies.")
    def effective_date(self) -> dt.date:
        return self.model.effective_date

    @strawberry.field(description="How its difference is handled.")
    def policy(self) -> AdjustmentPolicy:
        return AdjustmentPolicy(self.model.policy)

    @strawberry.field(description="Where it stands.")
    def status(self) -> AdjustmentStatus:
        return AdjustmentStatus(self.model.status)

    @strawberry.field(description="Who asked (a user name; 'system' for people changes).")
    def requested_by(self) -> str:
        return self.model.requested_by

    @strawberry.field(description="When it was asked.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="The rep whose targets change.")
    def subject_rep_id(self) -> strawberry.ID | None:
        rep = self.model.subject_rep_id
        return strawberry.ID(str(rep)) if rep is not None else None

    @strawberry.field(description="That rep, when in your scope.")
    async def subject_rep(self, info: Info) -> Rep | None:
        if self.model.subject_rep_id is None:
            return None
        rep = await info.context.loaders.rep.load(self.model.subject_rep_id)
        return Rep(model=rep) if rep else None

    @strawberry.field(description="The system's proposal when it was asked.")
    def proposal(self) -> AdjustmentProposal | None:
        stored = self.model.proposal
        return AdjustmentProposal(proposal=Proposal.from_json(stored)) if stored else None

    @strawberry.field(description="The target cells it changes (approved values once applied).")
    async def lines(self, info: Info) -> list[AdjustmentLine]:
        async with info.context.db() as session:
            rows = await reading.lines(session, self.model.id or 0)
        return [AdjustmentLine(model=r) for r in rows]

    @strawberry.field(description="The goal relief applied (or proposed while pending).")
    def goal_relief(self) -> float:
        return self.model.goal_relief

    @strawberry.field(description="Who decided.")
    def decided_by(self) -> str | None:
        return self.model.decided_by

    @strawberry.field(description="When.")
    def decided_at(self) -> dt.datetime | None:
        return self.model.decided_at

    @strawberry.field(description="The decider's reason.")
    def decision_reason(self) -> str:
        return self.model.decision_reason

    @strawberry.field(description="Optimistic-concurrency version.")
    def version(self) -> int:
        return self.model.version


@strawberry.type(description="A page of adjustment requests.")
class AdjustmentRequestPage:
    items: list[AdjustmentRequest] = strawberry.field(description="This page, newest first.")
    total_count: int = strawberry.field(description="All matching requests.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.type(description="Result of an adjustment mutation.")
class AdjustmentPayload:
    request: AdjustmentRequest | None = strawberry.field(description="Null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="One dated change of one target, never edited.")
class TargetRevision:
    model: strawberry.Private[TargetRevisionModel]

    @strawberry.field(description="Revision id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="The month (first day).")
    def month(self) -> dt.date:
        return self.model.month

    @strawberry.field(description="The target before.")
    def before(self) -> float:
        return self.model.before

    @strawberry.field(description="The target after.")
    def after(self) -> float:
        return self.model.after

    @strawberry.field(description="From when the change applies.")
    def effective_date(self) -> dt.date:
        return self.model.effective_date

    @strawberry.field(description="What changed it: override, request, relief, people_change.")
    def source(self) -> str:
        return self.model.source

    @strawberry.field(description="The adjustment request behind it, if any.")
    def adjustment_id(self) -> strawberry.ID | None:
        found = self.model.adjustment_id
        return strawberry.ID(str(found)) if found is not None else None

    @strawberry.field(description="Who made it.")
    def actor(self) -> str:
        return self.model.actor

    @strawberry.field(description="Why.")
    def reason(self) -> str:
        return self.model.reason

    @strawberry.field(description="When.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at
