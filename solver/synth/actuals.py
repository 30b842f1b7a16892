"""Monthly actuals per rep x metric, derived from the facts exactly as an ETL would.

Kept apart from the generator's latent state on purpose: the forecaster learns from these, and
tests recompute them from the fact tables.
"""

from __future__ import annotations

import numpy as np

from solver.synth.deals import LOST, DealFacts
from solver.synth.ledger import Ledger
from solver.synth.model import BoolArr, Calendar, FloatArr, IntArr

COLLECTION_CAP = 1.2


def _by_cell(
    rep: IntArr, day: IntArr, weight: FloatArr | None, n_reps: int, calendar: Calendar
) -> FloatArr:
    """Sum of ``weight`` (or counts) per rep x history month; events outside are ignored."""
    month = calendar.month_index(day)
    inside = (month >= 0) & (month < calendar.months)
    cell = rep[inside] * calendar.months + month[inside]
    w = None if weight is None else weight[inside]
    total = np.bincount(cell, weights=w, minlength=n_reps * calendar.months)
    return total.astype(np.float64).reshape(n_reps, calendar.months)


def _ratio(num: FloatArr, den: FloatArr) -> FloatArr:
    return np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0)


def _first_wins(deals: DealFacts) -> tuple[IntArr, IntArr]:
    """Owner rep and day of each customer's first won deal."""
    won = np.flatnonzero(deals.won)
    order = np.lexsort((deals.closed_day[won], deals.customer[won]))
    won = won[order]
    cust = deals.customer[won]
    first = np.ones(len(won), dtype=bool)
    first[1:] = cust[1:] != cust[:-1]
    return deals.rep[won[first]], deals.closed_day[won[first]]


def metric_matrices(
    deals: DealFacts, ledger: Ledger, n_reps: int, calendar: Calendar
) -> list[FloatArr]:
    """The five metrics as rep x month matrices, in ``METRIC_CODES`` order."""
    won, lost = deals.won, deals.stage == LOST

    def cell(rep: IntArr, day: IntArr, w: FloatArr | None = None) -> FloatArr:
        return _by_cell(rep, day, w, n_reps, calendar)

    revenue = cell(deals.rep[won], deals.closed_day[won], deals.value[won])
    n_won = cell(deals.rep[won], deals.closed_day[won])
    n_lost = cell(deals.rep[lost], deals.closed_day[lost])
    new_customers = cell(*_first_wins(deals))
    inv_rep = deals.rep[ledger.invoice_deal]
    due = cell(inv_rep, ledger.due_day, ledger.amount)
    paid = cell(inv_rep[ledger.payment_invoice], ledger.paid_day, ledger.paid_amount)
    survey_rep = deals.rep[ledger.survey_deal]
    score_sum = cell(survey_rep, ledger.surveyed_day, ledger.score)
    n_surveys = cell(survey_rep, ledger.surveyed_day)
    return [
        revenue,
        new_customers,
        _ratio(n_won, n_won + n_lost),
        np.clip(_ratio(paid, due), 0.0, COLLECTION_CAP),
        _ratio(score_sum, n_surveys),
    ]


def long_cells(
    employed: BoolArr, matrices: list[FloatArr]
) -> tuple[IntArr, IntArr, IntArr, FloatArr]:
    """Rep, month, metric index and value of every employed rep-month, rep-major."""
    rep, month = np.nonzero(employed)
    values = np.stack([m[rep, month] for m in matrices], axis=1)
    k = len(matrices)
    metric = np.tile(np.arange(k, dtype=np.int64), len(rep))
    return np.repeat(rep, k), np.repeat(month, k), metric, values.ravel()
