"""GraphQL types of alert rules and alerts: typed parameters and figures, no JSON blobs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from backend.db.models import Alert as AlertModel
from backend.db.models import AlertEvent as AlertEventModel
from backend.db.models import AlertRule as AlertRuleModel
from backend.graphql.context import Info
from backend.graphql.types.common import PageInfo, UserError
from backend.graphql.types.reps import Rep
from backend.services.alerts.rules import params_of


@strawberry.enum(description="What an alert rule watches.")
class AlertRuleKind(Enum):
    BEHIND_PACE = "behind_pace"
    PEER_GAP = "peer_gap"
    LOW_PROBABILITY = "low_probability"
    LOW_PROJECTION = "low_projection"
    INACTIVITY = "inactivity"


@strawberry.enum(description="How urgent an alert of a rule is.")
class AlertSeverity(Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@strawberry.enum(description="Where an alert stands.")
class AlertState(Enum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@strawberry.enum(description="The period of a pace rule.")
class PaceGrain(Enum):
    WEEK = "week"
    MONTH = "month"


@strawberry.type(description="A rule's parameters; only those of its kind are set.")
class AlertRuleParams:
    periods: int | None = strawberry.field(
        default=None, description="behind_pace: consecutive weeks or months behind."
    )
    grain: PaceGrain | None = strawberry.field(
        default=None, description="behind_pace: weeks or months."
    )
    threshold: float | None = strawberry.field(
        default=None, description="behind_pace: actual / expected-to-date below this is behind."
    )
    k: float | None = strawberry.field(
        default=None, description="peer_gap: standard deviations below the peers' mean."
    )
    min_peers: int | None = strawberry.field(
        default=None, description="peer_gap: smaller peer groups are not judged."
    )
    below: float | None = strawberry.field(
        default=None,
        description="low_probability: P(achieve) below this; low_projection: projected "
        "attainment below this.",
    )
    days: int | None = strawberry.field(
        default=None, description="inactivity: days without a sale."
    )


@strawberry.input(description="A rule's parameters; unset ones take the kind's defaults.")
class AlertRuleParamsInput:
    periods: int | None = strawberry.field(default=None, description="behind_pace: periods.")
    grain: PaceGrain | None = strawberry.field(default=None, description="behind_pace: grain.")
    threshold: float | None = strawberry.field(
        default=None, description="behind_pace: pace below this is behind."
    )
    k: float | None = strawberry.field(default=None, description="peer_gap: deviations.")
    min_peers: int | None = strawberry.field(default=None, description="peer_gap: group size.")
    below: float | None = strawberry.field(
        default=None, description="low_probability / low_projection: the floor."
    )
    days: int | None = strawberry.field(default=None, description="inactivity: days.")

    def as_dict(self) -> dict[str, Any]:
        values = {
            "periods": self.periods,
            "grain": self.grain.value if self.grain else None,
            "threshold": self.threshold,
            "k": self.k,
            "min_peers": self.min_peers,
            "below": self.below,
            "days": self.days,
        }
        return {k: v for k, v in values.items() if v is not None}


def _params(model: AlertRuleModel) -> AlertRuleParams:
    values = params_of(model).stored()
    if "grain" in values:
        values["grain"] = PaceGrain(values["grain"])
    return AlertRuleParams(**values)


@strawberry.type(description="One version of an alert rule (rules are versioned data).")
class AlertRule:
    model: strawberry.Private[AlertRuleModel]

    @strawberry.field(description="Id of this version.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Stable key shared by every version of the rule.")
    def key(self) -> str:
        return self.model.key

    @strawberry.field(description="Version number; a change adds the next one.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Name shown to people.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="What the rule watches.")
    def kind(self) -> AlertRuleKind:
        return AlertRuleKind(self.model.kind)

    @strawberry.field(description="Code of the metric followed.")
    async def metric(self, info: Info) -> str:
        metric = await info.context.loaders.metric.load(self.model.metric_id)
        return metric.code if metric else ""

    @strawberry.field(description="Org unit the rule covers; null: the whole company.")
    def scope_org_id(self) -> strawberry.ID | None:
        unit = self.model.scope_org_id
        return strawberry.ID(str(unit)) if unit is not None else None

    @strawberry.field(description="Thresholds of the rule.")
    def params(self) -> AlertRuleParams:
        return _params(self.model)

    @strawberry.field(description="How urgent its alerts are.")
    def severity(self) -> AlertSeverity:
        return AlertSeverity(self.model.severity)

    @strawberry.field(description="In force (false: retired by a later version, or disabled).")
    def active(self) -> bool:
        return self.model.active

    @strawberry.field(description="Who made this version.")
    def created_by(self) -> str:
        return self.model.created_by

    @strawberry.field(description="When this version was made.")
    def created_at(self) -> datetime:
        return self.model.created_at


@strawberry.type(description="The figures that raised an alert, as of its last evaluation.")
class AlertFigures:
    value: float | None = strawberry.field(description="The figure the rule compares.")
    threshold: float | None = strawberry.field(description="What it was compared with.")
    attainment: float | None = strawberry.field(description="Actual to date / period target.")
    pace: float | None = strawberry.field(description="Actual / expected to date.")
    probability: float | None = strawberry.field(description="P(achieve | actuals so far).")
    projected_attainment: float | None = strawberry.field(description="Projected / target.")
    periods_behind: int | None = strawberry.field(description="Consecutive periods behind.")
    days_inactive: int | None = strawberry.field(description="Days since the last sale.")
    as_of: str | None = strawberry.field(description="Date of the evaluation (ISO).")


FIGURES = (
    "value",
    "threshold",
    "attainment",
    "pace",
    "probability",
    "projected_attainment",
    "periods_behind",
    "days_inactive",
    "as_of",
)


@strawberry.type(description="A change of an alert's state.")
class AlertEvent:
    model: strawberry.Private[AlertEventModel]

    @strawberry.field(description="When.")
    def at(self) -> datetime:
        return self.model.at

    @strawberry.field(description="Who (system: the evaluator).")
    def actor(self) -> str:
        return self.model.actor

    @strawberry.field(description="State before; null when raised.")
    def from_state(self) -> AlertState | None:
        return AlertState(self.model.from_state) if self.model.from_state else None

    @strawberry.field(description="State after.")
    def to_state(self) -> AlertState:
        return AlertState(self.model.to_state)

    @strawberry.field(description="Their note.")
    def note(self) -> str:
        return self.model.note


@strawberry.type(description="A rule firing for one rep in one plan.")
class Alert:
    model: strawberry.Private[AlertModel]

    @strawberry.field(description="Alert id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Key of the rule that raised it.")
    def rule_key(self) -> str:
        return self.model.rule_key

    @strawberry.field(description="The rule version that raised it.")
    async def rule(self, info: Info) -> AlertRule | None:
        async with info.context.db() as session:
            rule = await session.get(AlertRuleModel, self.model.rule_id)
        return AlertRule(model=rule) if rule else None

    @strawberry.field(description="The rep.")
    async def rep(self, info: Info) -> Rep | None:
        rep = await info.context.loaders.rep.load(self.model.rep_id)
        return Rep(model=rep) if rep else None

    @strawberry.field(description="The plan.")
    def plan_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.plan_id))

    @strawberry.field(description="Where it stands.")
    def state(self) -> AlertState:
        return AlertState(self.model.state)

    @strawberry.field(description="How urgent.")
    def severity(self) -> AlertSeverity:
        return AlertSeverity(self.model.severity)

    @strawberry.field(description="The figures behind it.")
    def figures(self) -> AlertFigures:
        detail = self.model.detail or {}
        return AlertFigures(**{k: detail.get(k) for k in FIGURES})

    @strawberry.field(description="When it was raised.")
    def opened_at(self) -> datetime:
        return self.model.opened_at

    @strawberry.field(description="Last change or evaluation.")
    def updated_at(self) -> datetime:
        return self.model.updated_at

    @strawberry.field(description="Who acknowledged it.")
    def acknowledged_by(self) -> str | None:
        return self.model.acknowledged_by

    @strawberry.field(description="Who resolved it (system: the condition cleared).")
    def resolved_by(self) -> str | None:
        return self.model.resolved_by

    @strawberry.field(description="Version; pass it back when acting on the alert.")
    def version(self) -> int:
        return self.model.version

    @strawberry.field(description="Every change of state, oldest first.")
    async def history(self, info: Info) -> list[AlertEvent]:
        from backend.services.alerts import lifecycle

        async with info.context.db() as session:
            events = await lifecycle.history(session, self.model.id or 0)
        return [AlertEvent(model=e) for e in events]


@strawberry.type(description="A page of alerts.")
class AlertPage:
    items: list[Alert] = strawberry.field(description="The alerts of this page.")
    total_count: int = strawberry.field(description="Alerts matching, on every page.")
    page_info: PageInfo = strawberry.field(description="Paging.")


@strawberry.type(description="Result of acting on an alert.")
class AlertPayload:
    alert: Alert | None = strawberry.field(description="The alert; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="Result of saving an alert rule.")
class AlertRulePayload:
    rule: AlertRule | None = strawberry.field(description="The saved version; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")
