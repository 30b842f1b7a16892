"""The per-request context: one database session, fresh DataLoaders, the acting user and the
credential they were authenticated with (so a live socket can re-check it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.types import Info as StrawberryInfo

from backend.graphql.authn import bearer_token, session_cookie
from backend.services import auth
from backend.services.access import ANONYMOUS, Principal, Scope
from backend.services.throttle import SignInThrottle
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.graphql.loaders import Loaders


@dataclass(frozen=True)
class Credential:
    """What a principal was authenticated with: a session cookie or an API token (raw, as the
    client sent it; kept in memory only, for as long as the request or socket lives)."""

    kind: str  # session | token
    raw: str = field(repr=False)


def credential_of(connection: Any, principal: Principal) -> Credential | None:
    """The credential ``backend.graphql.authn.authenticate`` resolved ``principal`` from."""
    if connection is None:
        return None
    if principal.via == "token":
        raw = bearer_token(connection.headers.get("authorization"))
        return Credential("token", raw) if raw else None
    if principal.via == "session":
        cookie = session_cookie(connection.headers)  # read exactly as authentication did
        return Credential("session", cookie) if cookie else None
    return None


def ws_param_credential(params: Any) -> Credential | None:
    """The bearer token of a graphql-transport-ws ``connection_init`` payload, if any."""
    if not isinstance(params, dict):
        return None
    raw = params.get("authorization") or params.get("Authorization")
    token = bearer_token(raw if isinstance(raw, str) else None)
    return Credential("token", token) if token else None


@dataclass
class Context:
    """Built for each HTTP request or WebSocket operation; the session opens on first use."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    request: Any = None
    response: Any = None
    principal: Principal = ANONYMOUS
    connection_params: Any = None  # graphql-transport-ws connection_init payload
    sign_in_throttle: SignInThrottle | None = None  # one per app, shared by its requests
    credential: Credential | None = None  # what ``principal`` was authenticated with
    _session: AsyncSession | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def actor(self) -> str:
        """The name recorded in the audit trail."""
        return self.principal.username

    @property
    def scope(self) -> Scope:
        return self.principal.scope

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self.sessions()
        return self._session

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        """The session, for one resolver at a time.

        GraphQL resolves sibling fields concurrently, and an AsyncSession must never be used
        by two tasks at once: every database access of the API layer goes through this lock.
        """
        async with self.lock:
            yield self.session

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            from backend.graphql.loaders import Loaders

            self._loaders = Loaders(self.db, self.principal.scope)
        return self._loaders

    async def current_principal(self) -> Principal:
        """Who the credential stands for now: anonymous once signed out, revoked or expired,
        the user deactivated; narrowed anew after a change of role or scope."""
        credential = self.credential
        if credential is None:
            return ANONYMOUS
        async with self.sessions() as session:
            now = auth.now_utc()
            if credential.kind == "token":
                found = await auth.principal_from_api_token(session, credential.raw, now=now)
            else:
                found = await auth.principal_from_session_token(session, credential.raw, now=now)
        return found or ANONYMOUS

    async def still_valid(self) -> bool:
        """Whether the caller is still exactly who they were when authenticated (a live socket
        asks before each operation and event, and periodically)."""
        if self.principal.via == "system":
            return True
        return await self.current_principal() == self.principal

    def reset_loaders(self) -> None:
        """After the principal changes (sign-in), loaders must apply the new scope."""
        self._loaders = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._loaders = None


Info = StrawberryInfo[Context, None]
