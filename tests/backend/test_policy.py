"""Every root field has an access decision in the policy table."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_composite_type,
)

from backend.graphql.policy import ROOT_FIELD_POLICY
from backend.graphql.schema import schema
from backend.services.access import Action
from tests.factories import make_user


def test_every_root_field_is_in_the_policy_table():
    roots = [
        schema._schema.query_type,
        schema._schema.mutation_type,
        schema._schema.subscription_type,
    ]
    fields = {name for root in roots if root for name in root.fields}
    assert fields - set(ROOT_FIELD_POLICY) == set()
    assert set(ROOT_FIELD_POLICY) - fields == set()


def _literal(type_: GraphQLInputType) -> str:
    """A valid-looking literal of an input type: required input fields filled, lists empty."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[]"
    if isinstance(type_, GraphQLEnumType):
        return str(next(iter(type_.values)))
    if isinstance(type_, GraphQLInputObjectType):
        required = [
            f"{name}: {_literal(f.type)}"
            for name, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        ]
        return "{" + ", ".join(required) + "}"
    assert isinstance(type_, GraphQLScalarType)
    return {
        "ID": '"1"',
        "String": '"x"',
        "Int": "1",
        "Float": "1.5",
        "Boolean": "true",
        "Date": '"2026-01-01"',
        "DateTime": '"2026-01-01T00:00:00+00:00"',
        "JSON": "{}",
    }[type_.name]


def _refusable_mutation(name: str) -> str:
    """The mutation with valid-looking arguments, selecting every field of its payload."""
    assert schema._schema.mutation_type is not None
    field = schema._schema.mutation_type.fields[name]
    args = ", ".join(
        f"{arg}: {_literal(a.type)}"
        for arg, a in field.args.items()
        if isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
    )
    payload = get_named_type(field.type)
    assert isinstance(payload, GraphQLObjectType), name
    selections = " ".join(
        f
        if not is_composite_type(get_named_type(d.type))
        else "errors { field code message }"
        if f == "errors"
        else f"{f} {{ __typename }}"
        for f, d in payload.fields.items()
    )
    call = f"{name}({args})" if args else name
    return f"mutation {{ {call} {{ {selections} }} }}"


REFUSED_ANONYMOUSLY = sorted(
    name
    for name in (schema._schema.mutation_type.fields if schema._schema.mutation_type else {})
    if ROOT_FIELD_POLICY[name] is not Action.SIGN_IN
)


@pytest.mark.parametrize("name", REFUSED_ANONYMOUSLY)
async def test_a_refused_mutation_is_a_typed_forbidden_whatever_its_payload(
    name, anonymous, company
):
    """The refusal is built from the payload type: lists empty, nullables null, no resolvers."""
    body = await anonymous.execute(_refusable_mutation(name))
    assert "errors" not in body, body["errors"]
    assert [e["code"] for e in body["data"][name]["errors"]] == ["FORBIDDEN"]


PLANNING_MUTATIONS = {
    "overrideTarget": 'overrideTarget(input: {planId: "1", repId: "REP", metricCode: "revenue",'
    " value: 1000, expectedVersion: 1}) { result { value } conflicts { message }"
    " relaxations { __typename } errors { code message } }",
    "generatePlan": 'generatePlan(planId: "1") { plan { id } conflicts { message } targets'
    " errors { code message } }",
}


@pytest.mark.parametrize("name", PLANNING_MUTATIONS)
async def test_a_rep_refused_a_planning_mutation_gets_forbidden(name, session, company, sign_in_as):
    rep_user = await make_user(
        session, username="a-rep", role="rep", scope=company.teams[0], rep=company.reps[0]
    )
    await session.commit()
    rep = await sign_in_as(rep_user)
    mutation = PLANNING_MUTATIONS[name].replace("REP", str(company.reps[0].id))
    body = await rep.execute(f"mutation {{ {mutation} }}")
    assert "errors" not in body, body["errors"]
    assert [e["code"] for e in body["data"][name]["errors"]] == ["FORBIDDEN"]
