"""Aggregation of imported facts into monthly actuals per rep x metric.

- revenue: won deals by close month, split by ``DealCredit`` shares (no credits = 100% to the
  owner); or invoice amounts by issue month when ``revenue_source="invoices"``;
- new_customers: customers whose first won deal (earliest close) closed in the month, counted
  for that deal's owner;
- conversion_rate: won / (won + lost) of the owner's deals closed in the month;
- collection_rate: payments received in the month / invoice amounts falling due in the month,
  clipped to [0, 1.2] (as the synthetic company defines it);
- satisfaction: mean survey score in the month.

Only the given rep-months are recomputed (an import passes those it touched), in batches of
whole reps that an import's commit keeps one by one. A ratio with no denominator in a month
has no actual: an existing one is deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, MonthlyActual
from backend.db.repositories import imports as repo
from backend.db.repositories import tracking as tracking_repo

RevenueSource = Literal["deals", "invoices"]
Pair = tuple[int, date]
COLLECTION_CAP = 1.2
#: Rep-months recomputed per batch (x5 metrics: the actuals one transaction of a commit writes).
PAIRS_PER_BATCH = 200

METRICS = (
    ("revenue", "Revenue", "additive", False, "", "Won deal value (credit splits honoured)."),
    ("new_customers", "New customers", "additive", True, "customers", "First won deals."),
    ("conversion_rate", "Conversion rate", "ratio", False, "%", "Won / (won + lost)."),
    ("collection_rate", "Collection rate", "ratio", False, "%", "Received / falling due."),
    ("satisfaction", "Customer satisfaction", "ratio", False, "score", "Mean survey score."),
)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


async def ensure_metrics(session: AsyncSession) -> dict[str, Metric]:
    """The five aggregated metrics, created when missing."""
    metrics = await repo.metrics_by_code(session)
    for code, name, kind, is_integer, unit, description in METRICS:
        if code not in metrics:
            metric = Metric(
                code=code,
                name=name,
                kind=kind,
                is_integer=is_integer,
                unit=unit,
                description=description,
            )
            session.add(metric)
            metrics[code] = metric
    await session.flush()
    return metrics


async def recompute(
    session: AsyncSession,
    *,
    pairs: Iterable[Pair],
    revenue_source: RevenueSource = "deals",
    keep: Callable[[], Awaitable[None]] | None = None,
) -> int:
    """Recompute the actuals of the given (rep id, month start) pairs; returns rows written.

    The pairs go in batches of whole reps, about ``PAIRS_PER_BATCH`` rep-months each: a batch
    reads its reps' facts, then writes their actuals. A rep-month's actuals depend only on
    that rep's facts of that month, so the values are those of a single pass. ``keep`` (an
    import commit's: checkpoint and commit) is awaited after the metrics are ensured and after
    each batch, so the facts are read outside any write transaction and no transaction writes
    more than one batch of actuals (one pass over 50,000 deals held SQLite's write lock ~2 s)."""
    wanted = {(rep, month_of(m)) for rep, m in pairs}
    if not wanted:
        return 0
    metrics = await ensure_metrics(session)
    if keep is not None:
        await keep()
    written = 0
    for batch in _batches(wanted):
        rep_ids = sorted({rep for rep, _ in batch})
        start = min(m for _, m in batch)
        end = next_month(max(m for _, m in batch))
        values = await _values(session, rep_ids, start, end, revenue_source)
        await _add_entries(session, metrics, values, rep_ids, start, end)
        written += await _write(session, metrics, batch, values, rep_ids, start, end)
        if keep is not None:
            await keep()
    return written


def _batches(wanted: set[Pair]) -> list[set[Pair]]:
    """The pairs by rep, reps gathered until a batch holds ``PAIRS_PER_BATCH`` pairs."""
    by_rep: dict[int, set[Pair]] = defaultdict(set)
    for pair in wanted:
        by_rep[pair[0]].add(pair)
    batches: list[set[Pair]] = [set()]
    for rep in sorted(by_rep):
        if len(batches[-1]) >= PAIRS_PER_BATCH:
            batches.append(set())
        batches[-1] |= by_rep[rep]
    return batches


async def _values(
    session: AsyncSession, rep_ids: list[int], start: date, end: date, source: RevenueSource
) -> dict[str, dict[Pair, float]]:
    out: dict[str, dict[Pair, float]] = {}
    deals = await repo.closed_deals(session, rep_ids, start, end)
    credits = await repo.credits_of(session, [d.id for d in deals if d.id is not None])
    shares: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for credit in credits:
        shares[credit.deal_id].append((credit.rep_id, credit.share))
    revenue: dict[Pair, float] = defaultdict(float)
    won: dict[Pair, float] = defaultdict(float)
    lost: dict[Pair, float] = defaultdict(float)
    for deal in deals:
        assert deal.closed_on is not None and deal.id is not None
        month = month_of(deal.closed_on)
        (won if deal.stage == "won" else lost)[(deal.rep_id, month)] += 1
        if deal.stage == "won":
            for rep_id, share in shares.get(deal.id) or [(deal.rep_id, 1.0)]:
                revenue[(rep_id, month)] += deal.value * share
    if source == "invoices":
        revenue = await _invoice_revenue(session, rep_ids, start, end)
    out["revenue"] = revenue
    out["conversion_rate"] = {
        p: won[p] / (won[p] + lost[p]) for p in set(won) | set(lost) if won[p] + lost[p] > 0
    }
    out["new_customers"] = await _new_customers(session, [d for d in deals if d.stage == "won"])
    out["collection_rate"] = await _collection(session, rep_ids, start, end)
    out["satisfaction"] = await _satisfaction(session, rep_ids, start, end)
    return out


async def _add_entries(
    session: AsyncSession,
    metrics: dict[str, Metric],
    values: dict[str, dict[Pair, float]],
    rep_ids: list[int],
    start: date,
    end: date,
) -> None:
    """Additive metrics add the actuals recorded by day (``recordActuals``) to the facts'."""
    codes = {m.id or 0: code for code, m in metrics.items() if m.kind == "additive"}
    for rep_id, metric_id, day, value in await tracking_repo.entry_days(
        session, rep_ids, start, end, metric_ids=list(codes)
    ):
        per_pair = values.setdefault(codes[metric_id], {})
        per_pair[(rep_id, month_of(day))] = per_pair.get((rep_id, month_of(day)), 0.0) + value


async def _invoice_revenue(
    session: AsyncSession, rep_ids: list[int], start: date, end: date
) -> dict[Pair, float]:
    revenue: dict[Pair, float] = defaultdict(float)
    for invoice in await repo.invoices_issued(session, rep_ids, start, end):
        revenue[(invoice.rep_id, month_of(invoice.issued_on))] += invoice.amount
    return revenue


async def _new_customers(session: AsyncSession, won: list) -> dict[Pair, float]:  # type: ignore[type-arg]
    firsts = await repo.first_wins(session, [d.customer_id for d in won if d.customer_id])
    counts: dict[Pair, float] = defaultdict(float)
    for deal in firsts.values():
        assert deal.closed_on is not None
        counts[(deal.rep_id, month_of(deal.closed_on))] += 1
    return counts


async def _collection(
    session: AsyncSession, rep_ids: list[int], start: date, end: date
) -> dict[Pair, float]:
    due: dict[Pair, float] = defaultdict(float)
    paid: dict[Pair, float] = defaultdict(float)
    for invoice in await repo.invoices_due(session, rep_ids, start, end):
        due[(invoice.rep_id, month_of(invoice.due_on))] += invoice.amount
    for rep_id, paid_on, amount in await repo.payments_received(session, rep_ids, start, end):
        paid[(rep_id, month_of(paid_on))] += amount
    return {p: min(max(paid[p] / d, 0.0), COLLECTION_CAP) for p, d in due.items() if d > 0}


async def _satisfaction(
    session: AsyncSession, rep_ids: list[int], start: date, end: date
) -> dict[Pair, float]:
    scores: dict[Pair, list[float]] = defaultdict(list)
    for survey in await repo.surveys_between(session, rep_ids, start, end):
        scores[(survey.rep_id, month_of(survey.surveyed_on))].append(survey.score)
    return {p: sum(s) / len(s) for p, s in scores.items()}


async def _write(
    session: AsyncSession,
    metrics: dict[str, Metric],
    wanted: set[Pair],
    values: dict[str, dict[Pair, float]],
    rep_ids: list[int],
    start: date,
    end: date,
) -> int:
    existing = {
        (a.rep_id, a.metric_id, a.month): a
        for a in await repo.actuals_between(session, rep_ids, start, end)
    }
    written = 0
    for code, per_pair in values.items():
        metric_id = metrics[code].id
        assert metric_id is not None
        additive = metrics[code].kind == "additive"
        for rep_id, month in wanted:
            value = per_pair.get((rep_id, month), 0.0 if additive else None)
            row = existing.get((rep_id, metric_id, month))
            if value is None:
                if row is not None:
                    await session.delete(row)
                    written += 1
            elif row is None:
                session.add(
                    MonthlyActual(rep_id=rep_id, metric_id=metric_id, month=month, value=value)
                )
                written += 1
            elif abs(row.value - value) > 1e-9:
                row.value = value
                written += 1
    await session.flush()
    return written
