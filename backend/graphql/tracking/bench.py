"""The ``dashboard_10k`` case through the GraphQL layer: the home page's query executed by the
schema (access policy, cost, limits, masking) as an administrator, for
``backend.services.tracking.bench.dashboard_case(query=graphql_query)``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.db.engine import session_factory
from backend.graphql.context import Context
from backend.services.access import SYSTEM
from backend.services.tracking.bench import AS_OF, BenchCompany
from backend.settings import Settings

#: What the SPA's home page asks for in one round trip.
HOME = """query($plan: ID!, $asOf: Date!) { trackingDashboard(planId: $plan, asOf: $asOf) {
  planName asOf elapsedMonths periodMonths bucketEdges
  headline { node { id name kind } atRiskCount figures { reps actual expected target projected
    pace attainment projectedAttainment shareProjected shareOnPace designPoint } }
  trail { id name kind }
  children { node { id name kind } atRiskCount figures { reps actual expected target pace
    attainment projectedAttainment shareProjected } }
  ranks { code name level paceBuckets projectedBuckets figures { reps pace shareProjected } }
  atRisk(limit: 20) { totalCount items { repId name teamName rankCode actual expected target
    pace projectedAttainment probability } }
  weeks { start end actual expected cumulativeActual cumulativeExpected } } }"""


async def graphql_query(engine: AsyncEngine, company: BenchCompany) -> Any:
    """Execute the home page's query once; its errors, if any, are raised."""
    from backend.graphql.schema import schema  # the schema imports this package

    context = Context(
        sessions=session_factory(engine), settings=Settings(env="test"), principal=SYSTEM
    )
    try:
        result = await schema.execute(
            HOME,
            variable_values={"plan": str(company.plan_id), "asOf": AS_OF.isoformat()},
            context_value=context,
        )
    finally:
        await context.close()
    if result.errors:
        raise RuntimeError(f"the dashboard query failed: {result.errors}")
    return result.data
