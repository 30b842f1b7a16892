"""Adjustment requests through the service: the proposal keeps the team's goal, decisions
apply dated revisions, segregation of duties and scope hold, nothing is written on refusal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest, Notification, PlanGoal, TargetRevision
from backend.services.access import Principal
from backend.services.adjustments import reading, requests
from backend.services.auth import principal_for
from backend.services.errors import DomainError, ErrorCode
from tests.backend.adjustments.conftest import TODAY, World, rows_of, totals


async def as_user(session: AsyncSession, world: World, name: str) -> Principal:
    return await principal_for(session, world.users[name])


def ask(world: World, rep_id: int, total: float, **changes: object) -> requests.AdjustmentInput:
    data = requests.AdjustmentInput(
        plan_id=world.plan_id,
        rep_id=rep_id,
        metric_code="revenue",
        period_total=total,
        reason="key_account_lost",
        reason_text="Our largest customer moved its purchasing abroad.",
        effective_date=TODAY,
    )
    return data if not changes else requests.AdjustmentInput(**{**data.__dict__, **changes})


async def cut(session: AsyncSession, world: World, rep_id: int, share: float) -> float:
    """The rep's period total with ``share`` of what is left from this month on taken off."""
    revenue = world.company.metrics["revenue"].id or 0
    rows = await rows_of(session, world.plan_id, revenue, rep_id)
    left = sum(t.value for t in rows if t.month >= TODAY.replace(day=1))
    return sum(t.value for t in rows) - share * left


def team_sum(before: dict[int, float], reps: list[int]) -> float:
    return sum(before[r] for r in reps)


async def test_a_rep_asks_lower_and_the_team_absorbs_it(
    session: AsyncSession, world: World
) -> None:
    revenue = world.company.metrics["revenue"].id or 0
    me = world.company.reps[0].id or 0
    team = [r.id or 0 for r in world.team_reps(0)]
    before = await totals(session, world.plan_id, revenue)
    rep = await as_user(session, world, "rep0")
    asked = await cut(session, world, me, 0.5)
    data = ask(world, me, asked)
    proposal = await requests.preview(session, principal=rep, data=data, as_of=TODAY)
    assert proposal.subject.total_after == pytest.approx(asked)
    assert proposal.relief == pytest.approx(0.0, abs=1e-6)
    moved = sum(m.total_after - m.total_before for m in proposal.moves)
    assert moved == pytest.approx(0.0, abs=1e-6)  # the team's total is kept
    assert {m.rep_id for m in proposal.moves} <= set(team)
    # months before the effective month are nobody's to change
    first = TODAY.replace(day=1)
    for move in proposal.moves:
        for month, b, a in zip(proposal.months, move.before, move.after, strict=True):
            if month < first:
                assert a == b
    assert proposal.subject.probability_after >= proposal.subject.probability_before

    row = await requests.request(session, principal=rep, data=data, as_of=TODAY)
    await session.commit()
    assert row.status == "pending"
    assert await totals(session, world.plan_id, revenue) == before  # nothing applied yet
    lead = await as_user(session, world, "lead0")
    decided = await requests.decide(
        session,
        principal=lead,
        request_id=row.id or 0,
        expected_version=row.version,
        approve=True,
        reason="Confirmed with the account manager.",
        as_of=TODAY,
    )
    await session.commit()
    assert decided.status == "approved"
    after = await totals(session, world.plan_id, revenue)
    assert after[me] == pytest.approx(asked)
    assert team_sum(after, team) == pytest.approx(team_sum(before, team))
    others = [r for r in before if r not in team]
    assert all(after[r] == before[r] for r in others)
    history = await reading.target_history(
        session, principal=rep, plan_id=world.plan_id, rep_id=me, metric_code="revenue"
    )
    assert history and all(h.adjustment_id == row.id for h in history)
    assert {h.month for h in history} <= {m for m in proposal.months if m >= first}
    mine = await rows_of(session, world.plan_id, revenue, me)
    assert all(t.locked for t in mine)
    told = (await session.exec(select(Notification.kind))).all()
    assert "adjustment_requested" in told and "adjustment_approved" in told


async def test_relief_lowers_the_goals_on_the_path_and_nobody_else(
    session: AsyncSession, world: World
) -> None:
    revenue = world.company.metrics["revenue"].id or 0
    me = world.company.reps[0].id or 0
    before = await totals(session, world.plan_id, revenue)
    goals_before = {
        g.org_unit_id: g.value
        for g in (await session.exec(select(PlanGoal).where(PlanGoal.metric_id == revenue))).all()
    }
    lead = await as_user(session, world, "lead0")
    relief = before[me] - await cut(session, world, me, 0.3)
    row = await requests.request(
        session,
        principal=lead,
        data=ask(world, me, before[me] - relief, kind="relief", reason="territory_moved"),
        as_of=TODAY,
    )
    await session.commit()
    branch = await as_user(session, world, "branch0")
    await requests.decide(
        session,
        principal=branch,
        request_id=row.id or 0,
        expected_version=row.version,
        approve=True,
        reason="",
        as_of=TODAY,
    )
    await session.commit()
    after = await totals(session, world.plan_id, revenue)
    assert {r: v for r, v in after.items() if r != me} == {
        r: v for r, v in before.items() if r != me
    }
    goals = {
        g.org_unit_id: g.value
        for g in (await session.exec(select(PlanGoal).where(PlanGoal.metric_id == revenue))).all()
    }
    path_units = {world.company.root.id, world.company.regions[0].id, world.company.branches[0].id}
    path_units.add(world.company.teams[0].id)
    for unit, value in goals.items():
        expected = goals_before[unit] - relief if unit in path_units else goals_before[unit]
        assert value == pytest.approx(expected), unit


async def test_nobody_decides_their_own_request_or_their_own_targets(
    session: AsyncSession, world: World
) -> None:
    lead_rep = world.company.reps[2].id or 0  # the team lead who is also a rep
    lead = await as_user(session, world, "lead0")
    mine = await as_user(session, world, "lead_rep")
    row = await requests.request(
        session,
        principal=lead,
        data=ask(world, lead_rep, await cut(session, world, lead_rep, 0.1)),
        as_of=TODAY,
    )
    await session.commit()
    request_id, version = row.id or 0, row.version
    for principal in (lead, mine):
        with pytest.raises(DomainError) as refused:
            await requests.decide(
                session,
                principal=principal,
                request_id=request_id,
                expected_version=version,
                approve=True,
                reason="",
                as_of=TODAY,
            )
        assert refused.value.problems[0].code is ErrorCode.FORBIDDEN
        await session.rollback()


async def test_out_of_scope_and_bad_input_are_refused_and_write_nothing(
    session: AsyncSession, world: World
) -> None:
    revenue = world.company.metrics["revenue"].id or 0
    other = world.company.reps[1].id or 0
    outsider = world.team_reps(2)[0].id or 0
    before = await totals(session, world.plan_id, revenue)
    rep = await as_user(session, world, "rep0")
    branch0 = await as_user(session, world, "branch0")
    cases = [
        (rep, ask(world, other, 1.0), "repId", ErrorCode.NOT_FOUND),
        (branch0, ask(world, outsider, 1.0), "repId", ErrorCode.NOT_FOUND),
        (rep, ask(world, world.company.reps[0].id or 0, -5.0), "periodTotal", ErrorCode.INVALID),
        (
            rep,
            ask(world, world.company.reps[0].id or 0, 1e5, reason_text="  "),
            "reasonText",
            ErrorCode.INVALID,
        ),
        (
            rep,
            ask(world, world.company.reps[0].id or 0, 1e5, effective_date=date(1999, 1, 1)),
            "effectiveDate",
            ErrorCode.INVALID,
        ),
        (
            rep,
            ask(world, world.company.reps[0].id or 0, 1e5, metric_code="collection_rate"),
            "metric",
            ErrorCode.INVALID,
        ),
    ]
    for principal, data, field, code in cases:
        with pytest.raises(DomainError) as refused:
            await requests.request(session, principal=principal, data=data, as_of=TODAY)
        assert (refused.value.problems[0].field, refused.value.problems[0].code) == (field, code)
        await session.rollback()
    count = (await session.exec(select(func.count()).select_from(AdjustmentRequest))).one()
    assert count == 0
    assert (await session.exec(select(func.count()).select_from(TargetRevision))).one() == 0
    assert await totals(session, world.plan_id, revenue) == before


async def test_refusal_needs_a_reason_and_changes_no_target(
    session: AsyncSession, world: World
) -> None:
    revenue = world.company.metrics["revenue"].id or 0
    me = world.company.reps[0].id or 0
    before = await totals(session, world.plan_id, revenue)
    rep = await as_user(session, world, "rep0")
    lead = await as_user(session, world, "lead0")
    row = await requests.request(
        session, principal=rep, data=ask(world, me, await cut(session, world, me, 0.5)), as_of=TODAY
    )
    await session.commit()
    request_id, version = row.id or 0, row.version
    with pytest.raises(DomainError) as refused:
        await requests.decide(
            session,
            principal=lead,
            request_id=request_id,
            expected_version=version,
            approve=False,
            reason=" ",
            as_of=TODAY,
        )
    assert refused.value.problems[0].field == "reason"
    await session.rollback()
    done = await requests.decide(
        session,
        principal=lead,
        request_id=request_id,
        expected_version=version,
        approve=False,
        reason="The account is only paused.",
        as_of=TODAY,
    )
    await session.commit()
    assert done.status == "refused"
    assert await totals(session, world.plan_id, revenue) == before
    with pytest.raises(DomainError) as again:
        await requests.decide(
            session,
            principal=lead,
            request_id=request_id,
            expected_version=done.version,
            approve=True,
            reason="",
            as_of=TODAY,
        )
    assert again.value.problems[0].code is ErrorCode.CONFLICT
    await session.rollback()
    count = (
        await session.exec(
            select(func.count())
            .select_from(TargetRevision)
            .where(col(TargetRevision.adjustment_id) == request_id)
        )
    ).one()
    assert count == 0


async def test_webhooks_hear_of_requests_and_decisions_in_their_scope(
    session: AsyncSession, world: World
) -> None:
    from backend.db.models import WebhookDelivery
    from backend.services.notifications import webhooks

    admin = await as_user(session, world, "admin")
    types = ["adjustment.requested", "adjustment.approved", "adjustment.refused"]
    await webhooks.create_endpoint(
        session,
        principal=admin,
        url="https://hooks.example.com/q",
        event_types=types,
        scope_org_id=None,
    )
    await webhooks.create_endpoint(  # the other branch: hears nothing of team 0
        session,
        principal=admin,
        url="https://hooks.example.com/b1",
        event_types=types,
        scope_org_id=world.company.branches[1].id,
    )
    await session.commit()
    me = world.company.reps[0].id or 0
    rep = await as_user(session, world, "rep0")
    row = await requests.request(
        session,
        principal=rep,
        data=ask(world, me, await cut(session, world, me, 0.2)),
        as_of=TODAY,
    )
    await session.commit()
    lead = await as_user(session, world, "lead0")
    await requests.decide(
        session,
        principal=lead,
        request_id=row.id or 0,
        expected_version=row.version,
        approve=False,
        reason="Not yet.",
        as_of=TODAY,
    )
    await session.commit()
    sent = (await session.exec(select(WebhookDelivery))).all()
    assert sorted(d.event_type for d in sent) == ["adjustment.refused", "adjustment.requested"]
    assert {d.payload["data"]["request_id"] for d in sent} == {row.id}
    assert {d.payload["data"]["status"] for d in sent} == {"pending", "refused"}
