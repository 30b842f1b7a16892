"""The published contract: schema.graphql equals the code, and everything is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from backend.graphql.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code():
    assert (ROOT / "schema.graphql").read_text().strip() == schema.as_str().strip()


def test_every_type_and_field_has_a_description():
    missing = []
    for name, gql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(
            gql_type, GraphQLObjectType | GraphQLInputObjectType | GraphQLEnumType
        ):
            continue
        if not gql_type.description:
            missing.append(name)
        for field_name, field in getattr(gql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
