"""Alert rules and alerts: queries, mutations and who may call them.

Thin resolvers over ``backend.services.alerts``: rules are versioned data, alerts move
open -> acknowledged -> resolved with a note, everything scoped to the caller.
"""

from __future__ import annotations

from typing import Any

import strawberry

from backend.db.models import Alert as AlertModel
from backend.db.models import AlertRule as AlertRuleModel
from backend.graphql.alerts.types import (
    Alert,
    AlertPage,
    AlertPayload,
    AlertRule,
    AlertRuleKind,
    AlertRuleParamsInput,
    AlertRulePayload,
    AlertSeverity,
    AlertState,
)
from backend.graphql.context import Info
from backend.graphql.errors import atomic, or_graphql_error, query_id
from backend.graphql.types.common import offset_page_info, parse_id
from backend.services.access import Action
from backend.services.alerts import lifecycle, rules

ALERT_POLICY: dict[str, Action] = {
    "alertRules": Action.READ,
    "alerts": Action.READ,
    "alert": Action.READ,
    "createAlertRule": Action.MANAGE_ALERT_RULES,
    "updateAlertRule": Action.MANAGE_ALERT_RULES,
    "acknowledgeAlert": Action.HANDLE_ALERTS,
    "resolveAlert": Action.HANDLE_ALERTS,
}


@strawberry.input(description="An alert rule's definition.")
class AlertRuleInput:
    name: str = strawberry.field(description="Name shown to people.")
    kind: AlertRuleKind = strawberry.field(description="What it watches.")
    metric: str = strawberry.field(default="revenue", description="An additive metric's code.")
    params: AlertRuleParamsInput = strawberry.field(
        default_factory=AlertRuleParamsInput, description="Thresholds (defaults when unset)."
    )
    scope_org_id: strawberry.ID | None = strawberry.field(
        default=None, description="Org unit covered; null: the whole company."
    )
    severity: AlertSeverity = strawberry.field(
        default=AlertSeverity.WARNING, description="How urgent its alerts are."
    )
    active: bool = strawberry.field(default=True, description="False: disabled.")

    def to_service(self) -> rules.RuleInput:
        unit = parse_id(self.scope_org_id, "scopeOrgId") if self.scope_org_id else None
        return rules.RuleInput(
            name=self.name,
            kind=self.kind.value,
            metric=self.metric,
            params=self.params.as_dict(),
            scope_org_id=unit,
            severity=self.severity.value,
            active=self.active,
        )


@strawberry.input(description="Acknowledge or resolve an alert.")
class AlertActionInput:
    alert_id: strawberry.ID = strawberry.field(description="The alert.")
    expected_version: int = strawberry.field(description="The alert version you saw.")
    note: str = strawberry.field(default="", description="What you did (required to resolve).")


def _rule_payload(rule: AlertRuleModel | None, errors: Any) -> AlertRulePayload:
    return AlertRulePayload(rule=AlertRule(model=rule) if rule else None, errors=errors)


def _alert_payload(alert: AlertModel | None, errors: Any) -> AlertPayload:
    return AlertPayload(alert=Alert(model=alert) if alert else None, errors=errors)


@strawberry.type
class AlertQuery:
    @strawberry.field(description="Alert rules the caller sees (their scope, above or below).")
    async def alert_rules(self, info: Info, include_retired: bool = False) -> list[AlertRule]:
        async with info.context.db() as session:
            found = await rules.list_rules(
                session, principal=info.context.principal, include_retired=include_retired
            )
        return [AlertRule(model=r) for r in found]

    @strawberry.field(description="Alerts in the caller's scope, newest first.")
    async def alerts(
        self,
        info: Info,
        states: list[AlertState] | None = None,
        plan_id: strawberry.ID | None = None,
        rep_id: strawberry.ID | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> AlertPage:
        which = lifecycle.AlertFilter(
            states=tuple(s.value for s in states) if states else ("open", "acknowledged"),
            plan_id=query_id(plan_id, "planId") if plan_id else None,
            rep_id=query_id(rep_id, "repId") if rep_id else None,
        )
        async with info.context.db() as session:
            rows, total = await lifecycle.list_alerts(
                session, principal=info.context.principal, which=which, limit=limit, offset=offset
            )
        page = offset_page_info(offset=offset, count=len(rows), total=total)
        return AlertPage(items=[Alert(model=a) for a in rows], total_count=total, page_info=page)

    @strawberry.field(description="One alert in the caller's scope.")
    async def alert(self, info: Info, id: strawberry.ID) -> Alert:
        async with info.context.db() as session:
            found = await or_graphql_error(
                lifecycle.get_alert(
                    session, principal=info.context.principal, alert_id=query_id(id)
                )
            )
        return Alert(model=found)


@strawberry.type
class AlertMutation:
    @strawberry.mutation(description="A new alert rule (version 1) under a key.")
    async def create_alert_rule(
        self, info: Info, key: str, input: AlertRuleInput
    ) -> AlertRulePayload:
        async def create(session: Any) -> AlertRuleModel:
            return await rules.create_rule(
                session, principal=info.context.principal, key=key, data=input.to_service()
            )

        return _rule_payload(*await atomic(info, create))

    @strawberry.mutation(description="The next version of a rule; the current one is retired.")
    async def update_alert_rule(
        self, info: Info, key: str, expected_version: int, input: AlertRuleInput
    ) -> AlertRulePayload:
        async def update(session: Any) -> AlertRuleModel:
            return await rules.update_rule(
                session,
                principal=info.context.principal,
                key=key,
                expected_version=expected_version,
                data=input.to_service(),
            )

        return _rule_payload(*await atomic(info, update))

    @strawberry.mutation(description="open > acknowledged: you are on it.")
    async def acknowledge_alert(self, info: Info, input: AlertActionInput) -> AlertPayload:
        return await _act(info, input, lifecycle.acknowledge)

    @strawberry.mutation(description="open or acknowledged > resolved, with what was done.")
    async def resolve_alert(self, info: Info, input: AlertActionInput) -> AlertPayload:
        return await _act(info, input, lifecycle.resolve)


async def _act(info: Info, input: AlertActionInput, action: Any) -> AlertPayload:
    """Acknowledge or resolve: the same input, payload and transaction."""

    async def run(session: Any) -> AlertModel:
        alert: AlertModel = await action(
            session,
            principal=info.context.principal,
            alert_id=parse_id(input.alert_id, "alertId"),
            expected_version=input.expected_version,
            note=input.note,
        )
        return alert

    return _alert_payload(*await atomic(info, run))
