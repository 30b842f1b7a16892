"""Queries of the import, aggregation and export features."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    Deal,
    DealCredit,
    ImportFile,
    ImportMapping,
    ImportRun,
    Invoice,
    Metric,
    MonthlyActual,
    OrgUnit,
    Payment,
    Plan,
    Rep,
    SatisfactionScore,
    Target,
)
from backend.db.repositories.reps import in_scope

M = TypeVar("M", bound=SQLModel)
CHUNK = 500


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


async def everything(session: AsyncSession, model: type[M]) -> Sequence[M]:
    """Every row of a small reference table (ranks, units, regions, reps, products, customers)."""
    return (await session.exec(select(model))).all()


async def by_external_ids(
    session: AsyncSession, model: type[M], external_ids: Sequence[str]
) -> dict[str, M]:
    out: dict[str, M] = {}
    column = col(model.external_id)  # type: ignore[attr-defined]
    for chunk in _chunks(sorted(set(external_ids))):
        for row in (await session.exec(select(model).where(column.in_(chunk)))).all():
            out[row.external_id] = row  # type: ignore[attr-defined]
    return out


async def first_engaged(session: AsyncSession, rep_ids: Sequence[int]) -> dict[int, date]:
    query = (
        select(Deal.rep_id, func.min(Deal.created_on))
        .where(col(Deal.rep_id).in_(rep_ids))
        .group_by(col(Deal.rep_id))
    )
    return {rep_id: day for rep_id, day in (await session.exec(query)).all()}


async def surveys_of(
    session: AsyncSession, rep_ids: Sequence[int]
) -> dict[tuple[int, int | None, date], SatisfactionScore]:
    out: dict[tuple[int, int | None, date], SatisfactionScore] = {}
    for chunk in _chunks(sorted(set(rep_ids))):
        query = select(SatisfactionScore).where(col(SatisfactionScore.rep_id).in_(chunk))
        for row in (await session.exec(query)).all():
            out[(row.rep_id, row.customer_id, row.surveyed_on)] = row
    return out


async def invoices_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Invoice]:
    out: dict[int, Invoice] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in (await session.exec(select(Invoice).where(col(Invoice.id).in_(chunk)))).all():
            assert row.id is not None
            out[row.id] = row
    return out


# --- runs and mappings -------------------------------------------------------------------


async def run_files(session: AsyncSession, run_id: int) -> Sequence[ImportFile]:
    query = select(ImportFile).where(ImportFile.run_id == run_id).order_by(col(ImportFile.position))
    return (await session.exec(query)).all()


async def saved_mapping(session: AsyncSession, source: str, kind: str) -> ImportMapping | None:
    query = select(ImportMapping).where(ImportMapping.source == source, ImportMapping.kind == kind)
    return (await session.exec(query)).first()


async def mappings_of(session: AsyncSession, source: str | None) -> Sequence[ImportMapping]:
    query = select(ImportMapping).order_by(col(ImportMapping.source), col(ImportMapping.kind))
    if source is not None:
        query = query.where(ImportMapping.source == source)
    return (await session.exec(query)).all()


async def runs_with_status(session: AsyncSession, status: str) -> Sequence[ImportRun]:
    query = select(ImportRun).where(ImportRun.status == status).order_by(col(ImportRun.id))
    return (await session.exec(query)).all()


async def runs_page(
    session: AsyncSession, *, source: str | None, offset: int, limit: int
) -> Sequence[ImportRun]:
    query = select(ImportRun).order_by(col(ImportRun.id).desc()).offset(offset).limit(limit)
    if source is not None:
        query = query.where(ImportRun.source == source)
    return (await session.exec(query)).all()


# --- aggregation -------------------------------------------------------------------------


async def metrics_by_code(session: AsyncSession) -> dict[str, Metric]:
    return {m.code: m for m in (await session.exec(select(Metric))).all()}


async def closed_deals(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[Deal]:
    """Won or lost deals owned by, or credited to, the reps, closed in ``[start, end)``."""
    credited = select(DealCredit.deal_id).where(col(DealCredit.rep_id).in_(rep_ids))
    query = select(Deal).where(
        (col(Deal.rep_id).in_(rep_ids)) | (col(Deal.id).in_(credited)),
        col(Deal.closed_on) >= start,
        col(Deal.closed_on) < end,
        col(Deal.stage).in_(("won", "lost")),
    )
    return (await session.exec(query)).all()


async def credits_of(session: AsyncSession, deal_ids: Sequence[int]) -> Sequence[DealCredit]:
    out: list[DealCredit] = []
    for chunk in _chunks(sorted(set(deal_ids))):
        query = select(DealCredit).where(col(DealCredit.deal_id).in_(chunk))
        out.extend((await session.exec(query)).all())
    return out


async def first_wins(session: AsyncSession, customer_ids: Sequence[int]) -> dict[int, Deal]:
    """Each customer's first won deal (earliest close, then lowest id)."""
    out: dict[int, Deal] = {}
    for chunk in _chunks(sorted(set(customer_ids))):
        query = (
            select(Deal)
            .where(col(Deal.customer_id).in_(chunk), Deal.stage == "won")
            .where(col(Deal.closed_on).is_not(None))
            .order_by(col(Deal.closed_on), col(Deal.id))
        )
        for deal in (await session.exec(query)).all():
            assert deal.customer_id is not None
            out.setdefault(deal.customer_id, deal)
    return out


async def invoices_due(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[Invoice]:
    query = select(Invoice).where(
        col(Invoice.rep_id).in_(rep_ids), col(Invoice.due_on) >= start, col(Invoice.due_on) < end
    )
    return (await session.exec(query)).all()


async def invoices_issued(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[Invoice]:
    query = select(Invoice).where(
        col(Invoice.rep_id).in_(rep_ids),
        col(Invoice.issued_on) >= start,
        col(Invoice.issued_on) < end,
    )
    return (await session.exec(query)).all()


async def payments_received(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[tuple[int, date, float]]:
    """(rep id of the invoice, paid on, amount) of payments received in ``[start, end)``."""
    query = (
        select(col(Invoice.rep_id), col(Payment.paid_on), col(Payment.amount))
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .where(col(Invoice.rep_id).in_(rep_ids))
        .where(col(Payment.paid_on) >= start, col(Payment.paid_on) < end)
    )
    rows: Sequence[tuple[int, date, float]] = (await session.exec(query)).all()
    return rows


async def surveys_between(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[SatisfactionScore]:
    query = select(SatisfactionScore).where(
        col(SatisfactionScore.rep_id).in_(rep_ids),
        col(SatisfactionScore.surveyed_on) >= start,
        col(SatisfactionScore.surveyed_on) < end,
    )
    return (await session.exec(query)).all()


async def actuals_between(
    session: AsyncSession, rep_ids: Sequence[int], start: date, end: date
) -> Sequence[MonthlyActual]:
    query = select(MonthlyActual).where(
        col(MonthlyActual.rep_id).in_(rep_ids),
        col(MonthlyActual.month) >= start,
        col(MonthlyActual.month) < end,
    )
    return (await session.exec(query)).all()


# --- exports -----------------------------------------------------------------------------


async def actual_rows(
    session: AsyncSession, *, scope_path: str | None, scope_rep_id: int | None
) -> Sequence[Any]:
    """Monthly actuals of the reps in scope (``None`` for both: the whole company)."""
    query = (
        sa_select(col(Rep.external_id), col(Rep.name), col(OrgUnit.name), col(Metric.code))
        .add_columns(col(MonthlyActual.month), col(MonthlyActual.value))
        .join(Rep, col(Rep.id) == col(MonthlyActual.rep_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
        .join(Metric, col(Metric.id) == col(MonthlyActual.metric_id))
        .order_by(col(Rep.name), col(MonthlyActual.month), col(Metric.id))
    )
    query = in_scope(query, scope_path, scope_rep_id)
    return list((await session.exec(query)).all())


async def target_rows(
    session: AsyncSession,
    *,
    scope_path: str | None,
    scope_rep_id: int | None,
    plan_statuses: frozenset[str] | None = None,
) -> Sequence[Any]:
    """Targets of the plans (of any status, or of ``plan_statuses``) for the reps in scope
    (``None`` for both: the whole company)."""
    query = (
        sa_select(col(Plan.name), col(Rep.external_id), col(Rep.name), col(Metric.code))
        .add_columns(col(Target.month), col(Target.value), col(Target.suggested))
        .add_columns(col(Target.probability), col(Target.locked))
        .join(Plan, col(Plan.id) == col(Target.plan_id))
        .join(Rep, col(Rep.id) == col(Target.rep_id))
        .join(Metric, col(Metric.id) == col(Target.metric_id))
        .order_by(col(Plan.id), col(Rep.name), col(Target.month), col(Metric.id))
    )
    if plan_statuses is not None:
        query = query.where(col(Plan.status).in_(sorted(plan_statuses)))
    query = in_scope(query, scope_path, scope_rep_id)
    return list((await session.exec(query)).all())
