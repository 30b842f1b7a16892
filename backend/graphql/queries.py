"""Read operations: the org tree, the rank ladder, metrics, regions and reps."""

from __future__ import annotations

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.repositories.reps import RepQuery
from backend.graphql.context import Info
from backend.graphql.errors import or_graphql_error, query_id
from backend.graphql.types.common import (
    PageInfo,
    SortDirection,
    decode_cursor,
    encode_cursor,
    parse_id,
)
from backend.graphql.types.org import OrgUnit, Region
from backend.graphql.types.ranks import Metric, Rank
from backend.graphql.types.reps import Rep, RepConnection, RepEdge, RepFilter, RepSort
from backend.services import org as org_service
from backend.services import ranks as rank_service
from backend.services import reps as rep_service
from backend.services.access import Scope


@strawberry.type(description="Read operations on the org tree, ranks, metrics and reps.")
class CoreQuery:
    @strawberry.field(description="Every org unit, ordered by position in the tree.")
    async def org_units(self, info: Info) -> list[OrgUnit]:
        async with info.context.db() as session:
            return [
                OrgUnit(model=u) for u in await org_service.list_units(session, info.context.scope)
            ]

    @strawberry.field(description="One org unit by id, or null.")
    async def org_unit(self, info: Info, id: strawberry.ID) -> OrgUnit | None:
        unit = await info.context.loaders.org_unit.load(query_id(id))
        return OrgUnit(model=unit) if unit else None

    @strawberry.field(description="Metric definitions.")
    async def metrics(self, info: Info) -> list[Metric]:
        async with info.context.db() as session:
            return [Metric.from_model(m) for m in await rank_service.list_metrics(session)]

    @strawberry.field(description="The rank ladder, junior to senior.")
    async def ranks(self, info: Info) -> list[Rank]:
        async with info.context.db() as session:
            return [Rank(model=r) for r in await rank_service.list_ranks(session)]

    @strawberry.field(description="One rank by id, or null.")
    async def rank(self, info: Info, id: strawberry.ID) -> Rank | None:
        rank = await info.context.loaders.rank.load(query_id(id))
        return Rank(model=rank) if rank else None

    @strawberry.field(description="Sales regions.")
    async def regions(self, info: Info) -> list[Region]:
        async with info.context.db() as session:
            return [Region.from_model(r) for r in await org_service.list_regions(session)]

    @strawberry.field(description="A page of reps, filtered and sorted (Relay cursor pagination).")
    async def reps(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        filter: RepFilter | None = None,
        sort: RepSort | None = None,
    ) -> RepConnection:
        return await or_graphql_error(_reps_page(info, first, after, filter, sort))

    @strawberry.field(description="One rep by id, or null.")
    async def rep(self, info: Info, id: strawberry.ID) -> Rep | None:
        rep = await info.context.loaders.rep.load(query_id(id))
        return Rep(model=rep) if rep else None


async def _reps_page(
    info: Info, first: int, after: str | None, filter: RepFilter | None, sort: RepSort | None
) -> RepConnection:
    # `first` is within 1..MAX_PAGE_SIZE: EnforceAccess checks every page size (one convention)
    offset = decode_cursor(after) + 1
    async with info.context.db() as session:
        query = await _rep_query(
            session, info.context.scope, filter or RepFilter(), sort or RepSort()
        )
        rows, total = await rep_service.page(session, query, offset=offset, limit=first)
    for rep in rows:  # prime the loader so nested lookups by id hit no database
        info.context.loaders.rep.prime(rep.id or 0, rep)
    edges = [
        RepEdge(cursor=encode_cursor(offset + i), node=Rep(model=r)) for i, r in enumerate(rows)
    ]
    return RepConnection(
        edges=edges,
        total_count=total,
        page_info=PageInfo(
            has_next_page=offset + len(rows) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def _rep_query(session: AsyncSession, scope: Scope, f: RepFilter, sort: RepSort) -> RepQuery:
    org_id = parse_id(f.org_unit_id, "filter.orgUnitId") if f.org_unit_id else None
    return RepQuery(
        org_path=await rep_service.org_path(session, org_id, scope),
        scope_path=scope.org_path,
        scope_rep_id=scope.rep_id,
        rank_codes=tuple(f.rank_codes or ()),
        region_codes=tuple(f.region_codes or ()),
        search=f.search or None,
        include_leavers=f.include_leavers,
        sort=sort.field.value,
        descending=sort.direction is SortDirection.DESC,
    )
