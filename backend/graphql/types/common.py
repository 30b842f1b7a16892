"""Types shared by every part of the API: typed user errors, paging, ids."""

from __future__ import annotations

import base64
import binascii
from enum import Enum

import strawberry

from backend.services.errors import DomainError, ErrorCode, FieldProblem

ErrorCodeEnum = strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Why an operation was refused.",
)


@strawberry.type(description="An expected failure: which input field (if any), why, and a code.")
class UserError:
    field: str | None = strawberry.field(
        description="Dotted path of the input field at fault, e.g. `metrics[0].weight`."
    )
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Human-readable reason.")

    @classmethod
    def from_problem(cls, problem: FieldProblem) -> UserError:
        return cls(field=problem.field, code=problem.code, message=problem.message)


def user_errors(error: DomainError) -> list[UserError]:
    return [UserError.from_problem(p) for p in error.problems]


@strawberry.type(description="Relay page information for a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def offset_page_info(*, offset: int, count: int, total: int) -> PageInfo:
    """Page information of ``count`` items from ``offset`` out of ``total`` (offset paging:
    ``limit`` 1-500 and ``offset`` >= 0 are checked by ``EnforceAccess`` before a resolver runs).
    """
    return PageInfo(
        has_next_page=offset + count < total,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(offset) if count else None,
        end_cursor=encode_cursor(offset + count - 1) if count else None,
    )


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None, field: str = "after") -> int:
    """The offset a cursor stands for; a malformed cursor is an INVALID error on ``field``."""
    if cursor is None:
        return -1
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "offset" and value.isdigit():
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise DomainError.single(ErrorCode.INVALID, "not a cursor from this API", field)


def parse_id(value: strawberry.ID | str, field: str = "id") -> int:
    """Our ids are positive integers; anything else is an INVALID error naming the field."""
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:  # not "³" or "١"
        return int(text)
    raise DomainError.single(ErrorCode.INVALID, f"{value!r} is not a valid id", field)
