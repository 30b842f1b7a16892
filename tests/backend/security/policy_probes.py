"""One probe operation per root field, built from the schema itself (so a new field gets one).

A probe calls its field with placeholder arguments: required arguments only, ids that name
nothing (so an allowed call ends in NOT_FOUND or INVALID and changes nothing of consequence),
and the smallest selection that shows the outcome: a mutation payload's ``errors``, else
``__typename``. What a probe tells is only whether the access policy let the call through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.pyutils import Undefined

from backend.graphql.schema import schema

MISSING_ID = "999999"
SCALARS: dict[str, Any] = {
    "ID": MISSING_ID,
    "String": "probe",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": "2026-01-01",
    "DateTime": "2026-01-01T00:00:00Z",
    "JSON": {},
}


@dataclass(frozen=True)
class Probe:
    field: str
    operation: str  # query | mutation | subscription
    document: str
    variables: dict[str, Any]


def placeholder(kind: GraphQLInputType) -> Any:
    """A value of a type: required input fields filled, lists of one item (of uploads: none)."""
    if isinstance(kind, GraphQLNonNull):
        return placeholder(kind.of_type)
    if isinstance(kind, GraphQLList):
        item = get_named_type(kind)
        return [] if item.name == "Upload" else [placeholder(kind.of_type)]
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: placeholder(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS[kind.name]


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    if isinstance(named, GraphQLObjectType) and "errors" in named.fields:
        return "{ errors { code message } }"
    if isinstance(named, GraphQLEnumType | GraphQLScalarType):
        return ""
    return "{ __typename }"


def probe(operation: str, name: str, field: GraphQLField) -> Probe:
    required = {
        arg: spec
        for arg, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    }
    declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in required.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in required)
    header = f"{operation}({declared})" if declared else operation
    call = f"{name}({passed})" if passed else name
    return Probe(
        field=name,
        operation=operation,
        document=f"{header} {{ {call} {_selection(field)} }}",
        variables={arg: placeholder(spec.type) for arg, spec in required.items()},
    )


def all_probes() -> list[Probe]:
    graphql_schema = schema._schema
    roots = {
        "query": graphql_schema.query_type,
        "mutation": graphql_schema.mutation_type,
        "subscription": graphql_schema.subscription_type,
    }
    return [
        probe(operation, name, field)
        for operation, root in roots.items()
        if root is not None
        for name, field in root.fields.items()
    ]
