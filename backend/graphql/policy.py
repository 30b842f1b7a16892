"""Who may call which root field: one table, enforced by one schema extension.

Every root field of Query, Mutation and Subscription must appear here (a test checks it), so a
new operation cannot ship without a decision on who may use it. Row-level scoping (a branch
manager sees only their subtree) is applied by the services from the caller's scope.
"""

from __future__ import annotations

from backend.graphql.adjustments import ADJUSTMENT_POLICY
from backend.graphql.adjustments.people import PEOPLE_POLICY
from backend.graphql.alerts import ALERT_POLICY
from backend.graphql.feedback import FEEDBACK_POLICY
from backend.graphql.notifications import NOTIFICATION_POLICY
from backend.graphql.tracking import TRACKING_POLICY
from backend.services.access import Action

_CORE_POLICY: dict[str, Action] = {
    # Query
    "orgUnits": Action.READ,
    "orgUnit": Action.READ,
    "metrics": Action.READ,
    "ranks": Action.READ,
    "rank": Action.READ,
    "regions": Action.READ,
    "reps": Action.READ,
    "rep": Action.READ,
    # Mutation
    "createOrgUnit": Action.MANAGE_ORG,
    "updateOrgUnit": Action.MANAGE_ORG,
    "createRank": Action.MANAGE_RANKS,
    "updateRank": Action.MANAGE_RANKS,
    "updateRankSettings": Action.MANAGE_RANKS,
    "transferRep": Action.MANAGE_REPS,
    "changeRepRank": Action.MANAGE_REPS,
    # Identity
    "me": Action.SIGN_IN,
    "users": Action.MANAGE_USERS,
    "apiTokens": Action.MANAGE_TOKENS,
    "signIn": Action.SIGN_IN,
    "signOut": Action.SIGN_IN,
    "createUser": Action.MANAGE_USERS,
    "changeUserRole": Action.MANAGE_USERS,
    "createApiToken": Action.MANAGE_TOKENS,
    "revokeApiToken": Action.MANAGE_TOKENS,
    # Imports and exports
    "importKinds": Action.IMPORT_DATA,
    "importRuns": Action.IMPORT_DATA,
    "importRun": Action.IMPORT_DATA,
    "importMappings": Action.IMPORT_DATA,
    "exportFile": Action.EXPORT_DATA,
    "uploadImport": Action.IMPORT_DATA,
    "setImportMapping": Action.IMPORT_DATA,
    "dryRunImport": Action.IMPORT_DATA,
    "commitImport": Action.IMPORT_DATA,
    "resumeImport": Action.IMPORT_DATA,
    "discardImport": Action.IMPORT_DATA,
    # Planning
    "plans": Action.READ,
    "plan": Action.READ,
    "targetsGrid": Action.READ,
    "planTargets": Action.READ,
    "planPeers": Action.READ,
    "achievementProbability": Action.READ,
    "createPlan": Action.PLAN,
    "updatePlan": Action.PLAN,
    "generatePlan": Action.PLAN,
    "overrideTarget": Action.PLAN,
    "previewOverride": Action.PLAN,
    "submitPlan": Action.PLAN,
    "approvePlan": Action.APPROVE_PLAN,
    "returnPlan": Action.APPROVE_PLAN,
    "activatePlan": Action.APPROVE_PLAN,
    "closePlan": Action.APPROVE_PLAN,
    "commentOnPlan": Action.READ,
    "clonePlan": Action.PLAN,
    "whatIf": Action.PLAN,
    "comparePlans": Action.READ,
    "rankAssessment": Action.READ,
    # Subscription
    "changes": Action.READ,
    "planChanged": Action.READ,
    "generationProgress": Action.READ,
    "importProgress": Action.IMPORT_DATA,
}

ROOT_FIELD_POLICY: dict[str, Action] = (
    _CORE_POLICY
    | TRACKING_POLICY
    | ALERT_POLICY
    | NOTIFICATION_POLICY
    | ADJUSTMENT_POLICY
    | FEEDBACK_POLICY
    | PEOPLE_POLICY
)
