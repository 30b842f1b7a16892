"""Write operations. Each one: parse input, call one service inside ``atomic``, map the result."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Rank as RankModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.org import OrgUnit, OrgUnitKind
from backend.graphql.types.ranks import Rank
from backend.graphql.types.reps import Rep
from backend.services import org as org_service
from backend.services import ranks as rank_service
from backend.services import reps as rep_service
from backend.services.ranks import MetricSettingInput, RankRules


@strawberry.input(description="A new org unit under an existing parent.")
class CreateOrgUnitInput:
    parent_id: strawberry.ID = strawberry.field(description="Parent unit (not a team).")
    name: str = strawberry.field(description="Display name.")
    code: str = strawberry.field(description="Unique short code.")
    kind: OrgUnitKind = strawberry.field(description="Region, branch or team.")


@strawberry.input(description="Rename and/or move an org unit (its subtree moves with it).")
class UpdateOrgUnitInput:
    id: strawberry.ID = strawberry.field(description="The unit to change.")
    expected_version: int = strawberry.field(description="The version you edited.")
    name: str | None = strawberry.field(default=None, description="New name.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="New parent.")


@strawberry.type(description="Result of an org unit mutation.")
class OrgUnitPayload:
    org_unit: OrgUnit | None = strawberry.field(description="The unit; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="One metric's setting in a new rank settings version.")
class RankMetricSettingInput:
    metric_code: str = strawberry.field(description="Metric code.")
    weight: float = strawberry.field(description="Weight in [0, 1]; weights sum to 1.")
    baseline: float = strawberry.field(description="Monthly baseline target (>= 0).")
    floor_multiplier: float = strawberry.field(description="Lowest target / baseline.")
    ceiling_multiplier: float = strawberry.field(description="Highest target / baseline.")


@strawberry.input(description="A new version of a rank's settings; earlier versions are kept.")
class UpdateRankSettingsInput:
    rank_id: strawberry.ID = strawberry.field(description="The rank.")
    expected_version: int = strawberry.field(description="Number of the newest version you saw.")
    effective_from: dt.date = strawberry.field(description="Day the new version takes effect.")
    note: str = strawberry.field(description="Why the settings change.")
    promotion_threshold: float = strawberry.field(description="Attainment for promotion.")
    promotion_quarters: int = strawberry.field(description="Quarters in a row for promotion.")
    min_tenure_months: int = strawberry.field(description="Tenure needed for promotion.")
    demotion_threshold: float = strawberry.field(description="Attainment below which demotion.")
    demotion_quarters: int = strawberry.field(description="Quarters in a row for demotion.")
    metrics: list[RankMetricSettingInput] = strawberry.field(description="Per-metric settings.")


@strawberry.input(description="A new rank in the ladder.")
class CreateRankInput:
    code: str = strawberry.field(description="Unique short code.")
    name: str = strawberry.field(description="Display name.")
    level: int = strawberry.field(description="Order in the ladder (1 = most junior).")
    description: str = strawberry.field(default="", description="What the rank stands for.")


@strawberry.input(description="Rename or redescribe a rank.")
class UpdateRankInput:
    id: strawberry.ID = strawberry.field(description="The rank.")
    name: str | None = strawberry.field(default=None, description="New name.")
    description: str | None = strawberry.field(default=None, description="New description.")


@strawberry.type(description="Result of a rank mutation.")
class RankPayload:
    rank: Rank | None = strawberry.field(description="The rank; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="Move a rep to another team.")
class TransferRepInput:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    expected_version: int = strawberry.field(description="The rep version you edited.")
    team_id: strawberry.ID = strawberry.field(description="The new team.")
    reason: str = strawberry.field(description="Why (kept in the audit trail).")


@strawberry.input(description="Promote or demote a rep.")
class ChangeRepRankInput:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    expected_version: int = strawberry.field(description="The rep version you edited.")
    rank_id: strawberry.ID = strawberry.field(description="The new rank.")
    effective_from: dt.date = strawberry.field(description="From when.")
    reason: str = strawberry.field(description="Why (kept in the audit trail).")


@strawberry.type(description="Result of a rep mutation.")
class RepPayload:
    rep: Rep | None = strawberry.field(description="The rep; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="Write operations on the org tree, ranks and reps.")
class CoreMutation:
    @strawberry.mutation(description="Create an org unit.")
    async def create_org_unit(self, info: Info, input: CreateOrgUnitInput) -> OrgUnitPayload:
        unit, errors = await atomic(
            info,
            lambda s: org_service.create_unit(
                s,
                actor=info.context.actor,
                parent_id=parse_id(input.parent_id, "parentId"),
                name=input.name,
                code=input.code,
                kind=input.kind.value,
                scope=info.context.scope,
            ),
        )
        return OrgUnitPayload(org_unit=OrgUnit(model=unit) if unit else None, errors=errors)

    @strawberry.mutation(description="Rename or move an org unit.")
    async def update_org_unit(self, info: Info, input: UpdateOrgUnitInput) -> OrgUnitPayload:
        unit, errors = await atomic(
            info,
            lambda s: org_service.update_unit(
                s,
                actor=info.context.actor,
                unit_id=parse_id(input.id),
                expected_version=input.expected_version,
                name=input.name,
                parent_id=parse_id(input.parent_id, "parentId") if input.parent_id else None,
                scope=info.context.scope,
            ),
        )
        return OrgUnitPayload(org_unit=OrgUnit(model=unit) if unit else None, errors=errors)

    @strawberry.mutation(description="Add a rank to the ladder.")
    async def create_rank(self, info: Info, input: CreateRankInput) -> RankPayload:
        rank, errors = await atomic(
            info,
            lambda s: rank_service.create_rank(
                s,
                actor=info.context.actor,
                code=input.code,
                name=input.name,
                level=input.level,
                description=input.description,
            ),
        )
        return RankPayload(rank=Rank(model=rank) if rank else None, errors=errors)

    @strawberry.mutation(description="Rename or redescribe a rank.")
    async def update_rank(self, info: Info, input: UpdateRankInput) -> RankPayload:
        rank, errors = await atomic(
            info,
            lambda s: rank_service.update_rank(
                s,
                actor=info.context.actor,
                rank_id=parse_id(input.id),
                name=input.name,
                description=input.description,
            ),
        )
        return RankPayload(rank=Rank(model=rank) if rank else None, errors=errors)

    @strawberry.mutation(description="Record a new version of a rank's settings.")
    async def update_rank_settings(self, info: Info, input: UpdateRankSettingsInput) -> RankPayload:
        async def run(session: AsyncSession) -> RankModel:
            rank_id = parse_id(input.rank_id, "rankId")
            await rank_service.update_settings(
                session,
                actor=info.context.actor,
                rank_id=rank_id,
                expected_version=input.expected_version,
                effective_from=input.effective_from,
                note=input.note,
                rules=_rules(input),
                metrics=[_metric(m) for m in input.metrics],
            )
            return await rank_service.get_rank(session, rank_id)

        rank, errors = await atomic(info, run)
        return RankPayload(rank=Rank(model=rank) if rank else None, errors=errors)

    @strawberry.mutation(description="Move a rep to another team.")
    async def transfer_rep(self, info: Info, input: TransferRepInput) -> RepPayload:
        rep, errors = await atomic(
            info,
            lambda s: rep_service.transfer(
                s,
                actor=info.context.actor,
                rep_id=parse_id(input.rep_id, "repId"),
                expected_version=input.expected_version,
                team_id=parse_id(input.team_id, "teamId"),
                reason=input.reason,
                scope=info.context.scope,
            ),
        )
        return RepPayload(rep=Rep(model=rep) if rep else None, errors=errors)

    @strawberry.mutation(description="Change a rep's rank from a date (history is kept).")
    async def change_rep_rank(self, info: Info, input: ChangeRepRankInput) -> RepPayload:
        rep, errors = await atomic(
            info,
            lambda s: rep_service.change_rank(
                s,
                actor=info.context.actor,
                rep_id=parse_id(input.rep_id, "repId"),
                expected_version=input.expected_version,
                rank_id=parse_id(input.rank_id, "rankId"),
                effective_from=input.effective_from,
                reason=input.reason,
                scope=info.context.scope,
            ),
        )
        return RepPayload(rep=Rep(model=rep) if rep else None, errors=errors)


def _rules(i: UpdateRankSettingsInput) -> RankRules:
    return RankRules(
        promotion_threshold=i.promotion_threshold,
        promotion_quarters=i.promotion_quarters,
        min_tenure_months=i.min_tenure_months,
        demotion_threshold=i.demotion_threshold,
        demotion_quarters=i.demotion_quarters,
    )


def _metric(m: RankMetricSettingInput) -> MetricSettingInput:
    return MetricSettingInput(
        metric_code=m.metric_code,
        weight=m.weight,
        baseline=m.baseline,
        floor_multiplier=m.floor_multiplier,
        ceiling_multiplier=m.ceiling_multiplier,
    )
