"""Transfers inside running periods, one rep or a whole reorganisation in one transaction.

A rep's targets move with the rep (they are the rep's, not the team's), so every goal stays
equal to the sum beneath it when each goal of a node containing the old team but not the new
one goes down by the rep's period total and each goal of a node containing the new team but
not the old one goes up by it. Nodes containing both (or neither) keep their goal.

The history shows the move: one revision per target month from the effective month (before
equals after, source ``people_change``), and one approved people-change adjustment per plan
and metric with a line per rep and month. Everything is read and written in bulk: a
reorganisation of a thousand reps is a handful of queries, whatever its size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    AdjustmentLine,
    AdjustmentRequest,
    OrgUnit,
    Plan,
    Rep,
    TargetRevision,
)
from backend.db.models._base import utcnow
from backend.db.repositories import org as org_repo
from backend.db.repositories import people as people_repo
from backend.db.repositories import planning as plan_repo
from backend.db.repositories import reps as rep_repo
from backend.services import audit
from backend.services.access import Principal
from backend.services.errors import ErrorCode, FieldProblem, Problems
from backend.services.planning.common import claim_version
from solver.planning.months import month_start

MAX_MOVES = 5000


@dataclass(frozen=True)
class Moved:
    """A rep moved from one team (its path) to another."""

    rep_id: int
    old_path: str
    new_path: str


@dataclass(frozen=True)
class MovedInPlans:
    """What a set of transfers did to the active plans."""

    reps: int
    plans: int
    goals_moved: int
    revisions: int
    adjustment_ids: list[int]


def common_path(paths: Sequence[str]) -> str:
    """The deepest node path every one of ``paths`` lies under ("/1/2/" and "/1/3/" -> "/1/").

    >>> common_path(["/1/2/5/", "/1/2/7/", "/1/2/"])
    '/1/2/'
    """
    parts = [p.strip("/").split("/") for p in paths]
    shared: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        shared.append(level[0])
    return "/" + "".join(f"{s}/" for s in shared) if shared else "/"


def goal_deltas(
    goals: Sequence[tuple[int, str]], moves: Sequence[Moved], totals: dict[int, float]
) -> dict[int, float]:
    """Each goal's change (goal id, node path) for reps moved with period ``totals``."""
    out: dict[int, float] = defaultdict(float)
    for move in moves:
        total = totals.get(move.rep_id, 0.0)
        for goal_id, path in goals:
            was, now = move.old_path.startswith(path), move.new_path.startswith(path)
            if was != now:
                out[goal_id] += total if now else -total
    return dict(out)


async def move_in_plans(
    session: AsyncSession,
    *,
    actor: str,
    moves: Sequence[Moved],
    effective: date,
    reason: str,
) -> MovedInPlans:
    """Follow ``moves`` (already made on the reps) in every active plan holding their
    targets: the goals, the revisions, the adjustments (see the module)."""
    rep_ids = [m.rep_id for m in moves]
    plans = {p.id or 0: p for p in await people_repo.active_plans(session)}
    targets = await people_repo.targets_of_reps(session, list(plans), rep_ids) if plans else []
    if not targets:
        return MovedInPlans(len(moves), 0, 0, 0, [])
    totals: dict[tuple[int, int], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for t in targets:
        totals[(t.plan_id, t.metric_id)][t.rep_id] += t.value
    held = sorted({t.plan_id for t in targets})
    goals: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
    for g, unit in await people_repo.goals_with_units(session, held):
        goals[(g.plan_id, g.metric_id)].append((g.id or 0, unit.path))
    deltas: dict[int, float] = {}
    for key, by_rep in totals.items():
        deltas.update(goal_deltas(goals.get(key, []), moves, by_rep))
    for plan_id in held:  # every cached view of these plans is read again
        await claim_version(session, plans[plan_id])
    await people_repo.add_to_goals(session, deltas)
    ids = await _adjustments(session, actor, moves, effective, reason, totals, plans)
    revisions = await _history(session, actor, moves, effective, reason, targets, ids, plans)
    return MovedInPlans(
        len(moves), len(held), sum(1 for d in deltas.values() if d), revisions, list(ids.values())
    )


def _text(moves: Sequence[Moved], reason: str) -> str:
    if len(moves) == 1:
        return f"transfer: {moves[0].old_path} -> {moves[0].new_path}; {reason}"
    return f"reorganisation of {len(moves)} reps; {reason}"


async def _adjustments(
    session: AsyncSession,
    actor: str,
    moves: Sequence[Moved],
    effective: date,
    reason: str,
    totals: dict[tuple[int, int], dict[int, float]],
    plans: dict[int, Plan],
) -> dict[tuple[int, int], int]:
    """One approved people-change adjustment per plan and metric."""
    path = common_path([p for m in moves for p in (m.old_path, m.new_path)])
    rows = {
        key: AdjustmentRequest(
            plan_id=key[0],
            metric_id=key[1],
            kind="people_change",
            reason="transfer",
            reason_text=_text(moves, reason)[:4000],
            effective_date=_within(effective, plans[key[0]]),
            policy=plans[key[0]].adjustment_policy,
            status="approved",
            requested_by=actor,
            subject_rep_id=moves[0].rep_id if len(moves) == 1 else None,
            org_path=path,
            proposal={"transfers": {str(r): t for r, t in by_rep.items()}},
            decided_by=actor,
            decided_at=utcnow(),
        )
        for key, by_rep in totals.items()
    }
    session.add_all(rows.values())
    await session.flush()
    return {key: row.id or 0 for key, row in rows.items()}


def _within(day: date, plan: Plan) -> date:
    return min(max(day, plan.period_start), plan.period_end)


async def _history(
    session: AsyncSession,
    actor: str,
    moves: Sequence[Moved],
    effective: date,
    reason: str,
    targets: Sequence[Any],
    ids: dict[tuple[int, int], int],
    plans: dict[int, Plan],
) -> int:
    """A revision and an adjustment line per target month from the effective month."""
    paths = {m.rep_id: m for m in moves}
    first = month_start(effective)
    revisions: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for t in targets:
        if t.month < first:
            continue
        move = paths[t.rep_id]
        adjustment = ids[(t.plan_id, t.metric_id)]
        revisions.append(
            {
                "target_id": t.id,
                "plan_id": t.plan_id,
                "rep_id": t.rep_id,
                "metric_id": t.metric_id,
                "month": t.month,
                "before": t.value,
                "after": t.value,
                "effective_date": _within(effective, plans[t.plan_id]),
                "source": "people_change",
                "adjustment_id": adjustment,
                "actor": actor,
                "reason": f"transfer: {move.old_path} -> {move.new_path}; {reason}"[:4000],
                "created_at": utcnow(),
            }
        )
        lines.append(
            {
                "request_id": adjustment,
                "rep_id": t.rep_id,
                "month": t.month,
                "role": "subject",
                "before": t.value,
                "proposed": t.value,
                "approved": t.value,
            }
        )
    await plan_repo.insert_rows(session, TargetRevision, revisions)
    await plan_repo.insert_rows(session, AdjustmentLine, lines)
    return len(revisions)


async def reorganise(
    session: AsyncSession,
    *,
    principal: Principal,
    moves: Sequence[tuple[int, int]],
    effective_date: date,
    reason: str,
) -> MovedInPlans:
    """Move many reps (rep id, new team id) in one transaction, following each move in every
    active plan; every move is checked first and nothing is written when one is refused."""
    checked, reps = await _check_moves(session, principal, moves, reason)
    await people_repo.move_reps(session, {r: (reps[r], team) for r, team in moves})
    done = await move_in_plans(
        session, actor=principal.username, moves=checked, effective=effective_date, reason=reason
    )
    await audit.record(
        session,
        actor=principal.username,
        action="reorganise",
        entity="rep",
        entity_id=None,
        before={"teams": {str(m.rep_id): m.old_path for m in checked}},
        after={
            "teams": {str(m.rep_id): m.new_path for m in checked},
            "effective_date": effective_date.isoformat(),
            "adjustment_ids": done.adjustment_ids,
        },
        reason=reason,
        org_path=common_path([p for m in checked for p in (m.old_path, m.new_path)]),
    )
    await session.flush()
    return done


async def _check_moves(
    session: AsyncSession, principal: Principal, moves: Sequence[tuple[int, int]], reason: str
) -> tuple[list[Moved], dict[int, Rep]]:
    """The moves with their paths and the loaded reps; every refusal named at once."""
    problems = Problems()
    if not reason.strip():
        problems.invalid("reason", "a reason is required for the audit trail")
    if not moves or len(moves) > MAX_MOVES:
        problems.invalid("moves", f"1 to {MAX_MOVES:,} moves")
    rep_ids = [r for r, _ in moves]
    if len(set(rep_ids)) != len(rep_ids):
        problems.invalid("moves", "each rep moves once")
    problems.raise_if_any()
    scope = principal.scope
    reps = await rep_repo.reps_by_ids(
        session, rep_ids, scope_path=scope.org_path, scope_rep_id=scope.rep_id
    )
    units = await org_repo.units_by_ids(
        session, list({r.team_id for r in reps.values()} | {t for _, t in moves})
    )
    out = []
    for k, (rep_id, team_id) in enumerate(moves):
        rep, team = reps.get(rep_id), units.get(team_id)
        old = units.get(rep.team_id) if rep else None
        if rep is None or old is None or scope.nothing:
            missing = FieldProblem(
                ErrorCode.NOT_FOUND, f"Rep {rep_id} does not exist", f"moves.{k}.repId"
            )
            problems.items.append(missing)
        elif not _team_ok(team, principal):
            problems.invalid(f"moves.{k}.teamId", f"org unit {team_id} is not a team you see")
        elif team_id == rep.team_id:
            problems.invalid(f"moves.{k}.teamId", "the rep is already in this team")
        else:
            assert team is not None
            out.append(Moved(rep_id, old.path, team.path))
    problems.raise_if_any()
    return out, reps


def _team_ok(team: OrgUnit | None, principal: Principal) -> bool:
    return team is not None and team.kind == "team" and principal.scope.covers_path(team.path)
