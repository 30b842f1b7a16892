"""Monthly actuals from facts, checked against a tiny hand-computed example."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from backend.db.models import (
    Customer,
    Deal,
    DealCredit,
    Invoice,
    Metric,
    MonthlyActual,
    Payment,
    SatisfactionScore,
)
from backend.services import aggregation
from tests.factories import make_metrics, make_rank, make_rep, make_unit

MAR, APR = date(2017, 3, 1), date(2017, 4, 1)


@pytest.fixture
async def two_reps(session):
    metrics = await make_metrics(session)
    rank = await make_rank(session, code="S1", level=1, metrics=metrics)
    root = await make_unit(session, name="Co", kind="company")
    team = await make_unit(session, name="Team", kind="team", parent=root)
    a = await make_rep(session, name="A", team=team, rank=rank)
    b = await make_rep(session, name="B", team=team, rank=rank)
    c1, c2 = Customer(external_id="C1", name="C1"), Customer(external_id="C2", name="C2")
    session.add_all([c1, c2])
    await session.flush()

    def deal(key, rep, stage, closed, value, customer):
        return Deal(
            external_id=key,
            rep_id=rep.id,
            stage=stage,
            created_on=date(2017, 1, 1),
            closed_on=closed,
            value=value,
            customer_id=customer.id,
        )

    d1 = deal("d1", a, "won", date(2017, 3, 5), 1000, c1)  # split 60/40 with B
    session.add_all(
        [
            d1,
            deal("d2", a, "lost", date(2017, 3, 10), 0, c2),
            deal("d3", b, "won", date(2017, 3, 20), 500, c1),  # C1 was already won by A
            deal("d4", b, "won", date(2017, 4, 2), 200, c2),  # C2's first win
        ]
    )
    await session.flush()
    session.add_all(
        [
            DealCredit(deal_id=d1.id, rep_id=a.id, share=0.6),
            DealCredit(deal_id=d1.id, rep_id=b.id, share=0.4),
        ]
    )
    invoice = Invoice(
        external_id="i1",
        rep_id=a.id,
        issued_on=date(2017, 3, 1),
        due_on=date(2017, 3, 31),
        amount=1000,
    )
    session.add(invoice)
    await session.flush()
    session.add(
        Payment(external_id="p1", invoice_id=invoice.id, paid_on=date(2017, 3, 15), amount=800)
    )
    for score in (4.0, 5.0):
        session.add(SatisfactionScore(rep_id=a.id, surveyed_on=date(2017, 3, 9), score=score))
    await session.flush()
    return a, b


async def actuals(session) -> dict[tuple[str, str, date], float]:
    rows = await session.exec(
        select(MonthlyActual, Metric).join(Metric, Metric.id == MonthlyActual.metric_id)
    )
    return {(m.code, a.rep_id, a.month): a.value for a, m in rows.all()}


async def test_actuals_match_the_hand_computed_example(session, two_reps):
    a, b = two_reps
    pairs = {(rep.id, month) for rep in (a, b) for month in (MAR, APR)}
    await aggregation.recompute(session, pairs=pairs)
    got = await actuals(session)
    expected = {
        ("revenue", a.id, MAR): 600.0,  # 60% of d1
        ("revenue", b.id, MAR): 900.0,  # 40% of d1 + d3
        ("revenue", a.id, APR): 0.0,
        ("revenue", b.id, APR): 200.0,
        ("new_customers", a.id, MAR): 1.0,  # C1 via d1
        ("new_customers", b.id, MAR): 0.0,
        ("new_customers", a.id, APR): 0.0,
        ("new_customers", b.id, APR): 1.0,  # C2 via d4
        ("conversion_rate", a.id, MAR): 0.5,
        ("conversion_rate", b.id, MAR): 1.0,
        ("conversion_rate", b.id, APR): 1.0,
        ("collection_rate", a.id, MAR): 0.8,
        ("satisfaction", a.id, MAR): 4.5,
    }
    assert got == pytest.approx(expected)


async def test_recomputing_only_touched_months_leaves_others_alone(session, two_reps):
    _, b = two_reps
    await aggregation.recompute(session, pairs={(b.id, APR)})
    got = await actuals(session)
    assert {(code, month) for code, _, month in got} == {
        ("revenue", APR),
        ("new_customers", APR),
        ("conversion_rate", APR),
    }
    assert await aggregation.recompute(session, pairs={(b.id, APR)}) == 0  # nothing changed


async def test_revenue_can_come_from_invoices(session, two_reps):
    a, _ = two_reps
    await aggregation.recompute(session, pairs={(a.id, MAR)}, revenue_source="invoices")
    got = await actuals(session)
    assert got[("revenue", a.id, MAR)] == 1000.0
