"""recordActuals: integrations send actuals by day, idempotent by their external id."""

from __future__ import annotations

import strawberry

from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.types.common import UserError, parse_id
from backend.graphql.types.tracking import (
    ActualEntryInput,
    ActualRowError,
    RecordActualsInput,
    RecordActualsResult,
)
from backend.services.errors import DomainError
from backend.services.tracking import actuals as actuals_service


@strawberry.type(description="Result of recordActuals: counts, refused rows, request errors.")
class RecordActualsPayload:
    result: RecordActualsResult | None = strawberry.field(
        description="Counts; null when the whole call was refused (see `errors`)."
    )
    row_errors: list[ActualRowError] = strawberry.field(
        description="Each refused row with its index, field and reason."
    )
    errors: list[UserError] = strawberry.field(
        description="Why the whole call was refused (too many entries, a conflict)."
    )


def _entry(i: int, e: ActualEntryInput) -> actuals_service.EntryInput:
    return actuals_service.EntryInput(
        external_id=e.external_id,
        metric_code=e.metric,
        day=e.day,
        value=e.value,
        rep_id=parse_id(e.rep_id, f"entries[{i}].repId") if e.rep_id is not None else None,
        rep_code=e.rep_code,
    )


def _entries(given: RecordActualsInput) -> list[actuals_service.EntryInput]:
    """Parse every row's ids first; all malformed ids are refused together."""
    parsed, problems = [], []
    for i, e in enumerate(given.entries):
        try:
            parsed.append(_entry(i, e))
        except DomainError as refusal:
            problems += refusal.problems
    if problems:
        raise DomainError(problems)
    return parsed


def _result(o: actuals_service.RecordOutcome) -> RecordActualsResult:
    return RecordActualsResult(
        created=o.created,
        updated=o.updated,
        unchanged=o.unchanged,
        refused=len({p.index for p in o.problems}),
        written=o.written,
    )


@strawberry.type(description="Recording actuals during the period.")
class ActualsMutation:
    @strawberry.mutation(
        description="Record actuals by day for integrations (up to 500 rows a call):"
        " idempotent by externalId, each refused row reported with its index and reason,"
        " all or nothing unless asked otherwise. Monthly actuals and progress move at once;"
        " a `changes` event (entity `actuals`) is published per team after the commit."
    )
    async def record_actuals(self, info: Info, input: RecordActualsInput) -> RecordActualsPayload:
        outcome, errors = await atomic(
            info,
            lambda s: actuals_service.record_actuals(
                s,
                principal=info.context.principal,
                entries=_entries(input),
                all_or_nothing=input.all_or_nothing,
            ),
        )
        if outcome is None:
            return RecordActualsPayload(result=None, row_errors=[], errors=errors)
        return RecordActualsPayload(
            result=_result(outcome),
            row_errors=[
                ActualRowError(index=p.index, field=p.field, code=p.reason, message=p.message)
                for p in outcome.problems
            ],
            errors=[],
        )
