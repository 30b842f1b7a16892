"""The one place where every root field is authorised, input lists and pages are capped.

A refused mutation returns its own payload type with a FORBIDDEN error (expected failures are
data, not GraphQL errors); a refused query or subscription is a readable GraphQL error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from graphql import GraphQLError, OperationType, get_named_type
from strawberry.extensions import SchemaExtension
from strawberry.types.base import StrawberryList, StrawberryOptional

from backend.graphql.limits import MAX_PAGE_SIZE, OFFSET_ARGUMENTS, PAGE_SIZE_ARGUMENTS
from backend.graphql.policy import ROOT_FIELD_POLICY
from backend.graphql.types.common import UserError
from backend.services.access import Principal
from backend.services.errors import ErrorCode

MAX_INPUT_LIST = 1000


class AccessDenied(GraphQLError):
    """Shown to the caller as is (never masked)."""


def denial(principal: Principal, field_name: str) -> str | None:
    """Why the caller may not use a root field, or None when they may."""
    action = ROOT_FIELD_POLICY.get(field_name)
    if action is None:
        return f"{field_name} has no access policy"
    if principal.can(action):
        return None
    if not principal.is_authenticated and principal.via != "system":
        return "sign in first"
    return f"your role may not {action.value}"


def _oversized_list(value: Any, path: str) -> str | None:
    """The path of the first input list longer than the cap, searching nested inputs."""
    if isinstance(value, str | bytes):
        return None
    if isinstance(value, Sequence):
        if len(value) > MAX_INPUT_LIST:
            return path
        for i, item in enumerate(value):
            if found := _oversized_list(item, f"{path}[{i}]"):
                return found
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if found := _oversized_list(item, f"{path}.{key}" if path else str(key)):
                return found
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if found := _oversized_list(getattr(value, f.name), f"{path}.{f.name}"):
                return found
    return None


def refusal_payload(info: Any, code: ErrorCode, message: str, field: str | None) -> Any:
    """An instance of the mutation's payload type carrying one error and nothing else.

    Every other field is left empty: a default when it has one, [] for a list, null for a
    nullable; fields computed by a resolver (and private ones) are not constructor arguments.
    """
    type_name = get_named_type(info.return_type).name
    definition = info.schema._strawberry_schema.get_type_by_name(type_name)
    values: dict[str, Any] = {}
    for f in definition.fields:
        if f.python_name == "errors" or not f.init or f.base_resolver is not None:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            continue
        if isinstance(f.type, StrawberryList):
            values[f.python_name] = []
        elif isinstance(f.type, StrawberryOptional):
            values[f.python_name] = None
        else:  # a payload must be able to say "refused": a test checks every mutation
            raise TypeError(f"{type_name}.{f.python_name} cannot be empty in a refusal")
    return definition.origin(**values, errors=[UserError(field=field, code=code, message=message)])


def _paging_problem(arguments: Mapping[str, Any]) -> tuple[str, str] | None:
    """The argument and the reason, when a page size or an offset is out of bounds.

    One convention for every field, root or nested: a page holds 1 to ``MAX_PAGE_SIZE`` items
    and starts at an offset of 0 or more; nothing is clamped silently.
    """
    for name in PAGE_SIZE_ARGUMENTS:
        size = arguments.get(name)
        if isinstance(size, int) and not 1 <= size <= MAX_PAGE_SIZE:
            return name, f"{name} must be 1 to {MAX_PAGE_SIZE} (items per page), not {size}"
    for name in OFFSET_ARGUMENTS:
        offset = arguments.get(name)
        if isinstance(offset, int) and offset < 0:
            return name, f"{name} must be 0 or more, not {offset}"
    return None


class EnforceAccess(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if info.field_name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        is_root = info.path.prev is None
        is_mutation = is_root and info.operation.operation is OperationType.MUTATION
        if is_root:
            reason = denial(info.context.principal, info.field_name)
            if reason is not None:
                if is_mutation:
                    return refusal_payload(info, ErrorCode.FORBIDDEN, reason, None)
                raise AccessDenied(reason, extensions={"code": _denial_code(info)})
            if (path := _oversized_list(kwargs, "")) is not None:
                message = f"a list holds more than {MAX_INPUT_LIST} items"
                if is_mutation:
                    return refusal_payload(info, ErrorCode.INVALID, message, path)
                raise AccessDenied(message, extensions={"code": "INVALID", "field": path})
        if kwargs and (problem := _paging_problem(kwargs)) is not None:
            name, message = problem
            if is_mutation:
                return refusal_payload(info, ErrorCode.INVALID, message, name)
            raise AccessDenied(message, extensions={"code": "INVALID", "field": name})
        return _next(root, info, *args, **kwargs)


def require_root_access(info: Any) -> None:
    """For subscriptions, whose event streams do not pass through ``EnforceAccess.resolve``."""
    reason = denial(info.context.principal, info.field_name)
    if reason is not None:
        raise AccessDenied(reason, extensions={"code": _denial_code(info)})


def _denial_code(info: Any) -> str:
    """UNAUTHENTICATED tells a client to sign in; FORBIDDEN that signing in will not help."""
    principal = info.context.principal
    return (
        "FORBIDDEN"
        if principal.is_authenticated or principal.via == "system"
        else ("UNAUTHENTICATED")
    )
