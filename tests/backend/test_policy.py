"""Every root field has an access decision in the policy table."""

from __future__ import annotations

from backend.graphql.policy import ROOT_FIELD_POLICY
from backend.graphql.schema import schema


def test_every_root_field_is_in_the_policy_table():
    roots = [
        schema._schema.query_type,
        schema._schema.mutation_type,
        schema._schema.subscription_type,
    ]
    fields = {name for root in roots if root for name in root.fields}
    assert fields - set(ROOT_FIELD_POLICY) == set()
    assert set(ROOT_FIELD_POLICY) - fields == set()
