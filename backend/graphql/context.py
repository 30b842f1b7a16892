"""The per-request context: one database session, fresh DataLoaders, the acting user."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.types import Info as StrawberryInfo

from backend.services.access import ANONYMOUS, Principal, Scope
from backend.services.throttle import SignInThrottle
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.graphql.loaders import Loaders


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

    def reset_loaders(self) -> None:
        """After the principal changes (sign-in), loaders must apply the new scope."""
        self._loaders = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._loaders = None


Info = StrawberryInfo[Context, None]
