"""Resume or discard an import run whose commit was interrupted (a crash, an error between
batches): the mutations of ``backend/services/imports/runs.py``'s ``resume`` and ``discard``."""

from __future__ import annotations

from typing import Any

import strawberry

from backend.db.models import ImportRun as ImportRunModel
from backend.graphql.context import Info
from backend.graphql.errors import atomic
from backend.graphql.imports import ImportRun, ImportRunPayload
from backend.graphql.types.common import UserError, parse_id
from backend.services.errors import ErrorCode
from backend.services.imports import runs


@strawberry.input(description="An interrupted import run.")
class InterruptedImportInput:
    run_id: strawberry.ID = strawberry.field(description="The run (status interrupted).")


def _payload(run: ImportRunModel | None, errors: list[UserError]) -> ImportRunPayload:
    if run is not None and run.status in ("failed", "interrupted"):
        errors = [UserError(field=None, code=ErrorCode.INVALID, message=run.message)]
    return ImportRunPayload(run=ImportRun(model=run) if run else None, errors=errors)


@strawberry.type(description="Interrupted import runs.")
class ImportRunMutation:
    @strawberry.mutation(
        description="Finish an interrupted commit: the run's files are applied again with the "
        "options of its commit (rows already written are unchanged), in batches."
    )
    async def resume_import(self, info: Info, input: InterruptedImportInput) -> ImportRunPayload:
        async def resume(session: Any) -> ImportRunModel:
            run_id = parse_id(input.run_id, "runId")
            return await runs.resume(
                session,
                principal=info.context.principal,
                run_id=run_id,
                progress=runs.progress_channel.reporter(run_id),
            )

        return _payload(*await atomic(info, resume))

    @strawberry.mutation(
        description="Give up an interrupted commit: the rows its batches wrote are kept and "
        "their monthly actuals recomputed; the run becomes discarded."
    )
    async def discard_import(self, info: Info, input: InterruptedImportInput) -> ImportRunPayload:
        async def discard(session: Any) -> ImportRunModel:
            run_id = parse_id(input.run_id, "runId")
            return await runs.discard(session, principal=info.context.principal, run_id=run_id)

        return _payload(*await atomic(info, discard))
