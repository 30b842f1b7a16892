"""The HTTP envelope of /graphql: a malformed request is a 400 with a readable JSON error.

Strawberry checks a single operation's fields but not a batch's items, and reads a body that is
valid JSON but not an object (``"x"``, ``[1]``) as if it were one: that was a 500. Here the body
is checked whole before Strawberry sees it (it reads the same cached bytes or form afterwards),
and every refusal Strawberry itself raises (unsupported content type, unknown operation, ...)
comes back as JSON instead of plain text.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from cross_web import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from backend.graphql.limits import MAX_BATCH

BAD_REQUEST = "BAD_REQUEST"


class Malformed(Exception):
    """The request cannot be read as GraphQL over HTTP; the message says why."""


def bad_request(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": BAD_REQUEST}}]}, status
    )


async def guard(run: Callable[..., Awaitable[Any]], request: Any, *args: Any, **kwargs: Any) -> Any:
    """Strawberry's ``run`` for one request, with the body checked first (HTTP only)."""
    if not isinstance(request, Request):  # a WebSocket: its messages are checked per protocol
        return await run(request, *args, **kwargs)
    try:
        await check_request(request)
        return await run(request, *args, **kwargs)
    except Malformed as refusal:
        return bad_request(str(refusal))
    except HTTPException as refusal:  # Strawberry's own refusals, as JSON
        return bad_request(refusal.reason, refusal.status_code)
    except StarletteHTTPException as refusal:  # Starlette's multipart parser
        return bad_request(refusal.detail, refusal.status_code)


async def check_request(request: Request) -> None:
    """Raise ``Malformed`` unless the POST body is one operation or a batch of them."""
    if request.method != "POST":
        return
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == "application/json":
        check_operations(parse_json(await request.body(), "the body"))
    elif media_type == "multipart/form-data":
        form = await request.form()
        operations, files_map = form.get("operations"), form.get("map")
        if not isinstance(operations, str):
            raise Malformed("a multipart request needs an `operations` field (GraphQL JSON)")
        check_operations(parse_json(operations.encode(), "`operations`"))
        if files_map is not None and not isinstance(
            parse_json(str(files_map).encode(), "`map`"), dict
        ):
            raise Malformed("`map` must be a JSON object")


def parse_json(raw: bytes, what: str) -> Any:
    """Strict JSON: UTF-8, one value, no NaN or Infinity."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not UTF-8") from None
    except (json.JSONDecodeError, ValueError) as error:
        raise Malformed(f"{what} is not valid JSON: {error}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_operations(data: Any) -> None:
    """One operation object, or a non-empty list of at most ``MAX_BATCH`` of them."""
    if isinstance(data, list):
        if not data:
            raise Malformed("an empty batch: send at least one operation")
        if len(data) > MAX_BATCH:
            raise Malformed(f"a batch holds at most {MAX_BATCH} operations, not {len(data)}")
        for i, item in enumerate(data, start=1):
            check_operation(item, f"operation {i}: ")
    else:
        check_operation(data, "")


def check_operation(data: Any, where: str) -> None:
    if not isinstance(data, Mapping):
        raise Malformed(
            f"{where}the body must be a JSON object with a `query` (or a list of them, a batch)"
        )
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise Malformed(f"{where}`query` must be a non-empty string (a GraphQL document)")
    for key in ("variables", "extensions"):
        if not isinstance(data.get(key), Mapping | None):
            raise Malformed(f"{where}`{key}` must be a JSON object or null")
    if not isinstance(data.get("operationName"), str | None):
        raise Malformed(f"{where}`operationName` must be a string or null")
