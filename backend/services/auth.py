"""Sign-in, sessions, API tokens and users: who the caller is, proven and recorded."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ApiToken, AuthSession, OrgUnit, Rep, User
from backend.db.repositories import identity as identity_repo
from backend.services import audit, passwords, text
from backend.services.access import (
    COMPANY_WIDE,
    EVERYTHING,
    NOTHING,
    ROLE_ACTIONS,
    SYSTEM,
    Action,
    Principal,
    Role,
    Scope,
)
from backend.services.errors import (
    DomainError,
    ErrorCode,
    FieldProblem,
    Problems,
    not_found,
    stale,
)
from backend.services.passwords import VerifierBusy, hash_password
from backend.services.throttle import SignInThrottle

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
MAX_TOKEN_DAYS = 365
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 200  # the column's width; display names too
TOKEN_PREFIX = "qt_"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def digest(raw_token: str) -> str:
    """Tokens are random and long: a plain SHA-256 is the right at-rest hash for them."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def csrf_for(raw_session_token: str, secret_key: str) -> str:
    """The CSRF token bound to a session (double submit, checked without a database read)."""
    mac = hmac.new(secret_key.encode(), raw_session_token.encode(), hashlib.sha256)
    return mac.hexdigest()


# --- principals ---------------------------------------------------------------------------


async def principal_for(
    session: AsyncSession,
    user: User,
    *,
    actions: frozenset[Action] | None = None,
    scope_org_id: int | None = None,
    via: str = "session",
) -> Principal:
    """The caller a user stands for, optionally narrowed (an API token's actions and scope).

    The user's role and scope are read now, so a token never holds more than its owner does
    today: its actions are the intersection of its own and the role's, and its scope the
    intersection of its org subtree and the owner's scope (a rep stays limited to their own
    rep). When the two scopes no longer overlap (the owner was moved elsewhere), the principal
    sees nothing and may do nothing but sign in; ``principal_from_api_token`` refuses it.
    """
    role = Role(user.role)
    owner_scope = await _scope_of(session, user, role)
    scope: Scope | None = owner_scope
    if scope_org_id is not None:
        unit = await session.get(OrgUnit, scope_org_id)
        scope = _intersection(owner_scope, unit.path) if unit else None
    if scope is None:
        return Principal(
            username=user.username,
            role=role,
            actions=frozenset({Action.SIGN_IN}),
            scope=NOTHING,
            user_id=user.id,
            rep_id=user.rep_id,
            via=via,
        )
    allowed = ROLE_ACTIONS[role] if actions is None else ROLE_ACTIONS[role] & actions
    return Principal(
        username=user.username,
        role=role,
        actions=allowed | {Action.SIGN_IN},
        scope=scope,
        user_id=user.id,
        rep_id=user.rep_id,
        via=via,
    )


def _intersection(owner: Scope, org_path: str) -> Scope | None:
    """The part of ``owner`` inside the org subtree at ``org_path``; None when disjoint."""
    if owner.nothing:
        return None
    if owner.org_path is None or org_path.startswith(owner.org_path):
        return Scope(org_path=org_path, rep_id=owner.rep_id)
    if owner.org_path.startswith(org_path):
        return owner
    return None


def scope_root_id(scope: Scope) -> int | None:
    """The org unit at the root of a scope: None for the whole company."""
    if scope.org_path is None:
        return None
    last = scope.org_path.strip("/").rpartition("/")[2]
    if not last.isdigit():  # "/nowhere/": a manager without a unit
        raise DomainError.single(ErrorCode.FORBIDDEN, "your scope holds no org unit", "scopeOrgId")
    return int(last)


async def _scope_of(session: AsyncSession, user: User, role: Role) -> Scope:
    if role in COMPANY_WIDE:
        return EVERYTHING
    if role is Role.REP:
        rep = await session.get(Rep, user.rep_id) if user.rep_id else None
        team = await session.get(OrgUnit, rep.team_id) if rep else None
        return Scope(org_path=team.path if team else "/nowhere/", rep_id=user.rep_id or -1)
    unit = await session.get(OrgUnit, user.scope_org_id) if user.scope_org_id else None
    return Scope(org_path=unit.path if unit else "/nowhere/")


async def principal_from_session_token(
    session: AsyncSession, raw_token: str, *, now: datetime
) -> Principal | None:
    row = await identity_repo.session_by_hash(session, digest(raw_token))
    if row is None or row.revoked_at is not None or (_aware(row.expires_at) or now) <= now:
        return None
    user = await session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return await principal_for(session, user, via="session")


async def principal_from_api_token(
    session: AsyncSession, raw_token: str, *, now: datetime
) -> Principal | None:
    """Resolve a bearer token; expired, revoked or unknown tokens are refused (None)."""
    token = await identity_repo.token_by_hash(session, digest(raw_token))
    if token is None or token.revoked_at is not None or (_aware(token.expires_at) or now) <= now:
        return None
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    last = _aware(token.last_used_at)
    if last is None or now - last > timedelta(minutes=1):  # one write a minute at most
        token.last_used_at = now
        await session.commit()
    actions = frozenset(Action(a) for a in token.actions)
    principal = await principal_for(
        session, user, actions=actions, scope_org_id=token.scope_org_id, via="token"
    )
    # Its subtree and its owner's no longer overlap: refused, as a revoked token would be.
    return None if principal.scope.nothing else principal


# --- sign-in ------------------------------------------------------------------------------


WRONG_PASSWORD = "wrong username or password"
TRY_LATER = "too many sign-in attempts; try again in a minute"


@dataclass(frozen=True)
class SignIn:
    """Outcome of a sign-in attempt; on failure the problem is set and nothing is granted."""

    user: User | None = None
    session_token: str | None = None
    problem: str | None = None
    code: ErrorCode = ErrorCode.FORBIDDEN


async def sign_in(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    now: datetime,
    client: str = "",
    throttle: SignInThrottle | None = None,
) -> SignIn:
    """Check a password, with rate limits and a lockout after repeated failures; all audited.

    The attempt is counted and committed before the password is checked, so concurrent attempts
    all see it and no write lock is held while argon2 runs; the caller commits the outcome.
    """
    name = text.normalize(username)  # as usernames are stored
    if throttle is not None and not throttle.allows(
        client=client, username=name, now=time.monotonic()
    ):
        return await _refused(session, name, "sign_in_refused_rate", client, TRY_LATER)
    if not passwords.has_room():  # refused before the attempt is counted: nothing changes
        return await _refused(session, name, "sign_in_refused_busy", client, TRY_LATER)
    try:
        outcome = await _check_password(session, name, password, now, client)
    except VerifierBusy:  # filled up meanwhile; the attempt stays counted, as a failure would
        return await _refused(session, name, "sign_in_refused_busy", client, TRY_LATER)
    if throttle is not None and outcome.user is None:  # a guess (or a locked account's)
        throttle.failed(client=client, username=name, now=time.monotonic())
    return outcome


async def _check_password(
    session: AsyncSession, name: str, password: str, now: datetime, client: str
) -> SignIn:
    # A name no account can have (NUL, zero-width, overlong) is an unknown user, not looked up.
    storable = len(name) <= MAX_USERNAME_LENGTH and not text.hidden_characters(name)
    user = await identity_repo.user_by_username(session, name) if storable else None
    if user is not None and user.id is not None:
        counted = await identity_repo.claim_sign_in_attempt(
            session, user.id, now=now, max_failures=MAX_FAILED_SIGN_INS, lockout=LOCKOUT
        )
        if counted is None:  # locked: refused before any hashing
            minutes = int(LOCKOUT.total_seconds()) // 60
            message = f"too many failed sign-ins; try again within {minutes} minutes"
            return await _refused(session, name, "sign_in_refused_locked", client, message)
        await session.commit()
    # An unknown user is checked against a dummy hash: the same work as a wrong password.
    matched = await passwords.verify(user.password_hash if user else "", password)
    if user is None or user.id is None or not user.is_active or not matched:
        await _audit_sign_in(session, name, "sign_in_failed", client)
        return SignIn(problem=WRONG_PASSWORD)
    await identity_repo.reset_sign_in_failures(session, user.id, now=now)
    raw = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=digest(raw),
            csrf_token="",
            expires_at=now + SESSION_LIFETIME,
        )
    )
    await _audit_sign_in(session, user.username, "sign_in", client)
    return SignIn(user=user, session_token=raw)


async def _refused(
    session: AsyncSession, username: str, action: str, client: str, message: str
) -> SignIn:
    await _audit_sign_in(session, username, action, client)
    return SignIn(problem=message, code=ErrorCode.TOO_MANY_ATTEMPTS)


async def _audit_sign_in(session: AsyncSession, username: str, action: str, client: str) -> None:
    username = text.for_log(username)  # whatever an anonymous caller typed, recorded safely
    await audit.record(
        session,
        publish=False,
        actor=username or "(empty)",
        action=action,
        entity="session",
        entity_id=username or "-",
        before=None,
        after={"client": client} if client else None,
    )


async def sign_out(session: AsyncSession, *, raw_token: str, now: datetime) -> None:
    row = await identity_repo.session_by_hash(session, digest(raw_token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        user = await session.get(User, row.user_id)
        await audit.record(
            session,
            publish=False,
            actor=user.username if user else "?",
            action="sign_out",
            entity="session",
            entity_id=str(row.id),
            before=None,
            after=None,
        )


# --- users --------------------------------------------------------------------------------


def _require(principal: Principal, action: Action) -> None:
    if not principal.can(action):
        raise DomainError.single(ErrorCode.FORBIDDEN, f"you may not {action.value}")


async def create_user(
    session: AsyncSession,
    *,
    actor: Principal,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    scope_org_id: int | None = None,
    rep_id: int | None = None,
) -> User:
    """Create a user; the actor can only grant a scope inside their own."""
    _require(actor, Action.MANAGE_USERS)
    problems = Problems()
    username = text.clean_identifier(
        username,
        field="username",
        problems=problems,
        max_length=MAX_USERNAME_LENGTH,
        label="username",
    )
    if display_name:
        display_name = text.clean_name(
            display_name,
            field="displayName",
            problems=problems,
            max_length=MAX_USERNAME_LENGTH,
            label="display name",
        )
    if not problems.items and await identity_repo.user_by_username_any_case(session, username):
        problems.invalid("username", f"username {username!r} is taken (whatever the letter case)")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.invalid(
            "password", f"password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if role not in {r.value for r in Role}:
        problems.invalid("role", f"unknown role {role!r}")
    problems.raise_if_any()
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        scope_org_id=scope_org_id,
        rep_id=rep_id,
    )
    await _check_grant(session, actor, user)
    session.add(user)
    await session.flush()
    await audit.record(
        session,
        publish=False,
        actor=actor.username,
        action="create_user",
        entity="user",
        entity_id=user.id,
        before=None,
        after={
            "username": user.username,
            "role": role,
            "scope_org_id": scope_org_id,
            "rep_id": rep_id,
        },
    )
    return user


async def _check_grant(session: AsyncSession, actor: Principal, user: User) -> None:
    """Nobody grants a scope or a role wider than their own."""
    role = Role(user.role)
    problems = Problems()
    if role is Role.REP and user.rep_id is None:
        problems.invalid("repId", "a rep user must be linked to a rep")
    if role in {Role.BRANCH_MANAGER, Role.TEAM_LEAD} and user.scope_org_id is None:
        problems.invalid("scopeOrgId", "a manager must be scoped to an org unit")
    if user.scope_org_id is not None and await session.get(OrgUnit, user.scope_org_id) is None:
        problems.invalid("scopeOrgId", f"org unit {user.scope_org_id} does not exist")
    if user.rep_id is not None and await session.get(Rep, user.rep_id) is None:
        problems.invalid("repId", f"rep {user.rep_id} does not exist")
    problems.raise_if_any()
    if not _holds_no_more_than(await principal_for(session, user), actor):
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "you cannot grant a role or scope beyond your own", "scopeOrgId"
        )


def _holds_no_more_than(user: Principal, actor: Principal) -> bool:
    return user.scope.within(actor.scope) and user.actions <= actor.actions


async def change_role(
    session: AsyncSession,
    *,
    actor: Principal,
    user_id: int,
    expected_version: int,
    role: str,
    scope_org_id: int | None,
    rep_id: int | None,
) -> User:
    _require(actor, Action.MANAGE_USERS)
    user = await session.get(User, user_id)
    if user is None:
        raise not_found("User", user_id)
    if user.version != expected_version:
        raise stale("User", user.version)
    if role not in {r.value for r in Role}:
        raise DomainError.single(ErrorCode.INVALID, f"unknown role {role!r}", "role")
    if not _holds_no_more_than(await principal_for(session, user), actor):
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "you cannot change a user who holds more than you", "userId"
        )
    before = {"role": user.role, "scope_org_id": user.scope_org_id, "rep_id": user.rep_id}
    user.role, user.scope_org_id, user.rep_id = role, scope_org_id, rep_id
    await _check_grant(session, actor, user)
    user.version += 1
    await audit.record(
        session,
        publish=False,
        actor=actor.username,
        action="change_role",
        entity="user",
        entity_id=user.id,
        before=before,
        after={"role": role, "scope_org_id": scope_org_id, "rep_id": rep_id},
    )
    return user


# --- API tokens ---------------------------------------------------------------------------


async def create_token(
    session: AsyncSession,
    *,
    actor: Principal,
    name: str,
    actions: list[str],
    scope_org_id: int | None,
    expires_in_days: int,
    now: datetime,
) -> tuple[ApiToken, str]:
    """Issue a token for the actor's own user; the raw value is returned once, never stored.

    The actor is a session or another token of the same user: either way the new token's
    actions must be among the actor's and its scope inside the actor's, which is also its
    default (a token minted by a subtree token is limited to that subtree). At every use the
    token is narrowed again to what its owner holds then (``principal_for``).
    """
    _require(actor, Action.MANAGE_TOKENS)
    if actor.user_id is None or actor.via not in {"session", "token"}:
        raise DomainError.single(ErrorCode.FORBIDDEN, "only a signed-in user can own a token")
    problems = Problems()
    if not name.strip():
        problems.invalid("name", "name must not be empty")
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        problems.invalid("expiresInDays", f"expiry must be 1 to {MAX_TOKEN_DAYS} days")
    wanted = set()
    beyond: list[FieldProblem] = []
    for i, action in enumerate(actions):
        if action not in {a.value for a in Action}:
            problems.invalid(f"actions[{i}]", f"unknown action {action!r}")
        elif Action(action) not in actor.actions:
            message = f"you cannot grant {action!r}: you lack it"
            beyond.append(FieldProblem(ErrorCode.FORBIDDEN, message, f"actions[{i}]"))
        else:
            wanted.add(action)
    if not actions:
        problems.invalid("actions", "a token needs at least one action")
    problems.raise_if_any()
    if beyond:
        raise DomainError(beyond)
    if scope_org_id is None:
        scope_org_id = scope_root_id(actor.scope)
    else:
        unit = await session.get(OrgUnit, scope_org_id)
        if unit is None or not actor.scope.covers_path(unit.path):
            raise DomainError.single(
                ErrorCode.FORBIDDEN, "the token's scope must lie inside your own", "scopeOrgId"
            )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.user_id,
        name=name.strip(),
        prefix=raw[:10],
        token_hash=digest(raw),
        actions=sorted(wanted),
        scope_org_id=scope_org_id,
        created_by=actor.username,
        expires_at=now + timedelta(days=expires_in_days),
    )
    session.add(token)
    await session.flush()
    await audit.record(
        session,
        publish=False,
        actor=actor.username,
        action="create_token",
        entity="api_token",
        entity_id=token.id,
        before=None,
        after={
            "name": token.name,
            "actions": token.actions,
            "scope_org_id": scope_org_id,
            "via": actor.via,
        },
    )
    return token, raw


def _sees_every_token(actor: Principal) -> bool:
    """Administrators see and revoke everyone's tokens, in person: a token only its owner's."""
    return actor.can(Action.MANAGE_USERS) and actor.via != "token"


async def revoke_token(
    session: AsyncSession, *, actor: Principal, token_id: int, now: datetime
) -> ApiToken:
    token = await session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.user_id and not _sees_every_token(actor)):
        raise not_found("API token", token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        await audit.record(
            session,
            publish=False,
            actor=actor.username,
            action="revoke_token",
            entity="api_token",
            entity_id=token.id,
            before=None,
            after={"name": token.name},
        )
    return token


async def list_tokens(session: AsyncSession, *, actor: Principal) -> list[ApiToken]:
    if actor.user_id is None and not _sees_every_token(actor):
        return []
    everyone = _sees_every_token(actor)
    return list(await identity_repo.tokens_of(session, None if everyone else actor.user_id))


async def bootstrap_admin(session: AsyncSession, *, username: str, password: str) -> User:
    """The first administrator, created from the command line (which acts as the system)."""
    return await create_user(
        session,
        actor=SYSTEM,
        username=username,
        password=password,
        role=Role.ADMIN.value,
        display_name=username,
    )


async def list_users(session: AsyncSession, *, actor: Principal) -> list[User]:
    """Users whose role and scope lie inside the actor's (all of them for an administrator)."""
    _require(actor, Action.MANAGE_USERS)
    users = list(await identity_repo.all_users(session))
    if actor.scope == EVERYTHING:
        return users
    return [u for u in users if (await principal_for(session, u)).scope.within(actor.scope)]
