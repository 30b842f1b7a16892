"""Invoices, payments and satisfaction surveys that follow won deals.

Collection behaviour is drawn per invoice: most pay around the due date, some late, some pay
part and maybe the rest later, a few never; reps with better collection skill see fewer bad
payers. Only events before ``as_of`` are kept, so recent invoices are still outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.synth.deals import DealFacts
from solver.synth.model import Calendar, FloatArr, IntArr
from solver.synth.reference import SEGMENT_TERMS_DAYS
from solver.synth.workforce import Workforce

_SURVEY_SHARE = 0.45


@dataclass(frozen=True)
class Ledger:
    """Block-local ERP and survey facts; ``deal`` indexes the block's deals."""

    invoice_deal: IntArr
    issued_day: IntArr
    due_day: IntArr
    amount: FloatArr
    payment_invoice: IntArr
    paid_day: IntArr
    paid_amount: FloatArr
    survey_deal: IntArr
    surveyed_day: IntArr
    score: FloatArr


def _invoices(
    rng: np.random.Generator, deals: DealFacts, calendar: Calendar
) -> tuple[IntArr, IntArr, IntArr]:
    """One invoice per won deal, issued within a week of closing, due after segment terms."""
    won = np.flatnonzero(deals.won)
    issued = deals.closed_day[won] + rng.integers(0, 8, len(won))
    keep = issued < calendar.as_of_day
    won, issued = won[keep], issued[keep]
    terms = SEGMENT_TERMS_DAYS[deals.customer_segment[deals.customer[won]]]
    return won.astype(np.int64), issued.astype(np.int64), (issued + terms).astype(np.int64)


def _payments(
    rng: np.random.Generator, skill: FloatArr, issued: IntArr, due: IntArr, amount: FloatArr
) -> tuple[IntArr, IntArr, FloatArr]:
    """First payment (full or partial) and, for some partial payers, the remainder later."""
    n = len(amount)
    u = rng.random(n)
    p_never = 0.03 * np.exp(-0.4 * skill)
    p_partial = p_never + 0.08
    p_late = p_partial + 0.22 * np.exp(-0.3 * skill)
    early = np.maximum(issued, due - rng.integers(0, 8, n))
    late = due + np.round(rng.gamma(2.0, 15.0, n)).astype(np.int64)
    first_day = np.where(u < p_late, late, early)
    share = np.where((u >= p_never) & (u < p_partial), np.round(rng.uniform(0.3, 0.8, n), 2), 1.0)
    first_amount = np.round(amount * share, 2)
    second = (share < 1.0) & (rng.random(n) < 0.5)
    second_day = first_day + np.round(rng.gamma(2.0, 30.0, n)).astype(np.int64)
    paid = u >= p_never
    inv = np.concatenate([np.flatnonzero(paid), np.flatnonzero(second)])
    day = np.concatenate([first_day[paid], second_day[second]])
    amt = np.concatenate([first_amount[paid], np.round(amount - first_amount, 2)[second]])
    order = np.lexsort((day, inv))
    return inv[order].astype(np.int64), day[order].astype(np.int64), amt[order]


def _surveys(
    rng: np.random.Generator, deals: DealFacts, work: Workforce, calendar: Calendar
) -> tuple[IntArr, IntArr, FloatArr]:
    """Some won deals are surveyed 1-6 weeks later, while the rep is still employed."""
    won = np.flatnonzero(deals.won & (rng.random(len(deals.rep)) < _SURVEY_SHARE))
    day = deals.closed_day[won] + rng.integers(7, 43, len(won))
    rep = deals.rep[won]
    keep = (day < calendar.as_of_day) & (day < work.leave_day[rep])
    won, day, rep = won[keep], day[keep], rep[keep]
    latent = 4.0 + 0.45 * work.care_skill[rep] + 0.15 * work.ability_z[rep]
    score = np.clip(np.round(latent + 0.8 * rng.standard_normal(len(won))), 1, 5)
    return won.astype(np.int64), day.astype(np.int64), score.astype(np.float64)


def build_ledger(
    rng: np.random.Generator, deals: DealFacts, work: Workforce, calendar: Calendar
) -> Ledger:
    """Invoices and payments for won deals, and the satisfaction surveys they trigger."""
    inv_deal, issued, due = _invoices(rng, deals, calendar)
    amount = deals.value[inv_deal]
    skill = work.collection_skill[deals.rep[inv_deal]]
    pay_inv, paid_day, paid = _payments(rng, skill, issued, due, amount)
    keep = paid_day < calendar.as_of_day
    survey_deal, surveyed, score = _surveys(rng, deals, work, calendar)
    return Ledger(
        invoice_deal=inv_deal,
        issued_day=issued,
        due_day=due,
        amount=amount,
        payment_invoice=pay_inv[keep],
        paid_day=paid_day[keep],
        paid_amount=paid[keep],
        survey_deal=survey_deal,
        surveyed_day=surveyed,
        score=score,
    )
