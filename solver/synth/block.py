"""One generation block (a fixed group of teams) turned into Arrow tables with global ids.

Blocks are the unit of randomness: each has its own spawned seed, so the company is the same
whatever the chunk size used to write it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa

from solver.synth.actuals import long_cells, metric_matrices
from solver.synth.deals import STAGES, DealFacts, build_deals
from solver.synth.ledger import Ledger, build_ledger
from solver.synth.model import BoolArr, Calendar, IntArr
from solver.synth.org import OrgPlan
from solver.synth.panel import Panel, build_panel, expected_new_customers
from solver.synth.reference import METRIC_CODES, SEGMENTS, products_table, ranks_table
from solver.synth.text import codes, company_names, person_names
from solver.synth.workforce import NEVER, Workforce, build_workforce

Tables = dict[str, pa.Table]


@dataclass(frozen=True)
class IdOffsets:
    """Ids already used by earlier blocks, so that every block continues the numbering."""

    rep: int = 0
    customer: int = 0
    deal: int = 0
    invoice: int = 0
    payment: int = 0


def _dates(days: IntArr, missing: BoolArr | None = None) -> pa.Array:
    """Day numbers as timestamp[ns]; ``missing`` rows become null (NaT)."""
    safe = days if missing is None else np.where(missing, 0, days)
    return pa.array(safe.astype("datetime64[D]").astype("datetime64[ns]"), mask=missing)


def _labels(values: list[str] | tuple[str, ...], index: IntArr) -> pa.Array:
    return pa.array(list(values), pa.string()).take(pa.array(index))


def _rep_tables(
    rng: np.random.Generator, work: Workforce, org: OrgPlan, ids: IdOffsets, width: int
) -> Tables:
    n = len(work.seat)
    rep_id = ids.rep + 1 + np.arange(n, dtype=np.int64)
    if n and rep_id[-1] >= 10**width:
        raise ValueError(f"rep id {rep_id[-1]} does not fit {width} digits")
    team = org.seat_team[work.seat]
    region = org.regions["region_code"].tolist()
    rank_codes = ranks_table()["rank_code"].tolist()
    reps = pa.table(
        {
            "rep_id": rep_id,
            "external_id": codes("E", rep_id, width),
            "name": person_names(rng, n),
            "team_id": org.team_ids[team],
            "rank_code": _labels(rank_codes, work.rank_now),
            "region_code": _labels(region, org.team_region[team]),
            "territory": org.territory_codes.take(pa.array(work.seat)),
            "hire_date": _dates(work.hire_day),
            "leave_date": _dates(work.leave_day, work.leave_day >= NEVER),
        }
    )
    return {"reps": reps, "rank_history": _rank_history(work, rep_id, rank_codes)}


def _rank_history(work: Workforce, rep_id: IntArr, rank_codes: list[str]) -> pa.Table:
    """First entry at hire, then one per promotion, ordered by rep and date."""
    n = len(rep_id)
    used = work.promotion_day < NEVER
    step = np.cumsum(used, axis=1)
    rows, cols = np.nonzero(used)
    who = np.concatenate([np.arange(n), rows])
    rank = np.concatenate([work.rank_at_hire, work.rank_at_hire[rows] + step[rows, cols]])
    day = np.concatenate([work.hire_day, work.promotion_day[rows, cols]])
    order = np.lexsort((day, who))
    return pa.table(
        {
            "rep_id": rep_id[who[order]],
            "rank_code": _labels(rank_codes, rank[order]),
            "effective_from": _dates(day[order]),
        }
    )


def _customer_table(
    rng: np.random.Generator, deals: DealFacts, rep_id: IntArr, region: pa.Array, ids: IdOffsets
) -> pa.Table:
    n = len(deals.customer_owner)
    customer_id = ids.customer + 1 + np.arange(n, dtype=np.int64)
    return pa.table(
        {
            "customer_id": customer_id,
            "external_id": codes("C", customer_id, 9),
            "name": company_names(rng, n),
            "segment": _labels(SEGMENTS, deals.customer_segment),
            "region_code": region.take(pa.array(deals.customer_owner)),
            "owner_rep_id": rep_id[deals.customer_owner],
            "created_on": _dates(deals.customer_created_day),
        }
    )


def _deal_table(deals: DealFacts, rep_id: IntArr, ids: IdOffsets) -> pa.Table:
    deal_id = ids.deal + 1 + np.arange(len(deals.rep), dtype=np.int64)
    return pa.table(
        {
            "deal_id": deal_id,
            "external_id": codes("D", deal_id, 10),
            "rep_id": rep_id[deals.rep],
            "customer_id": ids.customer + 1 + deals.customer,
            "product_code": _labels(products_table()["product_code"].tolist(), deals.product),
            "stage": _labels(STAGES, deals.stage),
            "created_on": _dates(deals.created_day),
            "closed_on": _dates(deals.closed_day, deals.closed_day >= NEVER),
            "value": deals.value,
        }
    )


def _ledger_tables(deals: DealFacts, ledger: Ledger, rep_id: IntArr, ids: IdOffsets) -> Tables:
    invoice_id = ids.invoice + 1 + np.arange(len(ledger.invoice_deal), dtype=np.int64)
    payment_id = ids.payment + 1 + np.arange(len(ledger.payment_invoice), dtype=np.int64)
    inv, srv = ledger.invoice_deal, ledger.survey_deal
    return {
        "invoices": pa.table(
            {
                "invoice_id": invoice_id,
                "external_id": codes("I", invoice_id, 10),
                "deal_id": ids.deal + 1 + inv,
                "rep_id": rep_id[deals.rep[inv]],
                "customer_id": ids.customer + 1 + deals.customer[inv],
                "issued_on": _dates(ledger.issued_day),
                "due_on": _dates(ledger.due_day),
                "amount": ledger.amount,
            }
        ),
        "payments": pa.table(
            {
                "payment_id": payment_id,
                "external_id": codes("P", payment_id, 10),
                "invoice_id": invoice_id[ledger.payment_invoice],
                "paid_on": _dates(ledger.paid_day),
                "amount": ledger.paid_amount,
            }
        ),
        "satisfaction": pa.table(
            {
                "rep_id": rep_id[deals.rep[srv]],
                "customer_id": ids.customer + 1 + deals.customer[srv],
                "deal_id": ids.deal + 1 + srv,
                "surveyed_on": _dates(ledger.surveyed_day),
                "score": ledger.score,
            }
        ),
    }


def _panel_tables(
    panel: Panel, deals: DealFacts, ledger: Ledger, rep_id: IntArr, calendar: Calendar
) -> Tables:
    m = calendar.months
    employed = panel.employed[:, :m] > 0
    matrices = metric_matrices(deals, ledger, len(rep_id), calendar)
    rep, month, metric, value = long_cells(employed, matrices)
    starts = _dates(calendar.month_start[:m])
    actuals = pa.table(
        {
            "rep_id": rep_id[rep],
            "month": starts.take(pa.array(month)),
            "metric_code": _labels(METRIC_CODES, metric),
            "value": value,
        }
    )
    r, t = np.nonzero(employed)
    ranks = ranks_table()["rank_code"].tolist()
    truth = {
        "rep_id": rep_id[r],
        "month": starts.take(pa.array(t)),
        "ability": panel.ability[r, t],
        "expected_revenue": panel.expected_revenue[r, t],
        "expected_new_customers": expected_new_customers(panel)[r, t],
        "expected_deals": panel.expected_deals[r, t],
        "win_probability": panel.win_prob[r, t],
        "ramp": panel.ramp[r, t],
        "seasonality": panel.season[t],
        "shock": panel.shock[r, t],
        "employed_share": panel.employed[r, t],
        "tenure_months": panel.tenure_months[r, t],
        "rank_code": _labels(ranks, panel.rank[r, t]),
    }
    return {"monthly_actuals": actuals, "truth": pa.table(truth)}


def generate_block(
    seed: np.random.SeedSequence,
    org: OrgPlan,
    block: int,
    calendar: Calendar,
    ids: IdOffsets,
    rep_width: int,
) -> tuple[Tables, IdOffsets]:
    """All per-rep tables of one block, and the id offsets for the next block."""
    rng = np.random.default_rng(seed)
    lo, hi = org.block_teams[block], org.block_teams[block + 1]
    seats = np.flatnonzero((org.seat_team >= lo) & (org.seat_team < hi))
    work = build_workforce(rng, len(seats), calendar)
    work = _with_seats(work, seats)
    shock = org.shock[org.team_region[org.seat_team[work.seat]]]
    panel = build_panel(rng, work, calendar, org.seat_potential, shock)
    deals = build_deals(rng, panel, work, calendar)
    ledger = build_ledger(rng, deals, work, calendar)
    tables = _rep_tables(rng, work, org, ids, rep_width)
    rep_id = tables["reps"].column("rep_id").to_numpy()
    region = tables["reps"].column("region_code").combine_chunks()
    tables["customers"] = _customer_table(rng, deals, rep_id, region, ids)
    tables["deals"] = _deal_table(deals, rep_id, ids)
    tables |= _ledger_tables(deals, ledger, rep_id, ids)
    tables |= _panel_tables(panel, deals, ledger, rep_id, calendar)
    return tables, _advance(ids, tables)


def _with_seats(work: Workforce, seats: IntArr) -> Workforce:
    """Map block-local seat numbers to company seat (territory) indices."""
    return replace(work, seat=seats[work.seat])


def _advance(ids: IdOffsets, tables: Tables) -> IdOffsets:
    return IdOffsets(
        rep=ids.rep + tables["reps"].num_rows,
        customer=ids.customer + tables["customers"].num_rows,
        deal=ids.deal + tables["deals"].num_rows,
        invoice=ids.invoice + tables["invoices"].num_rows,
        payment=ids.payment + tables["payments"].num_rows,
    )
