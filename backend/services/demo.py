"""Load a synthetic company (from ``solver.synth``) into the database: the demo's data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, insert, text
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    Customer,
    Deal,
    Invoice,
    Metric,
    MonthlyActual,
    OrgUnit,
    Payment,
    Product,
    ProductLine,
    Rank,
    RankMetricSetting,
    RankSettingsVersion,
    Region,
    Rep,
    RepRankHistory,
    SatisfactionScore,
)
from backend.services.demo_users import create_demo_users
from solver.synth import SyntheticCompany

BATCH_ROWS = 5_000


async def has_company(session: AsyncSession) -> bool:
    return int((await session.exec(select(func.count()).select_from(Rep))).one()) > 0


def _plain(value: Any) -> Any:
    """pandas/numpy scalars to what the database driver accepts."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _records(frame: pd.DataFrame, columns: dict[str, str]) -> list[dict[str, Any]]:
    """Rename frame columns to table columns and convert values, row by row."""
    picked = frame[list(columns)].rename(columns=columns)
    names = list(picked.columns)
    return [
        {name: _plain(v) for name, v in zip(names, row, strict=True)}
        for row in picked.itertuples(index=False, name=None)
    ]


async def _insert(
    session: AsyncSession, table: type[SQLModel], rows: Sequence[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), BATCH_ROWS):
        await session.execute(insert(table), list(rows[start : start + BATCH_ROWS]))


async def load_company(session: AsyncSession, company: SyntheticCompany, *, as_of: date) -> None:
    """Insert every table of the synthetic company, keeping its ids (foreign keys line up)."""
    metric_ids = await _load_reference(session, company, as_of=as_of)
    await _load_people(session, company)
    await _load_facts(session, company)
    await _load_actuals(session, company, metric_ids)
    await _advance_sequences(session)
    await create_demo_users(session)


async def _load_reference(
    session: AsyncSession, company: SyntheticCompany, *, as_of: date
) -> dict[str, int]:
    metrics = company.metrics.rename(columns={"metric_code": "code"})
    metrics = metrics.assign(id=range(1, len(metrics) + 1))
    await _insert(
        session,
        Metric,
        _records(
            metrics,
            {c: c for c in ("id", "code", "name", "kind", "is_integer", "unit", "description")},
        ),
    )
    regions = company.regions.assign(id=range(1, len(company.regions) + 1))
    await _insert(
        session,
        Region,
        _records(
            regions,
            {
                "id": "id",
                "region_code": "code",
                "name": "name",
                "market_potential": "market_potential",
            },
        ),
    )
    await _insert(session, OrgUnit, _org_rows(company.org_units))
    await _load_ranks(
        session,
        company.ranks,
        dict(zip(metrics.code, metrics.id, strict=True)),
        history_start=company.rank_history["effective_from"].min().date(),
    )
    lines = company.product_lines.assign(id=range(1, len(company.product_lines) + 1))
    await _insert(
        session,
        ProductLine,
        _records(
            lines,
            {
                "id": "id",
                "product_line_code": "code",
                "name": "name",
                "difficulty": "difficulty",
                "cycle_months": "cycle_months",
            },
        ),
    )
    line_ids = dict(zip(lines.product_line_code, lines.id, strict=True))
    products = company.products.assign(
        id=range(1, len(company.products) + 1),
        product_line_id=company.products.product_line_code.map(line_ids),
    )
    await _insert(
        session,
        Product,
        _records(
            products,
            {
                "id": "id",
                "product_code": "external_id",
                "product_line_id": "product_line_id",
                "name": "name",
                "list_price": "list_price",
            },
        ),
    )
    return {str(k): int(v) for k, v in zip(metrics.code, metrics.id, strict=True)}


def _org_rows(org: pd.DataFrame) -> list[dict[str, Any]]:
    """Materialised paths and depths, computed top-down (parents precede children)."""
    paths: dict[int, str] = {}
    rows = []
    for unit in _rows(org):
        parent = None if pd.isna(unit["parent_id"]) else int(unit["parent_id"])
        org_id = int(unit["org_id"])
        path = f"{paths[parent] if parent else '/'}{org_id}/"
        paths[org_id] = path
        rows.append(
            {
                "id": org_id,
                "parent_id": parent,
                "name": unit["name"],
                "kind": unit["kind"],
                "code": f"{str(unit['kind'])[:1].upper()}{org_id:05d}",
                "region_code": None if pd.isna(unit["region_code"]) else unit["region_code"],
                "path": path,
                "depth": path.count("/") - 2,
            }
        )
    return rows


RANK_METRIC_COLUMNS = {
    "revenue": ("weight_revenue", "baseline_revenue"),
    "new_customers": ("weight_new_customers", "baseline_new_customers"),
    "collection_rate": ("weight_collection_rate", "baseline_collection_rate"),
    "satisfaction": ("weight_satisfaction", "baseline_satisfaction"),
}


async def _load_ranks(
    session: AsyncSession, ranks: pd.DataFrame, metric_ids: dict[str, int], *, history_start: date
) -> None:
    """Each rank with a first settings version that took effect when the history starts."""
    for i, rank in enumerate(_rows(ranks), start=1):
        session.add(Rank(id=i, code=rank["rank_code"], name=rank["name"], level=int(rank["level"])))
        session.add(
            RankSettingsVersion(
                id=i,
                rank_id=i,
                version=1,
                effective_from=history_start,
                note="Initial ladder",
                ramp_profile=[0.3, 0.5, 0.7, 0.85, 0.95, 1.0],
            )
        )
        await session.flush()
        for code, (weight_col, baseline_col) in RANK_METRIC_COLUMNS.items():
            session.add(
                RankMetricSetting(
                    settings_id=i,
                    metric_id=metric_ids[code],
                    weight=float(rank[weight_col]),
                    baseline=float(rank[baseline_col]),
                    floor_multiplier=float(rank["floor_multiplier"]),
                    ceiling_multiplier=float(rank["ceiling_multiplier"]),
                )
            )
    await session.flush()


async def _load_people(session: AsyncSession, company: SyntheticCompany) -> None:
    rank_ids = {code: i for i, code in enumerate(company.ranks.rank_code, start=1)}
    region_ids = {code: i for i, code in enumerate(company.regions.region_code, start=1)}
    reps = company.reps.assign(
        rank_id=company.reps.rank_code.map(rank_ids),
        region_id=company.reps.region_code.map(region_ids),
    )
    await _insert(
        session,
        Rep,
        _records(
            reps,
            {
                c: c
                for c in (
                    "external_id",
                    "name",
                    "team_id",
                    "rank_id",
                    "region_id",
                    "territory",
                    "hire_date",
                    "leave_date",
                )
            }
            | {"rep_id": "id"},
        ),
    )
    history = company.rank_history.assign(rank_id=company.rank_history.rank_code.map(rank_ids))
    await _insert(
        session,
        RepRankHistory,
        _records(
            history, {"rep_id": "rep_id", "rank_id": "rank_id", "effective_from": "effective_from"}
        ),
    )
    customers = company.customers.assign(region_id=company.customers.region_code.map(region_ids))
    await _insert(
        session,
        Customer,
        _records(
            customers,
            {
                "customer_id": "id",
                "external_id": "external_id",
                "name": "name",
                "segment": "segment",
                "region_id": "region_id",
                "owner_rep_id": "owner_rep_id",
            },
        ),
    )


async def _load_facts(session: AsyncSession, company: SyntheticCompany) -> None:
    product_ids = {code: i for i, code in enumerate(company.products.product_code, start=1)}
    deals = company.deals.assign(product_id=company.deals.product_code.map(product_ids))
    await _insert(
        session,
        Deal,
        _records(
            deals,
            {
                c: c
                for c in (
                    "external_id",
                    "rep_id",
                    "customer_id",
                    "product_id",
                    "stage",
                    "created_on",
                    "closed_on",
                    "value",
                )
            }
            | {"deal_id": "id"},
        ),
    )
    await _insert(
        session,
        Invoice,
        _records(
            company.invoices,
            {
                c: c
                for c in (
                    "external_id",
                    "deal_id",
                    "rep_id",
                    "customer_id",
                    "issued_on",
                    "due_on",
                    "amount",
                )
            }
            | {"invoice_id": "id"},
        ),
    )
    await _insert(
        session,
        Payment,
        _records(
            company.payments,
            {c: c for c in ("external_id", "invoice_id", "paid_on", "amount")}
            | {"payment_id": "id"},
        ),
    )
    await _insert(
        session,
        SatisfactionScore,
        _records(
            company.satisfaction, {c: c for c in ("rep_id", "customer_id", "surveyed_on", "score")}
        ),
    )


async def _load_actuals(
    session: AsyncSession, company: SyntheticCompany, metric_ids: dict[str, int]
) -> None:
    actuals = company.monthly_actuals.dropna(subset=["value"])
    actuals = actuals.assign(metric_id=actuals.metric_code.map(metric_ids))
    await _insert(
        session,
        MonthlyActual,
        _records(
            actuals,
            {"rep_id": "rep_id", "metric_id": "metric_id", "month": "month", "value": "value"},
        ),
    )


TABLES_WITH_IDS: Iterable[type[SQLModel]] = (
    Metric,
    Region,
    OrgUnit,
    Rank,
    RankSettingsVersion,
    ProductLine,
    Product,
    Rep,
    Customer,
    Deal,
    Invoice,
    Payment,
)


async def _advance_sequences(session: AsyncSession) -> None:
    """PostgreSQL sequences don't see explicit ids: move each past the largest id loaded."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return
    for table in TABLES_WITH_IDS:
        name = table.__tablename__
        await session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )
