"""The system's suggestion for a change: the subject's new months and P(achieve | actuals so
far), who in the team absorbs the difference and by how much (their new P), and the goal relief
the team cannot absorb; beside it, the target a re-forecast with today's actuals calls as hard
as the plan's was (the "same difficulty" point an approver may choose instead).

Pure over a loaded ``TeamState``: previews, requests and decisions all call ``propose``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np

from backend.services.adjustments.team import TeamState
from backend.services.errors import DomainError, ErrorCode
from solver.planning.adjustments import absorb
from solver.tracking import conditional_probability, target_at_probability
from solver.types import FloatArray


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class RepMove:
    """One rep's change: ``role`` subject (asked for) or absorbs (a teammate moved)."""

    rep_id: int
    role: str
    before: list[float]
    after: list[float]
    total_before: float
    total_after: float
    probability_before: float | None
    probability_after: float | None
    actual_to_date: float


@dataclass(frozen=True)
class Proposal:
    """A change as the system suggests it (stored with a request as JSON)."""

    metric: str
    node_id: int | None
    node_goal: float | None
    months: list[date]
    effective_month: date
    requested_total: float
    same_difficulty_total: float | None
    relief: float  # the goal must go down by this (negative: up)
    moves: list[RepMove]

    @property
    def subject(self) -> RepMove:
        return next(m for m in self.moves if m.role == "subject")

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["months"] = [m.isoformat() for m in self.months]
        out["effective_month"] = self.effective_month.isoformat()
        return out

    @staticmethod
    def from_json(stored: dict[str, Any]) -> Proposal:
        return Proposal(
            metric=stored["metric"],
            node_id=stored.get("node_id"),
            node_goal=stored.get("node_goal"),
            months=[date.fromisoformat(m) for m in stored["months"]],
            effective_month=date.fromisoformat(stored["effective_month"]),
            requested_total=float(stored["requested_total"]),
            same_difficulty_total=stored.get("same_difficulty_total"),
            relief=float(stored["relief"]),
            moves=[RepMove(**m) for m in stored["moves"]],
        )


def _subject_months(state: TeamState, row: int, total: float, from_month: int) -> FloatArray:
    """The subject's months with ``total`` for the period: months before ``from_month`` kept,
    the rest re-phased in proportion to the current ones (evenly if they are all 0)."""
    current = state.cells.targets[row]
    kept = float(current[:from_month].sum())
    if total < kept - 1e-9:
        raise DomainError.single(
            ErrorCode.INVALID,
            f"the months before the effective date already hold {kept:.6g}: the period total"
            " cannot be lower",
            "periodTotal",
        )
    later = current[from_month:]
    weights = later if later.sum() > 0 else np.ones_like(later)
    moved = (total - kept) * weights / weights.sum()
    if state.metric.is_integer:
        base = np.floor(moved)
        order = np.argsort(-(moved - base), kind="stable")
        base[order[: round(total - kept - float(base.sum()))]] += 1
        moved = base
    out: FloatArray = current.copy()
    out[from_month:] = moved
    return out


def check_total(state: TeamState, total: float) -> None:
    if not math.isfinite(total) or total < 0:
        raise DomainError.single(
            ErrorCode.INVALID, "a target is a number, 0 or more", "periodTotal"
        )
    if state.metric.is_integer and abs(total - round(total)) > 1e-9:
        raise DomainError.single(
            ErrorCode.INVALID, f"{state.metric.code} counts: a whole number", "periodTotal"
        )


def propose(
    state: TeamState,
    subjects: dict[int, FloatArray],
    *,
    effective: date,
    redistribute: bool,
    requested_total: float,
) -> Proposal:
    """Set ``subjects`` (rep -> new months) and let the team absorb the difference (or, when
    ``redistribute`` is false, the goal give all of it)."""
    from_month = state.from_month(effective)
    rows = {state.row_of(r): months for r, months in subjects.items()}
    cells = state.cells
    if not redistribute:  # nobody absorbs: a team where everyone is locked
        cells = type(cells)(cells.targets, cells.floors, cells.ceilings, np.ones(cells.n, bool))
    out = absorb(cells, rows, from_month=from_month, integer=state.metric.is_integer)
    before_totals = state.cells.targets.sum(axis=1)
    after_totals = out.targets.sum(axis=1)
    p_before = state.probability(before_totals)
    p_after = state.probability(after_totals)
    moves = []
    for i, rep_id in enumerate(state.rep_ids):
        changed = i in rows or abs(after_totals[i] - before_totals[i]) > 1e-9
        if not changed:
            continue
        moves.append(
            RepMove(
                rep_id=rep_id,
                role="subject" if i in rows else "absorbs",
                before=[float(v) for v in state.cells.targets[i]],
                after=[float(v) for v in out.targets[i]],
                total_before=float(before_totals[i]),
                total_after=float(after_totals[i]),
                probability_before=_num(float(p_before[i])),
                probability_after=_num(float(p_after[i])),
                actual_to_date=float(state.actual[i]),
            )
        )
    first = next(iter(rows))
    plan_p = _plan_probability(state, first)
    same = (
        target_at_probability(
            state.forecast.take(slice(first, first + 1)),
            probability=np.array([plan_p]),
            actual_to_date=state.actual[first : first + 1],
            elapsed=state.elapsed,
        )[0]
        if math.isfinite(plan_p)
        else float("nan")
    )
    return Proposal(
        metric=state.metric.code,
        node_id=state.node.unit.id if state.node.unit else None,
        node_goal=state.node.goal,
        months=state.months,
        effective_month=state.months[from_month],
        requested_total=requested_total,
        same_difficulty_total=_num(float(same)),
        relief=float(out.relief),
        moves=moves,
    )


def _plan_probability(state: TeamState, row: int) -> float:
    """The subject's P(achieve) of its current target at the start of the period."""
    p = conditional_probability(
        state.forecast.take(slice(row, row + 1)),
        target=state.cells.targets[row : row + 1].sum(axis=1),
        actual_to_date=np.zeros(1),
        elapsed=0.0,
    )
    return float(p[0])


def propose_total(
    state: TeamState, rep_id: int, total: float, *, effective: date, redistribute: bool
) -> Proposal:
    """A rep's new period total, re-phased from the effective month on (see ``propose``)."""
    check_total(state, total)
    row = state.row_of(rep_id)
    months = _subject_months(state, row, total, state.from_month(effective))
    return propose(
        state,
        {rep_id: months},
        effective=effective,
        redistribute=redistribute,
        requested_total=total,
    )
