"""Sign-in, the current user, users and API tokens."""

from __future__ import annotations

import datetime as dt

import strawberry
from starlette.responses import Response

from backend.db.models import ApiToken as ApiTokenModel
from backend.db.models import User as UserModel
from backend.graphql.authn import CSRF_COOKIE, SESSION_COOKIE, session_cookie
from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.org import OrgUnit
from backend.services import auth
from backend.services.audit import publish_pending
from backend.services.errors import ErrorCode


@strawberry.type(description="A user account.")
class User:
    model: strawberry.Private[UserModel]

    @strawberry.field(description="User id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="Sign-in name.")
    def username(self) -> str:
        return self.model.username

    @strawberry.field(description="Name shown in the app.")
    def display_name(self) -> str:
        return self.model.display_name

    @strawberry.field(
        description="Role: admin, hq_planner, branch_manager, team_lead, rep, integration."
    )
    def role(self) -> str:
        return self.model.role

    @strawberry.field(description="Org unit id the user is scoped to, if any.")
    def scope_org_id(self) -> strawberry.ID | None:
        value = self.model.scope_org_id
        return None if value is None else strawberry.ID(str(value))

    @strawberry.field(description="Rep id for a rep's own account.")
    def rep_id(self) -> strawberry.ID | None:
        value = self.model.rep_id
        return None if value is None else strawberry.ID(str(value))

    @strawberry.field(description="Version for optimistic concurrency on role changes.")
    def version(self) -> int:
        return self.model.version


@strawberry.type(description="The signed-in caller: who, what they may do and where.")
class Me:
    username: str = strawberry.field(description="Sign-in name.")
    display_name: str = strawberry.field(description="Name shown in the app.")
    role: str | None = strawberry.field(description="Role; null when not signed in.")
    actions: list[str] = strawberry.field(description="Actions the caller may take.")
    via: str = strawberry.field(description="How the caller signed in: session, token, anonymous.")
    scope_org_unit: OrgUnit | None = strawberry.field(
        description="Root of the caller's scope; null for the whole company or anonymous."
    )
    rep_id: strawberry.ID | None = strawberry.field(description="The caller's own rep, if a rep.")


@strawberry.type(description="An API token (the secret itself is shown only once, on creation).")
class ApiToken:
    model: strawberry.Private[ApiTokenModel]

    @strawberry.field(description="Token id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.model.id))

    @strawberry.field(description="What the token is for.")
    def name(self) -> str:
        return self.model.name

    @strawberry.field(description="First characters of the token, to recognise it.")
    def prefix(self) -> str:
        return self.model.prefix

    @strawberry.field(description="Actions the token may take.")
    def actions(self) -> list[str]:
        return list(self.model.actions)

    @strawberry.field(description="When it stops working.")
    def expires_at(self) -> dt.datetime:
        return self.model.expires_at

    @strawberry.field(description="When it was revoked, if it was.")
    def revoked_at(self) -> dt.datetime | None:
        return self.model.revoked_at

    @strawberry.field(description="Last time it was used (to the minute).")
    def last_used_at(self) -> dt.datetime | None:
        return self.model.last_used_at

    @strawberry.field(description="When it was created.")
    def created_at(self) -> dt.datetime:
        return self.model.created_at


@strawberry.type(description="Result of signing in.")
class SignInPayload:
    me: Me | None = strawberry.field(description="The signed-in caller; null when refused.")
    csrf_token: str | None = strawberry.field(
        description="Send it as the X-CSRF-Token header on every request (also in a cookie)."
    )
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Result of signing out.")
class SignOutPayload:
    ok: bool | None = strawberry.field(description="True once the session is closed.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.input(description="A new user.")
class CreateUserInput:
    username: str = strawberry.field(description="Sign-in name.")
    password: str = strawberry.field(description="At least 10 characters.")
    role: str = strawberry.field(description="Role name.")
    display_name: str = strawberry.field(default="", description="Name shown in the app.")
    scope_org_id: strawberry.ID | None = strawberry.field(
        default=None, description="Org unit a manager is scoped to."
    )
    rep_id: strawberry.ID | None = strawberry.field(default=None, description="A rep's own rep.")


@strawberry.input(description="Change a user's role and scope.")
class ChangeUserRoleInput:
    user_id: strawberry.ID = strawberry.field(description="The user.")
    expected_version: int = strawberry.field(description="The version you edited.")
    role: str = strawberry.field(description="New role.")
    scope_org_id: strawberry.ID | None = strawberry.field(default=None, description="New scope.")
    rep_id: strawberry.ID | None = strawberry.field(default=None, description="Linked rep.")


@strawberry.type(description="Result of a user mutation.")
class UserPayload:
    user: User | None = strawberry.field(description="The user; null when refused.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.input(description="A new API token for the caller's own account.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="What the token is for.")
    actions: list[str] = strawberry.field(description="Actions it may take (within yours).")
    expires_in_days: int = strawberry.field(default=90, description="Lifetime, 1 to 365 days.")
    scope_org_id: strawberry.ID | None = strawberry.field(
        default=None, description="Narrow it to an org subtree inside your own scope."
    )


@strawberry.type(description="A new token: `token` is the secret, shown this once only.")
class CreateApiTokenPayload:
    token: str | None = strawberry.field(description="The secret; store it now.")
    api_token: ApiToken | None = strawberry.field(description="The token's record.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


@strawberry.type(description="Result of revoking a token.")
class ApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The revoked token.")
    errors: list[UserError] = strawberry.field(description="Why it was refused.")


def _optional_id(value: strawberry.ID | None, field: str) -> int | None:
    return None if value is None else parse_id(value, field)


async def me_of(info: Info) -> Me:
    principal = info.context.principal
    scope_unit = None
    root = (principal.scope.org_path or "").strip("/").rpartition("/")[2]
    if root.isdigit():  # not for the whole company, nor a manager left without a unit
        unit = await info.context.loaders.org_unit.load(int(root))
        scope_unit = OrgUnit(model=unit) if unit else None
    return Me(
        username=principal.username,
        display_name=principal.username,
        role=principal.role.value if principal.role else None,
        actions=sorted(a.value for a in principal.actions),
        via=principal.via,
        scope_org_unit=scope_unit,
        rep_id=strawberry.ID(str(principal.rep_id)) if principal.rep_id else None,
    )


def _set_session_cookies(info: Info, raw_token: str, csrf: str) -> None:
    secure = info.context.settings.is_production
    response = info.context.response
    response.set_cookie(
        SESSION_COOKIE,
        raw_token,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        httponly=False,
        samesite="strict",
        secure=secure,
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        path="/",
    )


@strawberry.type(description="The caller and accounts.")
class IdentityQuery:
    @strawberry.field(description="The caller; role null when not signed in.")
    async def me(self, info: Info) -> Me:
        return await me_of(info)

    @strawberry.field(description="Every user (administrators).")
    async def users(self, info: Info) -> list[User]:
        async with info.context.db() as session:
            users = await auth.list_users(session, actor=info.context.principal)
        return [User(model=u) for u in users]

    @strawberry.field(description="API tokens: your own, or everyone's for administrators.")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        async with info.context.db() as session:
            tokens = await auth.list_tokens(session, actor=info.context.principal)
        return [ApiToken(model=t) for t in tokens]


@strawberry.type(description="Sign-in and account management.")
class IdentityMutation:
    @strawberry.mutation(description="Sign in with a password; sets the session and CSRF cookies.")
    async def sign_in(self, info: Info, username: str, password: str) -> SignInPayload:
        if not isinstance(info.context.response, Response):  # a WebSocket sets no cookies
            message = "sign in over HTTP; a socket authenticates with its cookie or a token"
            error = UserError(field=None, code=ErrorCode.INVALID, message=message)
            return SignInPayload(me=None, csrf_token=None, errors=[error])
        async with info.context.db() as session:
            client = getattr(getattr(info.context.request, "client", None), "host", "") or ""
            outcome = await auth.sign_in(
                session,
                username=username,
                password=password,
                now=auth.now_utc(),
                client=client,
                throttle=info.context.sign_in_throttle,
            )
            await session.commit()  # failures are recorded too
            publish_pending(session)
            if outcome.user is None or outcome.session_token is None:
                error = UserError(
                    field="password", code=outcome.code, message=outcome.problem or "refused"
                )
                return SignInPayload(me=None, csrf_token=None, errors=[error])
            principal = await auth.principal_for(session, outcome.user)
        csrf = auth.csrf_for(outcome.session_token, info.context.settings.secret_key)
        _set_session_cookies(info, outcome.session_token, csrf)
        info.context.principal = principal
        info.context.reset_loaders()
        return SignInPayload(me=await me_of(info), csrf_token=csrf, errors=[])

    @strawberry.mutation(description="Sign out: the session stops working at once.")
    async def sign_out(self, info: Info) -> SignOutPayload:
        request = info.context.request
        raw = session_cookie(request.headers) if request is not None else None
        if raw:
            await atomic(info, lambda s: auth.sign_out(s, raw_token=raw, now=auth.now_utc()))
        response = info.context.response
        if isinstance(response, Response):  # over a WebSocket there are no cookies to clear
            response.delete_cookie(SESSION_COOKIE, path="/")
            response.delete_cookie(CSRF_COOKIE, path="/")
        return SignOutPayload(ok=True, errors=[])

    @strawberry.mutation(description="Create a user (within your own scope).")
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        user, errors = await atomic(
            info,
            lambda s: auth.create_user(
                s,
                actor=info.context.principal,
                username=input.username,
                password=input.password,
                role=input.role,
                display_name=input.display_name,
                scope_org_id=_optional_id(input.scope_org_id, "scopeOrgId"),
                rep_id=_optional_id(input.rep_id, "repId"),
            ),
        )
        return UserPayload(user=User(model=user) if user else None, errors=errors)

    @strawberry.mutation(description="Change a user's role and scope (within your own scope).")
    async def change_user_role(self, info: Info, input: ChangeUserRoleInput) -> UserPayload:
        user, errors = await atomic(
            info,
            lambda s: auth.change_role(
                s,
                actor=info.context.principal,
                user_id=parse_id(input.user_id, "userId"),
                expected_version=input.expected_version,
                role=input.role,
                scope_org_id=_optional_id(input.scope_org_id, "scopeOrgId"),
                rep_id=_optional_id(input.rep_id, "repId"),
            ),
        )
        return UserPayload(user=User(model=user) if user else None, errors=errors)

    @strawberry.mutation(description="Create an API token; its secret is returned this once.")
    async def create_api_token(
        self, info: Info, input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        created, errors = await atomic(
            info,
            lambda s: auth.create_token(
                s,
                actor=info.context.principal,
                name=input.name,
                actions=input.actions,
                scope_org_id=_optional_id(input.scope_org_id, "scopeOrgId"),
                expires_in_days=input.expires_in_days,
                now=auth.now_utc(),
            ),
        )
        if created is None:
            return CreateApiTokenPayload(token=None, api_token=None, errors=errors)
        token, raw = created
        return CreateApiTokenPayload(token=raw, api_token=ApiToken(model=token), errors=[])

    @strawberry.mutation(description="Revoke an API token: it stops working at once.")
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> ApiTokenPayload:
        token, errors = await atomic(
            info,
            lambda s: auth.revoke_token(
                s, actor=info.context.principal, token_id=parse_id(id), now=auth.now_utc()
            ),
        )
        return ApiTokenPayload(api_token=ApiToken(model=token) if token else None, errors=errors)
