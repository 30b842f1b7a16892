"""Planning operations: plans, generation, targets, overrides, lifecycle and scenarios."""

from __future__ import annotations

import strawberry

from backend.graphql.planning.lifecycle import LifecycleMutation
from backend.graphql.planning.live import generation_progress, plan_changes
from backend.graphql.planning.overrides import OverrideMutation, OverridePreviewQuery
from backend.graphql.planning.plans import PlanMutation, PlanQuery
from backend.graphql.planning.scenarios import ScenarioQuery

__all__ = ["PlanningMutation", "PlanningQuery", "generation_progress", "plan_changes"]


@strawberry.type(description="Read operations on plans, targets and scenarios.")
class PlanningQuery(PlanQuery, ScenarioQuery, OverridePreviewQuery):
    pass


@strawberry.type(description="Write operations on plans and targets.")
class PlanningMutation(PlanMutation, OverrideMutation, LifecycleMutation):
    pass
