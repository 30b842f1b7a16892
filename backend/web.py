"""HTTP middleware guarding /graphql: request body size and CSRF for cookie sessions."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.graphql.authn import CSRF_HEADER, SESSION_COOKIE, bearer_token, session_cookies
from backend.graphql.limits import MAX_JSON_BODY_BYTES, MAX_UPLOAD_BODY_BYTES
from backend.services.auth import csrf_for


def _refuse(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


class BodyLimitMiddleware:
    """Refuses bodies over the cap, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        is_upload = headers.get("content-type", "").startswith("multipart/form-data")
        cap = MAX_UPLOAD_BODY_BYTES if is_upload else MAX_JSON_BODY_BYTES
        declared = headers.get("content-length")
        if declared and declared.isascii() and declared.isdigit() and int(declared) > cap:
            await _refuse(413, f"request body over {cap} bytes", "PAYLOAD_TOO_LARGE")(
                scope, receive, send
            )
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _refuse(413, f"request body over {cap} bytes", "PAYLOAD_TOO_LARGE")(
                scope, receive, send
            )


class BodyTooLarge(Exception):
    pass


class CSRFMiddleware:
    """A POST authenticated by the session cookie must carry the matching X-CSRF-Token.

    The token is an HMAC of the session token, so checking it needs no database read; requests
    with a bearer token (integrations) carry no ambient credential and need none. A POST with
    neither must be JSON: a browser sends cross-site JSON only after a CORS preflight, while a
    form (urlencoded or multipart) goes without one, so a form could sign a victim in to the
    attacker's account (login CSRF).
    """

    def __init__(self, app: ASGIApp, *, secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            refusal = self._refusal(Headers(scope=scope))
            if refusal is not None:
                await _refuse(403, refusal, "CSRF")(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, headers: Headers) -> str | None:
        if bearer_token(headers.get("authorization")) is not None:
            return None  # authentication then reads the token alone, never a cookie
        sessions = session_cookies(headers)  # read exactly as authentication reads them
        if len(sessions) > 1:
            return (
                f"more than one {SESSION_COOKIE} cookie was sent; "
                "clear this site's cookies and sign in again"
            )
        session = sessions[0] if sessions else None
        if session:
            sent = headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(sent, csrf_for(session, self.secret_key)):
                return "missing or wrong X-CSRF-Token header"
            return None
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            return "a request without a session or token must be sent as application/json"
        return None
