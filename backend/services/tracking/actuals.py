"""Actuals recorded during the period by integrations: one value of an additive metric for a rep
on a day, idempotent by the sender's external id.

**Idempotence.** An entry is keyed by its ``external_id``: a resend with the same rep, metric,
day and value changes nothing (no write, no audit, no event); a resend with anything different
updates the entry, audited with what it was and what it became.

**All or nothing, by default.** Every row is checked first (unknown rep, a rep outside the
caller's scope, an unknown or non-additive metric, a day in the future or before 2000, a
negative, non-finite or fractional count) and each problem is reported with its row index
and field. With ``all_or_nothing`` (the default) one problem means nothing is written: an
integration fixes the rows and resends the whole batch, which idempotence makes safe. Without
it the valid rows are written and the others reported.

**Roll-up.** Each written change moves the rep-month's ``MonthlyActual`` by its difference
(one ``value = value + delta`` statement, so concurrent batches never lose one); a full
recompute (``backend.services.aggregation``) adds the same entries to what the facts give, so
both paths agree. One audit row per team touched is published as an ``actuals`` change after
the commit, so open dashboards refresh.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ActualEntry, Metric, Rep
from backend.db.models._base import utcnow
from backend.db.repositories import tracking as repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.alerts.jobs import request_evaluation
from backend.services.errors import DomainError, ErrorCode
from backend.services.text import hidden_characters, normalize
from solver.planning.months import month_start

#: Rows per call; a larger batch is refused whole (send several calls).
MAX_ENTRIES = 500
EARLIEST_DAY = date(2000, 1, 1)
EXTERNAL_ID_MAX = 128
SOURCE = "api"


class RowReason(StrEnum):
    """Why one row of a batch was refused."""

    BAD_ID = "BAD_ID"  # the external id is empty, too long or hides characters
    DUPLICATE_ID = "DUPLICATE_ID"  # the same external id twice in one batch
    MISSING_REP = "MISSING_REP"  # neither repId nor repCode, or both naming different reps
    UNKNOWN_REP = "UNKNOWN_REP"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"  # the rep (or the entry's current rep) is outside the scope
    UNKNOWN_METRIC = "UNKNOWN_METRIC"
    NOT_ADDITIVE = "NOT_ADDITIVE"  # a ratio metric is measured, not recorded by day
    BAD_DATE = "BAD_DATE"
    BAD_VALUE = "BAD_VALUE"


@dataclass(frozen=True)
class EntryInput:
    """One row as sent: the rep by id or by code (its external id), the metric by code."""

    external_id: str
    metric_code: str
    day: date
    value: float
    rep_id: int | None = None
    rep_code: str | None = None


@dataclass(frozen=True)
class RowProblem:
    index: int
    field: str
    reason: RowReason
    message: str


@dataclass
class RecordOutcome:
    """What a batch did: rows created, updated and unchanged, and the refused rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.created + self.updated > 0


@dataclass(frozen=True)
class _Row:
    """A row that passed every check, resolved to ids."""

    index: int
    external_id: str
    rep: Rep
    team_path: str
    metric: Metric
    day: date
    value: float


@dataclass
class _Lookups:
    reps_by_id: dict[int, tuple[Rep, str]]
    reps_by_code: dict[str, tuple[Rep, str]]
    metrics: dict[str, Metric]
    existing: dict[str, ActualEntry]


async def record_actuals(
    session: AsyncSession,
    *,
    principal: Principal,
    entries: Sequence[EntryInput],
    all_or_nothing: bool = True,
    today: date | None = None,
) -> RecordOutcome:
    """Check every row, then write the batch (or, with problems and ``all_or_nothing``,
    nothing).

    >>> # await record_actuals(session, principal=p, entries=[EntryInput("crm-1", "revenue",
    >>> #     date(2026, 11, 3), 1200.0, rep_code="E-ann")])  -> RecordOutcome(created=1, ...)
    """
    if len(entries) > MAX_ENTRIES:
        raise DomainError.single(
            ErrorCode.INVALID,
            f"at most {MAX_ENTRIES} entries per call ({len(entries)} sent): split the batch",
            "entries",
        )
    lookups = await _lookups(session, entries)
    outcome = RecordOutcome()
    rows = _checked(entries, lookups, principal, today or date.today(), outcome.problems)
    if outcome.problems and all_or_nothing:
        return outcome
    await _write(session, rows, lookups, principal, outcome)
    if outcome.written:  # the alert rules look again once this commits
        await request_evaluation(session)
    return outcome


async def _lookups(session: AsyncSession, entries: Sequence[EntryInput]) -> _Lookups:
    existing = await repo.entries_by_external_ids(
        session, [normalize(e.external_id) for e in entries]
    )
    found = await repo.reps_with_team_paths(
        session,
        ids=[e.rep_id for e in entries if e.rep_id is not None]
        + [e.rep_id for e in existing.values()],
        codes=[normalize(e.rep_code) for e in entries if e.rep_code],
    )
    by_id = {rep.id or 0: (rep, path) for rep, path in found}
    return _Lookups(
        reps_by_id=by_id,
        reps_by_code={rep.external_id: (rep, path) for rep, path in found},
        metrics=await repo.metrics_by_codes(session, [e.metric_code for e in entries]),
        existing=existing,
    )


def _checked(
    entries: Sequence[EntryInput],
    lookups: _Lookups,
    principal: Principal,
    today: date,
    problems: list[RowProblem],
) -> list[_Row]:
    rows: list[_Row] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        refuse = _Refusals(index)
        external_id = _external_id(entry.external_id, seen, refuse)
        rep = _rep(entry, lookups, principal, refuse)
        metric = _metric(entry.metric_code, lookups.metrics, refuse)
        _check_day(entry.day, today, refuse)
        _check_value(entry.value, metric, refuse)
        if external_id in lookups.existing and rep is not None:
            _check_existing(lookups.existing[external_id], lookups, principal, refuse)
        problems.extend(refuse.found)
        if not refuse.found and rep is not None and metric is not None:
            rows.append(
                _Row(index, external_id, rep[0], rep[1], metric, entry.day, float(entry.value))
            )
    return rows


@dataclass
class _Refusals:
    """The problems of one row, each naming its field as ``entries[i].field``."""

    index: int
    found: list[RowProblem] = field(default_factory=list)

    def __call__(self, name: str, reason: RowReason, message: str) -> None:
        self.found.append(RowProblem(self.index, f"entries[{self.index}].{name}", reason, message))


def _external_id(raw: str, seen: set[str], refuse: _Refusals) -> str:
    value = normalize(raw)
    if not value or len(value) > EXTERNAL_ID_MAX or hidden_characters(value):
        refuse(
            "externalId",
            RowReason.BAD_ID,
            f"an external id has 1 to {EXTERNAL_ID_MAX} visible characters",
        )
    elif value in seen:
        refuse("externalId", RowReason.DUPLICATE_ID, f"{value!r} appears twice in this batch")
    seen.add(value)
    return value


def _rep(
    entry: EntryInput, lookups: _Lookups, principal: Principal, refuse: _Refusals
) -> tuple[Rep, str] | None:
    by_id = lookups.reps_by_id.get(entry.rep_id) if entry.rep_id is not None else None
    by_code = lookups.reps_by_code.get(normalize(entry.rep_code)) if entry.rep_code else None
    if entry.rep_id is None and not entry.rep_code:
        refuse("repId", RowReason.MISSING_REP, "give the rep by repId or by repCode")
        return None
    if (entry.rep_id is not None and by_id is None) or (entry.rep_code and by_code is None):
        name = "repId" if entry.rep_id is not None and by_id is None else "repCode"
        refuse(name, RowReason.UNKNOWN_REP, "no rep has this id or code")
        return None
    rep = by_id or by_code
    assert rep is not None
    if by_id is not None and by_code is not None and by_id[0].id != by_code[0].id:
        refuse("repCode", RowReason.MISSING_REP, "repId and repCode name different reps")
        return None
    if not principal.scope.covers_rep(rep[0].id or 0, rep[1]):
        refuse(
            "repId" if entry.rep_id is not None else "repCode",
            RowReason.OUT_OF_SCOPE,
            "the rep is outside your scope: ask someone whose scope covers them",
        )
        return None
    return rep


def _metric(code: str, metrics: dict[str, Metric], refuse: _Refusals) -> Metric | None:
    metric = metrics.get(code)
    if metric is None:
        refuse("metric", RowReason.UNKNOWN_METRIC, f"unknown metric {code!r}")
    elif metric.kind != "additive":
        refuse(
            "metric",
            RowReason.NOT_ADDITIVE,
            f"{code} is a ratio: it is measured from the facts, not recorded by day",
        )
        return None
    return metric


def _check_day(day: date, today: date, refuse: _Refusals) -> None:
    # A day ahead of the server's may be today somewhere east of it: one day of slack.
    if day > today + timedelta(days=1):
        refuse("day", RowReason.BAD_DATE, f"{day.isoformat()} is in the future")
    elif day < EARLIEST_DAY:
        refuse("day", RowReason.BAD_DATE, f"{day.isoformat()} is before {EARLIEST_DAY}")


def _check_value(value: float, metric: Metric | None, refuse: _Refusals) -> None:
    if not math.isfinite(value) or value < 0:
        refuse("value", RowReason.BAD_VALUE, "a value is a finite number, 0 or more")
    elif metric is not None and metric.is_integer and value != int(value):
        refuse("value", RowReason.BAD_VALUE, f"{metric.code} counts whole units")


def _check_existing(
    entry: ActualEntry, lookups: _Lookups, principal: Principal, refuse: _Refusals
) -> None:
    """An update also changes the entry's current rep: that rep must be in scope too."""
    current = lookups.reps_by_id.get(entry.rep_id)
    if current is None or not principal.scope.covers_rep(entry.rep_id, current[1]):
        refuse(
            "externalId",
            RowReason.OUT_OF_SCOPE,
            "this external id records an actual of a rep outside your scope",
        )


Key = tuple[int, int, date]  # rep, metric, month


async def _write(
    session: AsyncSession,
    rows: list[_Row],
    lookups: _Lookups,
    principal: Principal,
    outcome: RecordOutcome,
) -> None:
    deltas: dict[Key, float] = defaultdict(float)
    teams: dict[int, _TeamChange] = {}
    new: list[dict[str, object]] = []
    for row in rows:
        existing = lookups.existing.get(row.external_id)
        team = teams.setdefault(row.rep.team_id, _TeamChange(row.team_path))
        if existing is None:
            new.append(_new_entry(row, principal))
            deltas[(row.rep.id or 0, row.metric.id or 0, month_start(row.day))] += row.value
            team.created += 1
            outcome.created += 1
        elif _same(existing, row):
            outcome.unchanged += 1
        else:
            deltas[(existing.rep_id, existing.metric_id, month_start(existing.day))] -= (
                existing.value
            )
            deltas[(row.rep.id or 0, row.metric.id or 0, month_start(row.day))] += row.value
            await _update(session, existing, row, principal)
            team.updated += 1
            outcome.updated += 1
    await repo.add_entries(session, new)
    for (rep_id, metric_id, month), delta in sorted(deltas.items()):
        if delta != 0.0:
            await repo.add_to_monthly(
                session, rep_id=rep_id, metric_id=metric_id, month=month, delta=delta
            )
    await _announce(session, teams, principal)


@dataclass
class _TeamChange:
    path: str
    created: int = 0
    updated: int = 0


def _same(entry: ActualEntry, row: _Row) -> bool:
    return (
        entry.rep_id == row.rep.id
        and entry.metric_id == row.metric.id
        and entry.day == row.day
        and abs(entry.value - row.value) <= 1e-9 * max(1.0, abs(row.value))
    )


def _new_entry(row: _Row, principal: Principal) -> dict[str, object]:
    return {
        "external_id": row.external_id,
        "rep_id": row.rep.id,
        "metric_id": row.metric.id,
        "day": row.day,
        "value": row.value,
        "source": SOURCE,
        "recorded_by": principal.username,
        "recorded_at": utcnow(),
    }


def _snapshot(entry: ActualEntry) -> dict[str, object]:
    return {
        "rep_id": entry.rep_id,
        "metric_id": entry.metric_id,
        "day": entry.day.isoformat(),
        "value": entry.value,
    }


async def _update(
    session: AsyncSession, entry: ActualEntry, row: _Row, principal: Principal
) -> None:
    before = _snapshot(entry)
    entry.rep_id, entry.metric_id = row.rep.id or 0, row.metric.id or 0
    entry.day, entry.value, entry.recorded_by = row.day, row.value, principal.username
    entry.recorded_at = utcnow()
    session.add(entry)
    await audit.record(
        session,
        actor=principal.username,
        action="update",
        entity="actual_entry",
        entity_id=entry.external_id,
        before=before,
        after=_snapshot(entry),
        reason="resent with a different value",
        org_path=row.team_path,
        publish=False,  # the team's ``actuals`` change below announces it
    )


async def _announce(
    session: AsyncSession, teams: dict[int, _TeamChange], principal: Principal
) -> None:
    """One audited ``actuals`` change per team that gained or changed entries."""
    for team_id, change in sorted(teams.items()):
        if change.created + change.updated == 0:
            continue
        await audit.record(
            session,
            actor=principal.username,
            action="record",
            entity="actuals",
            entity_id=team_id,
            before=None,
            after={"created": change.created, "updated": change.updated},
            org_path=change.path,
        )
    await session.flush()
