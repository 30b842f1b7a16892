"""Conversions the planning operations share."""

from __future__ import annotations

import math

from backend.graphql.types.common import parse_id
from backend.graphql.types.planning import (
    GoalInput,
    PlanConflict,
)
from backend.services.planning import goals as goal_service
from backend.services.planning.generation import Infeasible


def goal_inputs(goals: list[GoalInput] | None) -> list[goal_service.GoalInput] | None:
    if goals is None:
        return None
    return [
        goal_service.GoalInput(
            metric_code=g.metric_code,
            value=g.value,
            org_unit_id=parse_id(g.org_unit_id, f"goals[{i}].orgUnitId") if g.org_unit_id else None,
        )
        for i, g in enumerate(goals)
    ]


def plan_conflicts(refusal: Infeasible) -> list[PlanConflict]:
    return [
        PlanConflict(
            family=c.family,
            node=c.node,
            metric=c.metric,
            amount=c.amount if math.isfinite(c.amount) else None,
            message=c.message,
        )
        for c in refusal.conflicts
    ]
