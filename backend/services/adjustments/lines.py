"""An adjustment's lines: the target cells it proposes to change, and what was applied."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentLine
from backend.db.repositories import adjustments as repo
from backend.services.adjustments.proposal import Proposal


def proposal_lines(request_id: int, proposal: Proposal) -> list[AdjustmentLine]:
    return [
        AdjustmentLine(
            request_id=request_id,
            rep_id=move.rep_id,
            month=month,
            role=move.role,
            before=move.before[m],
            proposed=move.after[m],
        )
        for move in proposal.moves
        for m, month in enumerate(proposal.months)
        if abs(move.after[m] - move.before[m]) > 1e-9 or move.role == "subject"
    ]


async def record_approved(session: AsyncSession, request_id: int, final: Proposal) -> None:
    """Each line's approved value: the final proposal's (it may differ from the proposed one
    when the team changed meanwhile or the approver edited the total)."""
    lines = {(ln.rep_id, ln.month): ln for ln in await repo.lines_of(session, [request_id])}
    for move in final.moves:
        for m, month in enumerate(final.months):
            line = lines.pop((move.rep_id, month), None)
            if line is None:
                if abs(move.after[m] - move.before[m]) <= 1e-9:
                    continue
                line = AdjustmentLine(
                    request_id=request_id,
                    rep_id=move.rep_id,
                    month=month,
                    role=move.role,
                    before=move.before[m],
                    proposed=move.before[m],
                )
            line.approved = move.after[m]
            session.add(line)
    for line in lines.values():  # proposed, but not moved in the end
        line.approved = line.before
        session.add(line)
