"""The Starlette application: GraphQL at /graphql, the SPA at /, health at /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from backend.db.engine import create_engine, session_factory
from backend.db.migrate import upgrade_to_head
from backend.graphql.authn import authenticate, authenticate_ws_params
from backend.graphql.context import Context, credential_of, ws_param_credential
from backend.graphql.http import guard as http_guard
from backend.graphql.limits import MAX_SUBSCRIPTIONS_PER_SOCKET
from backend.graphql.schema import build_schema
from backend.graphql.subscriptions import LiveSocketHandler
from backend.services.imports.runs import sweep_interrupted
from backend.services.jobs.worker import running_worker
from backend.services.throttle import SignInThrottle
from backend.settings import Settings, get_settings
from backend.web import BodyLimitMiddleware, CSRFMiddleware


class QuotientGraphQL(GraphQL[Context, None]):
    # A socket re-checks its credential before each operation and periodically.
    graphql_transport_ws_handler_class = LiveSocketHandler

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(build_schema(production=settings.is_production), **kwargs)
        self.settings = settings
        self.sessions: Any = None
        self.sign_in_throttle = SignInThrottle(
            per_client=settings.sign_in_limit_per_client,
            per_username=settings.sign_in_limit_per_username,
        )

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """A malformed HTTP request is a 400 with a JSON error (``backend/graphql/http.py``)."""
        return await http_guard(super().run, request, context, root_value)

    async def get_context(self, request: Any, response: Any) -> Context:
        """Each request (or WebSocket connection) is authenticated once, here."""
        principal = await authenticate(request, self.sessions)
        return Context(
            sessions=self.sessions,
            settings=self.settings,
            request=request,
            response=response,
            principal=principal,
            sign_in_throttle=self.sign_in_throttle,
            credential=credential_of(request, principal),
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A token in ``connection_init`` authenticates the socket (clients without cookies)."""
        params = getattr(context, "connection_params", None)
        principal = await authenticate_ws_params(
            params if isinstance(params, dict) else None, self.sessions
        )
        if principal is not None:
            context.principal = principal
            context.credential = ws_param_credential(params)
            context.reset_loaders()
        return cast(UnsetType, UNSET)


def create_app(settings: Settings | None = None, *, engine: AsyncEngine | None = None) -> Starlette:
    """Build the app; on start-up it upgrades the schema to the newest migration, marks
    import runs left `committing` by a crash as `interrupted` and starts the job worker
    (unless ``worker_in_process`` is off).

    Tests pass their own ``engine`` (already migrated); the app then leaves it to them.
    """
    settings = settings or get_settings()
    graphql_app = QuotientGraphQL(
        settings,
        graphql_ide=None if settings.is_production else "graphiql",
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        allow_queries_via_get=False,
        multipart_uploads_enabled=True,
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_SOCKET,
    )

    if engine is not None:
        graphql_app.sessions = session_factory(engine)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if engine is not None:
            yield
            return
        own_engine = create_engine(settings.database_url)
        await upgrade_to_head(own_engine)
        graphql_app.sessions = session_factory(own_engine)
        await sweep_interrupted(graphql_app.sessions)  # commits cut short by a crash
        async with running_worker(graphql_app.sessions, settings):  # unless turned off
            yield
        await own_engine.dispose()

    routes = [
        Route("/healthz", _health),
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_app),
        *_spa_routes(settings.frontend_dist),
    ]
    middleware = [
        Middleware(BodyLimitMiddleware),
        Middleware(CSRFMiddleware, secret_key=settings.secret_key),
    ]
    if settings.cors_origins:
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_credentials=True,
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "x-csrf-token", "authorization"],
            ),
        )
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


async def _health(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _spa_routes(dist: Path) -> list[Any]:
    """Static assets, and index.html for every client-side route."""
    index = dist / "index.html"

    async def spa(_: Request) -> Response:
        if index.exists():
            return FileResponse(index)
        return PlainTextResponse(
            "The SPA is not built yet: run `./quotient build-spa`",
            status_code=503,
        )

    routes: list[Any] = []
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", StaticFiles(directory=dist / "assets"), name="assets"))
    routes.append(Route("/{path:path}", spa))
    return routes
