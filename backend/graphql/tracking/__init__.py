"""During the period: actuals, progress and the dashboard, alert rules and alerts.

Each module contributes query and mutation mixins; ``TrackingQuery`` and ``TrackingMutation``
gather them for the schema's roots, and ``TRACKING_POLICY`` says who may call each field.
"""

from __future__ import annotations

import strawberry

from backend.graphql.tracking.actuals import ActualsMutation
from backend.graphql.tracking.dashboard import DashboardQuery
from backend.services.access import Action

# Root field -> the action it needs (merged into backend.graphql.policy.ROOT_FIELD_POLICY).
TRACKING_POLICY: dict[str, Action] = {
    "recordActuals": Action.IMPORT_DATA,
    "trackingDashboard": Action.READ,
    "repProgress": Action.READ,
}


@strawberry.type
class TrackingQuery(DashboardQuery):
    pass


@strawberry.type
class TrackingMutation(ActualsMutation):
    pass
