"""Org tree and region types."""

from __future__ import annotations

from enum import Enum

import strawberry

from backend.db.models import OrgUnit as OrgUnitModel
from backend.db.models import Region as RegionModel
from backend.graphql.context import Info


@strawberry.enum(description="The level of an org unit in the tree.")
class OrgUnitKind(Enum):
    COMPANY = "company"
    REGION = "region"
    BRANCH = "branch"
    TEAM = "team"


@strawberry.type(description="A sales region and its market potential.")
class Region:
    id: strawberry.ID = strawberry.field(description="Region id.")
    code: str = strawberry.field(description="Short region code.")
    name: str = strawberry.field(description="Display name.")
    market_potential: float = strawberry.field(
        description="Multiplier of targets for the region's market (1.0 = average)."
    )

    @classmethod
    def from_model(cls, m: RegionModel) -> Region:
        return cls(
            id=strawberry.ID(str(m.id)),
            code=m.code,
            name=m.name,
            market_potential=m.market_potential,
        )


@strawberry.type(description="A node of the org tree: company, region, branch or team.")
class OrgUnit:
    model: strawberry.Private[OrgUnitModel]

    @strawberry.field(description="Org unit id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Display name.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="Unique short code.")
    def code(self) -> str:
        return self.model.code

    @strawberry.field(description="Level in the tree.")
    def kind(self) -> OrgUnitKind:
        return OrgUnitKind(self.model.kind)

    @strawberry.field(description="Parent unit id; null for the company (root).")
    def parent_id(self) -> strawberry.ID | None:
        pid = self.model.parent_id
        return None if pid is None else strawberry.ID(str(pid))

    @strawberry.field(description="Depth in the tree (the root is 0).")
    def depth(self) -> int:
        return self.model.depth

    @strawberry.field(description="Region code the unit belongs to, if any.")
    def region_code(self) -> str | None:
        return self.model.region_code

    @strawberry.field(description="Version for optimistic concurrency on updates.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Active reps in this unit's whole subtree.")
    async def rep_count(self, info: Info) -> int:
        counts = await info.context.loaders.subtree_rep_counts()
        return counts.get(self.model.id or 0, 0)

    @strawberry.field(description="The parent unit; null for the root.")
    async def parent(self, info: Info) -> OrgUnit | None:
        if self.model.parent_id is None:
            return None
        parent = await info.context.loaders.org_unit.load(self.model.parent_id)
        return OrgUnit(model=parent) if parent else None

    @strawberry.field(description="Direct children, by name.")
    async def children(self, info: Info) -> list[OrgUnit]:
        kids = await info.context.loaders.org_children.load(self.model.id or 0)
        return [OrgUnit(model=k) for k in kids]
