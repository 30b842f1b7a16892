"""Who the caller is and what they may touch: roles, actions and the org subtree in scope.

The GraphQL layer turns a request into a ``Principal`` once; services and loaders then use its
``Scope`` to limit every list, count and lookup, so no resolver carries its own check.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    MANAGE_TOKENS = "manage_tokens"  # one's own API tokens
    HANDLE_ALERTS = "handle_alerts"  # acknowledge and resolve alerts within scope
    MANAGE_ALERT_RULES = "manage_alert_rules"  # define alert rules within scope
    MANAGE_INTEGRATIONS = "manage_integrations"  # webhooks, the job queue, dead letters
    # Ask for a change of targets and give feedback on them: one's own (a rep) or within scope.
    REQUEST_ADJUSTMENTS = "request_adjustments"
    # Approve or refuse others' requests, respond to feedback, apply people changes to plans.
    DECIDE_ADJUSTMENTS = "decide_adjustments"
    SIGN_IN = "sign_in"  # open to everyone, signed in or not


class Role(StrEnum):
    ADMIN = "admin"
    HQ_PLANNER = "hq_planner"
    BRANCH_MANAGER = "branch_manager"
    TEAM_LEAD = "team_lead"
    REP = "rep"
    INTEGRATION = "integration"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.HQ_PLANNER: frozenset(
        {
            Action.READ,
            Action.PLAN,
            Action.APPROVE_PLAN,
            Action.IMPORT_DATA,
            Action.EXPORT_DATA,
            Action.MANAGE_REPS,
            Action.MANAGE_TOKENS,
            Action.HANDLE_ALERTS,
            Action.MANAGE_ALERT_RULES,
            Action.REQUEST_ADJUSTMENTS,
            Action.DECIDE_ADJUSTMENTS,
            Action.SIGN_IN,
        }
    ),
    Role.BRANCH_MANAGER: frozenset(
        {
            Action.READ,
            Action.PLAN,
            Action.APPROVE_PLAN,
            Action.MANAGE_REPS,
            Action.MANAGE_ORG,
            Action.EXPORT_DATA,
            Action.MANAGE_TOKENS,
            Action.HANDLE_ALERTS,
            Action.MANAGE_ALERT_RULES,
            Action.REQUEST_ADJUSTMENTS,
            Action.DECIDE_ADJUSTMENTS,
            Action.SIGN_IN,
        }
    ),
    Role.TEAM_LEAD: frozenset(
        {
            Action.READ,
            Action.PLAN,
            Action.EXPORT_DATA,
            Action.HANDLE_ALERTS,
            Action.REQUEST_ADJUSTMENTS,
            Action.DECIDE_ADJUSTMENTS,
            Action.SIGN_IN,
        }
    ),
    Role.REP: frozenset({Action.READ, Action.REQUEST_ADJUSTMENTS, Action.SIGN_IN}),
    # An integration identity acts only through tokens, each narrowed further by its actions.
    Role.INTEGRATION: frozenset(
        {
            Action.READ,
            Action.IMPORT_DATA,
            Action.EXPORT_DATA,
            Action.MANAGE_REPS,
            Action.SIGN_IN,
        }
    ),
}

#: Roles whose scope is the whole company whatever their scope_org_id says.
COMPANY_WIDE = frozenset({Role.ADMIN, Role.HQ_PLANNER})


@dataclass(frozen=True)
class Scope:
    """The part of the company a caller sees: an org subtree, and for a rep only themself.

    ``org_path`` None means the whole company; ``nothing`` means not even that (anonymous).
    """

    org_path: str | None = None
    rep_id: int | None = None
    nothing: bool = False

    def covers_path(self, path: str) -> bool:
        """Whether an org unit (by its materialised path) lies inside the scope."""
        if self.nothing:
            return False
        return self.org_path is None or path.startswith(self.org_path)

    def covers_rep(self, rep_id: int, team_path: str) -> bool:
        if self.rep_id is not None:
            return rep_id == self.rep_id
        return self.covers_path(team_path)

    def within(self, other: Scope) -> bool:
        """Whether this scope is no wider than ``other`` (nobody grants beyond their own)."""
        if other.nothing:
            return self.nothing
        if other.rep_id is not None and self.rep_id != other.rep_id:
            return False
        if other.org_path is None:
            return True
        return self.org_path is not None and self.org_path.startswith(other.org_path)


EVERYTHING = Scope()
NOTHING = Scope(nothing=True)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: who, which actions, which scope, and how they signed in."""

    username: str
    role: Role | None
    actions: frozenset[Action]
    scope: Scope
    user_id: int | None = None
    rep_id: int | None = None
    via: str = "anonymous"  # anonymous | session | token | system

    def can(self, action: Action) -> bool:
        return action in self.actions

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Principal(
    username="anonymous", role=None, actions=frozenset({Action.SIGN_IN}), scope=NOTHING
)
SYSTEM = Principal(
    username="system", role=Role.ADMIN, actions=frozenset(Action), scope=EVERYTHING, via="system"
)
