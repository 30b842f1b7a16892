"""trackingDashboard and repProgress: progress against targets during the period."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import or_graphql_error, query_id
from backend.graphql.types.org import OrgUnitKind
from backend.graphql.types.tracking import (
    MonthProgress,
    ProgressFigures,
    RepProgressPage,
    RepProgressRow,
    WeekProgress,
)
from backend.services.tracking import dashboard as dashboard_service
from backend.services.tracking import progress as progress_service
from backend.services.tracking.progress import BUCKET_EDGES, Figures, RepFigures
from backend.services.tracking.snapshot import Unit
from backend.services.tracking.weeks import Week

AT_RISK_PAGE = 20


def _figures(f: Figures) -> ProgressFigures:
    return ProgressFigures(
        reps=f.reps,
        actual=f.actual,
        expected=f.expected,
        target=f.target,
        projected=f.projected,
        pace=f.pace,
        attainment=f.attainment,
        projected_attainment=f.projected_attainment,
        share_projected=f.share_projected,
        share_on_pace=f.share_on_pace,
        design_point=f.design_point,
    )


def _rep(r: RepFigures) -> RepProgressRow:
    return RepProgressRow(
        rep_id=strawberry.ID(str(r.rep_id)),
        name=r.name,
        team_id=strawberry.ID(str(r.team_id)),
        team_name=r.team_name,
        rank_code=r.rank_code,
        actual=r.actual,
        expected=r.expected,
        target=r.target,
        pace=r.pace,
        attainment=r.attainment,
        projected=r.projected,
        projected_attainment=r.projected_attainment,
        probability=r.probability,
        plan_probability=r.plan_probability,
    )


def _week(w: Week) -> WeekProgress:
    return WeekProgress(
        start=w.start,
        end=w.end,
        actual=w.actual,
        expected=w.expected,
        cumulative_actual=w.cumulative_actual,
        cumulative_expected=w.cumulative_expected,
    )


@strawberry.type(description="An org node of the dashboard (only its id and labels).")
class TrackedNode:
    id: strawberry.ID = strawberry.field(description="Org unit id (drill down with it).")
    name: str = strawberry.field(description="Display name.")
    kind: OrgUnitKind = strawberry.field(description="Level in the tree.")

    @classmethod
    def of(cls, unit: Unit) -> TrackedNode:
        return cls(id=strawberry.ID(str(unit.id)), name=unit.name, kind=OrgUnitKind(unit.kind))


@strawberry.type(description="A node's progress: its reps you see, summed.")
class NodeProgress:
    node: TrackedNode = strawberry.field(description="The org node.")
    figures: ProgressFigures = strawberry.field(description="Its figures.")
    at_risk_count: int = strawberry.field(
        description="Its reps whose P(achieve | actuals so far) is below 0.3."
    )

    @classmethod
    def of(cls, row: dashboard_service.NodeRow) -> NodeProgress:
        return cls(
            node=TrackedNode.of(row.unit),
            figures=_figures(row.figures),
            at_risk_count=row.at_risk,
        )


@strawberry.type(description="A rank's progress, with histograms of its reps.")
class RankProgress:
    rank_id: strawberry.ID = strawberry.field(description="The rank.")
    code: str = strawberry.field(description="Its code.")
    name: str = strawberry.field(description="Its name.")
    level: int = strawberry.field(description="Its level (1 = most junior).")
    figures: ProgressFigures = strawberry.field(description="Its reps' figures.")
    pace_buckets: list[int] = strawberry.field(
        description="Reps per band of pace (attainment to date against the targets' phasing),"
        " one more band than `bucketEdges`: below the first edge, between edges, above."
    )
    projected_buckets: list[int] = strawberry.field(
        description="Reps per band of projected attainment (same bands)."
    )


@strawberry.type(description="What the home page shows for one org node, in one read.")
class TrackingDashboard:
    result: strawberry.Private[dashboard_service.Dashboard]

    @strawberry.field(description="The plan tracked.")
    def plan_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.result.plan.id))

    @strawberry.field(description="Its name.")
    def plan_name(self) -> str:
        return self.result.plan.name

    @strawberry.field(description="The metric (additive).")
    def metric_code(self) -> str:
        return self.result.metric.code

    @strawberry.field(description="Progress as of the end of this day.")
    def as_of(self) -> dt.date:
        return self.result.as_of

    @strawberry.field(description="Months of the period elapsed (4.5: four and a half).")
    def elapsed_months(self) -> float:
        return self.result.snapshot.elapsed

    @strawberry.field(description="Months in the period.")
    def period_months(self) -> int:
        return len(self.result.snapshot.months)

    @strawberry.field(description="The node shown and its figures (a rep: their own).")
    def headline(self) -> NodeProgress:
        return NodeProgress.of(self.result.headline)

    @strawberry.field(description="The node's ancestors you see, top first, then the node.")
    def trail(self) -> list[TrackedNode]:
        return [TrackedNode.of(u) for u in self.result.trail]

    @strawberry.field(description="Child nodes for drill-down, by name (empty for a team).")
    def children(self) -> list[NodeProgress]:
        return [NodeProgress.of(c) for c in self.result.children]

    @strawberry.field(description="Per rank, most junior first.")
    def ranks(self) -> list[RankProgress]:
        return [
            RankProgress(
                rank_id=strawberry.ID(str(r.rank.id)),
                code=r.rank.code,
                name=r.rank.name,
                level=r.rank.level,
                figures=_figures(r.figures),
                pace_buckets=r.pace_buckets,
                projected_buckets=r.projected_buckets,
            )
            for r in self.result.ranks
        ]

    @strawberry.field(description="The band edges of the histograms (1.0 = 100%).")
    def bucket_edges(self) -> list[float]:
        return list(BUCKET_EDGES)

    @strawberry.field(
        description="Reps at risk: lowest P(achieve | actuals so far) first, at most"
        f" {dashboard_service.AT_RISK_CAP}, paged."
    )
    def at_risk(self, offset: int = 0, limit: int = AT_RISK_PAGE) -> RepProgressPage:
        rows = self.result.at_risk_rows
        items = self.result.page(rows, offset, limit)
        return RepProgressPage(total_count=len(rows), items=[_rep(r) for r in items])

    @strawberry.field(description="The reps of a node without child nodes (a team), by name.")
    def members(self, offset: int = 0, limit: int = 50) -> RepProgressPage:
        rows = self.result.member_rows
        items = self.result.page(rows, offset, limit)
        return RepProgressPage(total_count=len(rows), items=[_rep(r) for r in items])

    @strawberry.field(description="Week by week to the as-of day, oldest first.")
    def weeks(self) -> list[WeekProgress]:
        return [_week(w) for w in self.result.weeks]


@strawberry.type(description="A rep's progress on one metric of a plan (their own page).")
class RepProgress:
    result: strawberry.Private[progress_service.RepProgress]

    @strawberry.field(description="The plan.")
    def plan_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.result.plan_id))

    @strawberry.field(description="Its name.")
    def plan_name(self) -> str:
        return self.result.plan_name

    @strawberry.field(description="The metric.")
    def metric_code(self) -> str:
        return self.result.metric.code

    @strawberry.field(description="Progress as of the end of this day.")
    def as_of(self) -> dt.date:
        return self.result.as_of

    @strawberry.field(description="Months of the period elapsed.")
    def elapsed_months(self) -> float:
        return self.result.elapsed

    @strawberry.field(description="The rep's figures, with P(achieve | actuals so far).")
    def progress(self) -> RepProgressRow:
        return _rep(self.result.figures)

    @strawberry.field(description="Each month's target and actual.")
    def months(self) -> list[MonthProgress]:
        r = self.result
        return [
            MonthProgress(month=m, target=t, actual=a)
            for m, t, a in zip(r.months, r.month_targets, r.month_actuals, strict=True)
        ]

    @strawberry.field(description="The last weeks, actual against expected.")
    def weeks(self) -> list[WeekProgress]:
        return [_week(w) for w in self.result.weeks]


@strawberry.type(description="Progress against targets during the period.")
class DashboardQuery:
    @strawberry.field(
        description="The tracking dashboard of an org node (default: the top of what you see)"
        " for a plan (default: the newest active one you see), on one additive metric, as of"
        " a day (default: today). Null when no plan is being tracked. Only the reps your"
        " scope covers count anywhere in it; a rep sees themself."
    )
    async def tracking_dashboard(
        self,
        info: Info,
        plan_id: strawberry.ID | None = None,
        metric: str = "revenue",
        org_unit_id: strawberry.ID | None = None,
        as_of: dt.date | None = None,
        weeks: int = dashboard_service.DEFAULT_WEEKS,
    ) -> TrackingDashboard | None:
        async with info.context.db() as session:
            result = await or_graphql_error(
                dashboard_service.tracking_dashboard(
                    session,
                    principal=info.context.principal,
                    plan_id=query_id(plan_id, "planId") if plan_id else None,
                    metric_code=metric,
                    org_unit_id=query_id(org_unit_id, "orgUnitId") if org_unit_id else None,
                    as_of=as_of,
                    weeks=weeks,
                )
            )
        return TrackingDashboard(result=result) if result else None

    @strawberry.field(
        description="A rep's progress on every additive metric of a plan (default: the newest"
        " active one): figures, months and weeks. Yours, or a rep in your scope."
    )
    async def rep_progress(
        self,
        info: Info,
        rep_id: strawberry.ID,
        plan_id: strawberry.ID | None = None,
        as_of: dt.date | None = None,
    ) -> list[RepProgress]:
        async with info.context.db() as session:
            rows = await or_graphql_error(
                progress_service.rep_progress(
                    session,
                    principal=info.context.principal,
                    rep_id=query_id(rep_id, "repId"),
                    plan_id=query_id(plan_id, "planId") if plan_id else None,
                    as_of=as_of,
                )
            )
        return [RepProgress(result=r) for r in rows]
