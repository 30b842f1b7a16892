"""Deals and customers of one block, drawn from the latent panel.

Deals are drawn by the month in which they are decided (won or lost), so the mean revenue of a
rep-month is exactly the panel's expected revenue; the creation date is the close date minus a
sales cycle that depends on the product line and the customer segment. Deals decided after
``as_of`` but created before it are the open pipeline, staged by their progress.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.synth.model import BoolArr, Calendar, FloatArr, IntArr
from solver.synth.panel import NEW_CUSTOMER_SHARE, Panel
from solver.synth.reference import (
    PRODUCT_MIX,
    SEGMENT_CYCLE,
    SEGMENT_MIX_BY_RANK,
    SEGMENT_VALUE,
    SEGMENT_WIN,
    product_arrays,
)
from solver.synth.workforce import NEVER, Workforce

STAGES = ("prospecting", "qualified", "proposal", "negotiation", "won", "lost")
WON, LOST = 4, 5
_VALUE_SD = 0.5


@dataclass(frozen=True)
class DealFacts:
    """Deals (block-local customer ids) and the customers they created."""

    rep: IntArr
    customer: IntArr
    product: IntArr
    stage: IntArr
    created_day: IntArr
    closed_day: IntArr  # NEVER while open
    value: FloatArr
    customer_owner: IntArr
    customer_segment: IntArr
    customer_created_day: IntArr

    @property
    def won(self) -> BoolArr:
        won: BoolArr = self.stage == WON
        return won


def _decisions(
    rng: np.random.Generator, panel: Panel, work: Workforce, calendar: Calendar
) -> tuple[IntArr, IntArr, IntArr]:
    """Rep, month and decision day of each deal, sorted by rep then day."""
    counts = rng.poisson(panel.deals)
    cells = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
    rep, month = np.divmod(cells, calendar.total_months)
    lo = np.maximum(calendar.month_start[month], work.hire_day[rep])
    hi = np.minimum(calendar.month_start[month + 1], work.leave_day[rep])
    day = lo + np.floor(rng.random(len(rep)) * (hi - lo)).astype(np.int64)
    order = np.argsort(rep * 1_000_000 + (day - calendar.start_day), kind="stable")
    return rep[order], month[order], day[order]


def _customer_slots(rng: np.random.Generator, rep: IntArr) -> tuple[IntArr, BoolArr]:
    """Block-local customer per deal: a new prospect, or one of the rep's earlier customers."""
    n = len(rep)
    first = np.ones(n, dtype=bool)
    first[1:] = rep[1:] != rep[:-1]
    new = first | (rng.random(n) < NEW_CUSTOMER_SHARE)
    seen = np.cumsum(new)  # customers created so far in the block, inclusive
    rep_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    before_rep = seen[rep_start] - 1  # customers of earlier reps
    known = seen - before_rep  # this rep's customers so far, >= 1
    pick = np.floor(rng.random(n) * known).astype(np.int64)
    customer = np.where(new, seen - 1, before_rep + pick)
    return customer.astype(np.int64), new


def _open_stage(created: IntArr, closed: IntArr, as_of: int) -> IntArr:
    progress = (as_of - created) / np.maximum(closed - created, 1)
    stage: IntArr = np.clip(np.floor(progress * 4), 0, 3).astype(np.int64)
    return stage


def _compact(keep: BoolArr, customer: IntArr, n_customers: int) -> tuple[IntArr, IntArr]:
    """Renumber customers that still have a deal once unborn pipeline deals are dropped."""
    alive = np.zeros(n_customers, dtype=bool)
    alive[customer[keep]] = True
    new_id = np.cumsum(alive) - 1
    return new_id[customer[keep]].astype(np.int64), np.flatnonzero(alive)


def build_deals(
    rng: np.random.Generator, panel: Panel, work: Workforce, calendar: Calendar
) -> DealFacts:
    """All deals decided in the history plus the pipeline still open at ``as_of``."""
    rep, month, close = _decisions(rng, panel, work, calendar)
    customer, new = _customer_slots(rng, rep)
    n_cust = int(new.sum())
    cum_mix = np.cumsum(SEGMENT_MIX_BY_RANK, axis=1)[panel.rank[rep[new], month[new]]]
    segment_of = (rng.random(n_cust)[:, None] > cum_mix[:, :-1]).sum(axis=1).astype(np.int64)
    segment = segment_of[customer]
    product = rng.choice(len(PRODUCT_MIX), size=len(rep), p=PRODUCT_MIX).astype(np.int64)
    rel_price, product_win, cycle_months = product_arrays()
    cycle_mean = cycle_months[product] * SEGMENT_CYCLE[segment] * 30.44
    cycle = np.maximum(3, np.round(rng.gamma(4.0, cycle_mean / 4.0))).astype(np.int64)
    created = np.maximum(close - cycle, work.hire_day[rep])
    p_win = panel.win_prob[rep, month] * product_win[product] * SEGMENT_WIN[segment]
    noise = rng.lognormal(-(_VALUE_SD**2) / 2, _VALUE_SD, len(rep))
    value = panel.value_scale[rep, month] * rel_price[product] * SEGMENT_VALUE[segment] * noise
    history = month < calendar.months
    stage = np.where(rng.random(len(rep)) < p_win, WON, LOST)
    stage = np.where(history, stage, _open_stage(created, close, calendar.as_of_day))
    keep = history | (created < calendar.as_of_day)
    customer, alive = _compact(keep, customer, n_cust)
    first_created = np.full(len(alive), NEVER, dtype=np.int64)
    np.minimum.at(first_created, customer, created[keep])
    return DealFacts(
        rep=rep[keep],
        customer=customer,
        product=product[keep],
        stage=stage[keep].astype(np.int64),
        created_day=created[keep],
        closed_day=np.where(history, close, NEVER)[keep],
        value=np.round(value[keep], 2),
        customer_owner=rep[new][alive],
        customer_segment=segment_of[alive],
        customer_created_day=first_created,
    )
