"""The history the backtest replays, read from the configured database (read-only).

``quotient backtest --from-db`` judges the forecaster on a company's own imported actuals:
every rep (leavers included, so that their months count while they worked), their current rank
and region, and the monthly actuals of one metric, as ``solver.evaluate.History``. Nothing is
written: no migration, no commit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Rep
from backend.db.repositories import org as org_repo
from backend.db.repositories import ranks as rank_repo
from backend.db.repositories import reps as rep_repo
from solver.evaluate import History

REP_COLUMNS = ["rep_id", "rank_code", "region_code", "hire_date", "leave_date"]


async def all_reps(session: AsyncSession) -> list[Rep]:
    """Every rep ever imported, by id (the backtest's own query: no scope, leavers kept)."""
    return list((await session.exec(select(Rep).order_by(col(Rep.id)))).all())


async def history_from_db(session: AsyncSession, metric: str = "revenue") -> History:
    """Reps, ranks and the monthly actuals of ``metric`` as the backtest's frames.

    Raises ``ValueError`` when the database holds no actual of the metric (a metric code that
    does not exist, or nothing imported yet).
    """
    reps = await all_reps(session)
    ranks = await rank_repo.all_ranks(session)
    regions = {r.id: r.code for r in await org_repo.all_regions(session) if r.id is not None}
    rank_codes = {r.id: r.code for r in ranks if r.id is not None}
    grouped = await rep_repo.actuals(
        session, [r.id for r in reps if r.id is not None], metric_codes=[metric]
    )
    records = [
        (row.rep_id, pd.Timestamp(row.month), row.metric_code, float(row.value))
        for rows in grouped.values()
        for row in rows
    ]
    if not records:
        known = ", ".join(sorted(m.code for m in await rank_repo.all_metrics(session)))
        raise ValueError(
            f"the database holds no monthly actuals of {metric!r} (metrics: {known or 'none'});"
            " import actuals first (quotient import ...)"
        )
    actuals = pd.DataFrame(records, columns=["rep_id", "month", "metric_code", "value"])
    frame = pd.DataFrame(
        [
            (
                r.id,
                rank_codes.get(r.rank_id, ""),
                regions.get(r.region_id or 0, ""),
                _timestamp(r.hire_date),
                _timestamp(r.leave_date),
            )
            for r in reps
        ],
        columns=REP_COLUMNS,
    )
    rank_frame = pd.DataFrame(
        {"rank_code": [r.code for r in ranks], "level": [r.level for r in ranks]}
    )
    return History(actuals, frame, rank_frame)


def _timestamp(day: date | None) -> pd.Timestamp | None:
    """A day as a Timestamp (None stays None: pandas reads it as NaT)."""
    return None if day is None else pd.Timestamp(day)
