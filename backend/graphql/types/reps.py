"""Rep types, filters and the Relay connection."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from backend.db.models import Rep as RepModel
from backend.db.models import RepRankHistory
from backend.db.repositories.reps import ActualRow
from backend.graphql.context import Info
from backend.graphql.types.common import PageInfo, SortDirection
from backend.graphql.types.org import OrgUnit, Region
from backend.graphql.types.ranks import Rank


@strawberry.type(description="The value of one metric for one rep in one month.")
class MonthlyActual:
    month: dt.date = strawberry.field(description="First day of the month.")
    metric_code: str = strawberry.field(description="Metric code.")
    value: float = strawberry.field(description="The actual value.")

    @classmethod
    def from_row(cls, row: ActualRow) -> MonthlyActual:
        return cls(month=row.month, metric_code=row.metric_code, value=row.value)


@strawberry.type(description="A rank a rep held, from a date.")
class RankHistoryEntry:
    model: strawberry.Private[RepRankHistory]

    @strawberry.field(description="The rank held.")
    async def rank(self, info: Info) -> Rank:
        rank = await info.context.loaders.rank.load(self.model.rank_id)
        assert rank is not None
        return Rank(model=rank)

    @strawberry.field(description="From when.")
    def effective_from(self) -> dt.date:
        return self.model.effective_from

    @strawberry.field(description="Why (promotion, demotion, hire, correction...).")
    def reason(self) -> str:
        return self.model.reason


def _months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


@strawberry.type(description="A sales rep.")
class Rep:
    model: strawberry.Private[RepModel]

    @strawberry.field(description="Rep id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Employee id in the HR system.")
    def external_id(self) -> str:
        return self.model.external_id

    @strawberry.field(description="Full name.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="The team the rep belongs to.")
    async def team(self, info: Info) -> OrgUnit:
        team = await info.context.loaders.org_unit.load(self.model.team_id)
        assert team is not None
        return OrgUnit(model=team)

    @strawberry.field(description="Current rank.")
    async def rank(self, info: Info) -> Rank:
        rank = await info.context.loaders.rank.load(self.model.rank_id)
        assert rank is not None
        return Rank(model=rank)

    @strawberry.field(description="Sales region.")
    async def region(self, info: Info) -> Region | None:
        if self.model.region_id is None:
            return None
        region = await info.context.loaders.region.load(self.model.region_id)
        return Region.from_model(region) if region else None

    @strawberry.field(description="Territory within the region.")
    def territory(self) -> str:
        return self.model.territory

    @strawberry.field(description="Hire date.")
    def hire_date(self) -> dt.date:
        return self.model.hire_date

    @strawberry.field(description="Leave date; null while employed.")
    def leave_date(self) -> dt.date | None:
        return self.model.leave_date

    @strawberry.field(description="Whole months from hire to today (or to leaving).")
    def tenure_months(self) -> int:
        return _months_between(self.model.hire_date, self.model.leave_date or dt.date.today())

    @strawberry.field(description="Version for optimistic concurrency on updates.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Monthly actuals, oldest first; optionally filtered.")
    async def actuals(
        self,
        info: Info,
        metric_codes: list[str] | None = None,
        from_month: dt.date | None = None,
        to_month: dt.date | None = None,
    ) -> list[MonthlyActual]:
        key = (self.model.id or 0, tuple(sorted(metric_codes or ())), from_month, to_month)
        rows = await info.context.loaders.actuals.load(key)
        return [MonthlyActual.from_row(r) for r in rows]

    @strawberry.field(description="Ranks held, oldest first.")
    async def rank_history(self, info: Info) -> list[RankHistoryEntry]:
        rows = await info.context.loaders.rank_history.load(self.model.id or 0)
        return [RankHistoryEntry(model=r) for r in rows]


@strawberry.type(description="An edge of the reps connection.")
class RepEdge:
    cursor: str = strawberry.field(description="Opaque cursor of this edge.")
    node: Rep = strawberry.field(description="The rep.")


@strawberry.type(description="A page of reps (Relay connection).")
class RepConnection:
    edges: list[RepEdge] = strawberry.field(description="The reps of this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    total_count: int = strawberry.field(description="Reps matching the filter, on all pages.")


@strawberry.input(description="Which reps to list; all conditions must hold.")
class RepFilter:
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only reps in this unit's subtree."
    )
    rank_codes: list[str] | None = strawberry.field(default=None, description="Any of ranks.")
    region_codes: list[str] | None = strawberry.field(
        default=None, description="Any of these regions."
    )
    search: str | None = strawberry.field(
        default=None, description="Text in the name or employee id (case-insensitive)."
    )
    include_leavers: bool = strawberry.field(
        default=False, description="Also list reps who have left."
    )


@strawberry.enum(description="Fields reps can be sorted by.")
class RepSortField(Enum):
    NAME = "name"
    HIRE_DATE = "hire_date"
    RANK = "rank"
    TEAM = "team"
    EXTERNAL_ID = "external_id"


@strawberry.input(description="Order of the reps list.")
class RepSort:
    field: RepSortField = strawberry.field(default=RepSortField.NAME, description="Sort key.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )
