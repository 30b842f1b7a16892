"""The dashboard_10k case runs end to end (at a small size) through the service and GraphQL."""

from __future__ import annotations

import pytest

from backend.graphql.tracking.bench import graphql_query
from backend.services.tracking.bench import CASE, dashboard_case


@pytest.mark.parametrize("through", ["service", "graphql"])
async def test_the_dashboard_case_reports_its_figures_with_a_reference(through: str) -> None:
    result = await dashboard_case(
        reps=120, runs=1, query=graphql_query if through == "graphql" else None
    )
    assert result["case"] == CASE and result["n_reps"] == 120
    assert result["through"] == through
    for key in ("seconds", "first_seconds", "after_change_seconds", "reference_seconds"):
        assert result[key] > 0
