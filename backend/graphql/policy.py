"""Who may call which root field: one table, enforced by one schema extension.

Every root field of Query, Mutation and Subscription must appear here (a test checks it), so a
new operation cannot ship without a decision on who may use it. Row-level scoping (a branch
manager sees only their subtree) is applied by the services from the caller's scope.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    READ = "read"  # read within one's own scope
    MANAGE_ORG = "manage_org"
    MANAGE_RANKS = "manage_ranks"
    MANAGE_REPS = "manage_reps"
    IMPORT_DATA = "import_data"
    EXPORT_DATA = "export_data"
    PLAN = "plan"  # create, generate and edit plans within scope
    APPROVE_PLAN = "approve_plan"
    MANAGE_USERS = "manage_users"
    SIGN_IN = "sign_in"  # open to everyone


ROOT_FIELD_POLICY: dict[str, Action] = {
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
    # Subscription
    "changes": Action.READ,
}
