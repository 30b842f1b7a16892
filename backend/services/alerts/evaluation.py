"""Evaluating the alert rules of an active plan: every rule over every rep at once.

The figures come from the tracking snapshot (``backend.services.tracking.snapshot``: progress,
P(achieve | actuals so far)) and two histories read here: the cumulative pace at each week's
end (entries by day; the facts' part of a month, which has no day, pro rata of its days) and
the last day each rep sold. ``solver.tracking.evaluate_rule`` judges them; this module keeps
one alert per rule and rep: raised when a rule fires, its figures refreshed while it keeps
firing, resolved by the system when it no longer does (the note says so). A rule judges only
the reps in its subtree; a rule on another metric reads that metric's snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ActualEntry, AlertRule, Deal, Metric, OrgUnit, Plan
from backend.db.models._base import utcnow
from backend.services.alerts import lifecycle
from backend.services.alerts.rules import active_rules, params_of
from backend.services.errors import DomainError, ErrorCode, not_found
from backend.services.tracking.snapshot import Snapshot, snapshot
from backend.services.tracking.weeks import week_ends
from solver.planning.months import add_months, month_start, months_between
from solver.tracking import (
    RuleResult,
    RuleState,
    elapsed_months,
    evaluate_rule,
    monthly_pace_history,
    pace_history,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Weekly paces kept for the pace rules (a rule asking for more weeks reads what there is).
WEEKS = 12


@dataclass
class Outcome:
    """What one evaluation of a plan did."""

    plan_id: int
    as_of: date
    rules: int = 0
    raised: list[int] = field(default_factory=list)  # alert ids
    refreshed: int = 0
    cleared: list[int] = field(default_factory=list)


async def evaluate_plan(session: AsyncSession, *, plan_id: int, as_of: date) -> Outcome:
    """Evaluate every rule in force on an active plan as of the end of ``as_of``."""
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise not_found("plan", plan_id, "planId")
    if plan.status != "active":
        raise DomainError.single(ErrorCode.CONFLICT, f"plan {plan_id} is not active", "planId")
    outcome = Outcome(plan_id, as_of)
    by_metric: dict[int, list[AlertRule]] = defaultdict(list)
    for rule in await active_rules(session):
        by_metric[rule.metric_id].append(rule)
    for metric_id, rules in sorted(by_metric.items()):
        metric = await session.get(Metric, metric_id)
        if metric is None or metric.kind != "additive":
            continue
        s = await snapshot(session, plan=plan, metric=metric, as_of=as_of)
        state = await _state(session, s)
        for rule in rules:
            await _apply(session, s, state, rule, outcome)
    return outcome


async def evaluate_active_plans(session: AsyncSession, *, as_of: date) -> list[Outcome]:
    """Every active plan whose period has begun, as of ``as_of``."""
    query = sa_select(col(Plan.id)).where(
        col(Plan.status) == "active", col(Plan.period_start) <= as_of
    )
    ids = [int(i) for i in (await session.execute(query.order_by(col(Plan.id)))).scalars()]
    return [await evaluate_plan(session, plan_id=i, as_of=as_of) for i in ids]


@dataclass(frozen=True, eq=False)
class _States:
    """The rules' input read with the weekly or the monthly pace history."""

    week: RuleState
    month: RuleState


async def _state(session: AsyncSession, s: Snapshot) -> _States:
    p = s.progress
    days = await _days_inactive(session, s)
    regions = [s.people.reps[int(r)][3] for r in s.rep_ids]
    pairs = list(zip(s.rank_ids.tolist(), regions, strict=True))
    codes = {pair: k for k, pair in enumerate(dict.fromkeys(pairs))}
    groups = np.asarray([codes[pair] for pair in pairs], dtype=np.int64)

    def state(history: FloatArray) -> RuleState:
        return RuleState(
            pace_history=history,
            attainment=p.attainment,
            probability=s.probability,
            projected_attainment=p.projected_attainment,
            days_inactive=days,
            peer_group=groups,
        )

    monthly = monthly_pace_history(targets=s.targets, actuals=s.actuals, elapsed=s.elapsed)
    return _States(week=state(await _weekly_paces(session, s)), month=state(monthly))


async def _weekly_paces(session: AsyncSession, s: Snapshot) -> FloatArray:
    """Cumulative pace at the end of each of the last ``WEEKS`` weeks (reps x weeks)."""
    last = min(s.as_of, add_months(s.months[-1], 1) - timedelta(days=1))
    if last < s.period_start or not s.n:
        return np.zeros((s.n, 0))
    ends = week_ends(s.period_start, last)[-WEEKS:]
    actual_at = await _actual_at(session, s, ends, last)
    checkpoints = np.asarray([elapsed_months(s.period_start, len(s.months), d) for d in ends])
    return pace_history(targets=s.targets, actual_at=actual_at, checkpoints=checkpoints)


async def _actual_at(
    session: AsyncSession, s: Snapshot, ends: list[date], last: date
) -> FloatArray:
    """Each rep's actual to each day of ``ends``: earlier months whole, the month's entries to
    the day, and the rest of the month's actual (the facts' part) pro rata of its days."""
    index = {int(r): i for i, r in enumerate(s.rep_ids)}
    first = month_start(ends[0])
    query = sa_select(col(ActualEntry.rep_id), col(ActualEntry.day), col(ActualEntry.value)).where(
        col(ActualEntry.metric_id) == (s.metric.id or 0),
        col(ActualEntry.day) >= first,
        col(ActualEntry.day) <= last,
    )
    entries = [(index[r], d, v) for r, d, v in (await session.execute(query)).all() if r in index]
    cumulative = np.cumsum(s.actuals, axis=1)
    out = np.zeros((s.n, len(ends)))
    for k, day in enumerate(ends):
        m = months_between(s.period_start, day)
        before = cumulative[:, m - 1] if m > 0 else np.zeros(s.n)
        in_month = [(i, d, v) for i, d, v in entries if month_start(d) == month_start(day)]
        to_day, to_last = np.zeros(s.n), np.zeros(s.n)
        for i, d, v in in_month:
            to_last[i] += v
            if d <= day:
                to_day[i] += v
        facts = np.maximum(s.actuals[:, m] - to_last, 0.0)
        month_end = min(add_months(month_start(day), 1) - timedelta(days=1), last)
        share = day.day / month_end.day if month_end >= day else 1.0
        out[:, k] = before + to_day + facts * share
    return out


async def _days_inactive(session: AsyncSession, s: Snapshot) -> FloatArray:
    """Days from each rep's last sale (an entry or a won deal) in the period to ``as_of``;
    from the period's start for a rep with none."""
    ids = [int(r) for r in s.rep_ids]
    last: dict[int, date] = {}
    entries = (
        sa_select(col(ActualEntry.rep_id), func.max(col(ActualEntry.day)))
        .where(
            col(ActualEntry.rep_id).in_(ids),
            col(ActualEntry.metric_id) == (s.metric.id or 0),
            col(ActualEntry.value) > 0,
            col(ActualEntry.day) >= s.period_start,
            col(ActualEntry.day) <= s.as_of,
        )
        .group_by(col(ActualEntry.rep_id))
    )
    deals = (
        sa_select(col(Deal.rep_id), func.max(col(Deal.closed_on)))
        .where(
            col(Deal.rep_id).in_(ids),
            col(Deal.stage) == "won",
            col(Deal.closed_on) >= s.period_start,
            col(Deal.closed_on) <= s.as_of,
        )
        .group_by(col(Deal.rep_id))
    )
    for query in (entries, deals):
        for rep_id, day in (await session.execute(query)).all():
            if day is not None:
                last[rep_id] = max(day, last.get(rep_id, day))
    start = s.period_start
    return np.asarray([(s.as_of - last.get(r, start)).days for r in ids], dtype=np.float64)


async def _scope_rows(session: AsyncSession, s: Snapshot, rule: AlertRule) -> IntArray:
    if rule.scope_org_id is None:
        return np.arange(s.n, dtype=np.int64)
    unit = await session.get(OrgUnit, rule.scope_org_id)
    if unit is None:
        return np.zeros(0, dtype=np.int64)
    inside = [i for i, path in enumerate(s.team_paths) if path.startswith(unit.path)]
    return np.asarray(inside, dtype=np.int64)


def _detail(s: Snapshot, result: RuleResult, i: int) -> dict[str, Any]:
    """The figures behind an alert, as its GraphQL ``figures`` shows them."""

    def num(value: float) -> float | None:
        return float(value) if np.isfinite(value) else None

    p = s.progress
    return {
        "value": num(result.value[i]),
        "threshold": num(float(np.broadcast_to(result.threshold, result.value.shape)[i])),
        "attainment": num(p.attainment[i]),
        "pace": num(p.pace[i]),
        "probability": num(s.probability[i]),
        "projected_attainment": num(p.projected_attainment[i]),
        "periods_behind": int(result.streak[i]) or None,
        "as_of": s.as_of.isoformat(),
    }


async def _apply(
    session: AsyncSession, s: Snapshot, states: _States, rule: AlertRule, outcome: Outcome
) -> None:
    spec = params_of(rule)
    state = states.month if spec.grain == "month" else states.week
    result = evaluate_rule(spec.rule, state)
    rows = await _scope_rows(session, s, rule)
    open_alerts = await lifecycle.unresolved(session, rule_keys=[rule.key], plan_id=s.plan_id)
    outcome.rules += 1
    now = utcnow()
    for i in rows.tolist():
        rep_id = int(s.rep_ids[i])
        alert = open_alerts.get((rule.key, rep_id))
        if result.fired[i]:
            detail = _detail(s, result, i)
            if rule.kind == "inactivity":
                detail["days_inactive"] = int(state.days_inactive[i])
            if alert is None:
                raised = await lifecycle.raise_alert(
                    session,
                    rule=rule,
                    rep_id=rep_id,
                    plan_id=s.plan_id,
                    org_path=s.team_paths[i],
                    detail=detail,
                )
                outcome.raised.append(raised.id or 0)
            elif alert.detail != detail:
                alert.detail, alert.updated_at = detail, now
                outcome.refreshed += 1
        elif alert is not None:
            await lifecycle.clear(session, alert)
            outcome.cleared.append(alert.id or 0)
    await session.flush()
