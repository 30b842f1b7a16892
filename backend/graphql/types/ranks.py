"""Rank ladder, settings versions and metric types."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from backend.db.models import Metric as MetricModel
from backend.db.models import Rank as RankModel
from backend.db.models import RankMetricSetting as RankMetricSettingModel
from backend.db.models import RankSettingsVersion
from backend.db.repositories.ranks import in_effect
from backend.graphql.context import Info


@strawberry.enum(description="How a metric rolls up: additive metrics sum, ratio metrics average.")
class MetricKind(Enum):
    ADDITIVE = "additive"
    RATIO = "ratio"


@strawberry.type(description="A metric definition (revenue, new customers, collection rate, ...).")
class Metric:
    id: strawberry.ID = strawberry.field(description="Metric id.")
    code: str = strawberry.field(description="Stable code, e.g. `revenue`.")
    name: str = strawberry.field(description="Display name.")
    kind: MetricKind = strawberry.field(description="Additive or ratio.")
    is_integer: bool = strawberry.field(description="Targets are whole numbers (counts).")
    unit: str = strawberry.field(description="Unit, e.g. CNY, customers, %, score.")
    description: str = strawberry.field(description="What the metric measures.")

    @classmethod
    def from_model(cls, m: MetricModel) -> Metric:
        return cls(
            id=strawberry.ID(str(m.id)),
            code=m.code,
            name=m.name,
            kind=MetricKind(m.kind),
            is_integer=m.is_integer,
            unit=m.unit,
            description=m.description,
        )


@strawberry.type(description="A rank's setting for one metric within one settings version.")
class RankMetricSetting:
    model: strawberry.Private[RankMetricSettingModel]

    @strawberry.field(description="The metric.")
    async def metric(self, info: Info) -> Metric:
        metric = await info.context.loaders.metric.load(self.model.metric_id)
        assert metric is not None
        return Metric.from_model(metric)

    @strawberry.field(description="Weight of the metric in the rank's assessment (sums to 1).")
    def weight(self) -> float:
        return self.model.weight

    @strawberry.field(description="Monthly baseline target for the rank.")
    def baseline(self) -> float:
        return self.model.baseline

    @strawberry.field(description="Lowest target as a multiple of the baseline.")
    def floor_multiplier(self) -> float:
        return self.model.floor_multiplier

    @strawberry.field(description="Highest target as a multiple of the baseline.")
    def ceiling_multiplier(self) -> float:
        return self.model.ceiling_multiplier


@strawberry.type(description="An immutable, effective-dated version of a rank's settings.")
class RankSettings:
    model: strawberry.Private[RankSettingsVersion]

    @strawberry.field(description="Settings version id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Version number (1, 2, ...) within the rank.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Day from which this version applies.")
    def effective_from(self) -> dt.date:
        return self.model.effective_from

    @strawberry.field(description="When this version was recorded.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at

    @strawberry.field(description="Who recorded this version.")
    def created_by(self) -> str:
        return self.model.created_by

    @strawberry.field(description="Why the settings changed.")
    def note(self) -> str:
        return self.model.note

    @strawberry.field(description="Weighted attainment needed for promotion (1.1 = 110%).")
    def promotion_threshold(self) -> float:
        return self.model.promotion_threshold

    @strawberry.field(description="Consecutive quarters above the promotion threshold.")
    def promotion_quarters(self) -> int:
        return self.model.promotion_quarters

    @strawberry.field(description="Minimum tenure in months before promotion.")
    def min_tenure_months(self) -> int:
        return self.model.min_tenure_months

    @strawberry.field(description="Weighted attainment below which a rep risks demotion.")
    def demotion_threshold(self) -> float:
        return self.model.demotion_threshold

    @strawberry.field(description="Consecutive quarters below the demotion threshold.")
    def demotion_quarters(self) -> int:
        return self.model.demotion_quarters

    @strawberry.field(description="Share of the full target by tenure month for new hires.")
    def ramp_profile(self) -> list[float]:
        return list(self.model.ramp_profile or [])

    @strawberry.field(description="Per-metric settings of this version.")
    async def metrics(self, info: Info) -> list[RankMetricSetting]:
        rows = await info.context.loaders.metric_settings.load(self.model.id or 0)
        return [RankMetricSetting(model=r) for r in rows]


@strawberry.type(description="A level of the rank ladder (职级).")
class Rank:
    model: strawberry.Private[RankModel]

    @strawberry.field(description="Rank id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Short code, e.g. S3.")
    def code(self) -> str:
        return self.model.code

    @strawberry.field(description="Display name.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="Order in the ladder; 1 is the most junior.")
    def level(self) -> int:
        return self.model.level

    @strawberry.field(description="What the rank stands for.")
    def description(self) -> str:
        return self.model.description

    @strawberry.field(description="Active reps currently holding this rank.")
    async def rep_count(self, info: Info) -> int:
        return (await info.context.loaders.rank_rep_counts()).get(self.model.id or 0, 0)

    @strawberry.field(description="The settings version in effect today.")
    async def current_settings(self, info: Info) -> RankSettings | None:
        versions = await info.context.loaders.rank_versions.load(self.model.id or 0)
        current = in_effect(versions, dt.date.today())
        return RankSettings(model=current) if current else None

    @strawberry.field(description="The newest version (pass its number as `expectedVersion`).")
    async def latest_settings(self, info: Info) -> RankSettings | None:
        versions = await info.context.loaders.rank_versions.load(self.model.id or 0)
        return RankSettings(model=versions[0]) if versions else None

    @strawberry.field(description="Every settings version, newest first.")
    async def versions(self, info: Info) -> list[RankSettings]:
        versions = await info.context.loaders.rank_versions.load(self.model.id or 0)
        return [RankSettings(model=v) for v in versions]
