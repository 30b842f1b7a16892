"""All tables; importing this module registers them on ``SQLModel.metadata``."""

from backend.db.models.adjustments import (
    AdjustmentAttachment,
    AdjustmentLine,
    AdjustmentRequest,
    TargetFeedback,
    TargetRevision,
)
from backend.db.models.audit import ApiToken, AuditEntry, AuthSession, User
from backend.db.models.facts import (
    Customer,
    Deal,
    DealCredit,
    Invoice,
    MonthlyActual,
    Payment,
    Product,
    ProductLine,
    SatisfactionScore,
)
from backend.db.models.imports import ImportFile, ImportMapping, ImportRun
from backend.db.models.metrics import Coefficient, Metric
from backend.db.models.notifications import (
    Job,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)
from backend.db.models.org import OrgUnit, Region
from backend.db.models.outcome import PlanBottomUp, PlanRelaxation
from backend.db.models.planning import Plan, PlanGoal, Target
from backend.db.models.ranks import Rank, RankMetricSetting, RankSettingsVersion
from backend.db.models.reps import Rep, RepRankHistory
from backend.db.models.tracking import ActualEntry, Alert, AlertEvent, AlertRule

__all__ = [
    "ActualEntry",
    "AdjustmentAttachment",
    "AdjustmentLine",
    "AdjustmentRequest",
    "Alert",
    "AlertEvent",
    "AlertRule",
    "ApiToken",
    "AuditEntry",
    "AuthSession",
    "Coefficient",
    "Customer",
    "Deal",
    "DealCredit",
    "ImportFile",
    "ImportMapping",
    "ImportRun",
    "Invoice",
    "Job",
    "Metric",
    "MonthlyActual",
    "Notification",
    "NotificationPreference",
    "OrgUnit",
    "Payment",
    "Plan",
    "PlanBottomUp",
    "PlanGoal",
    "PlanRelaxation",
    "Product",
    "ProductLine",
    "Rank",
    "RankMetricSetting",
    "RankSettingsVersion",
    "Region",
    "Rep",
    "RepRankHistory",
    "SatisfactionScore",
    "Target",
    "TargetFeedback",
    "TargetRevision",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
