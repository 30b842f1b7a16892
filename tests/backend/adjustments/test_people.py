"""People changes inside an active period through the service: leavers, absences, joiners,
transfers and reorganisations by the plan's policy; every goal stays the sum beneath it."""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import AdjustmentRequest, OrgUnit, Plan, PlanGoal, Rep, TargetRevision
from backend.db.repositories import people as people_repo
from backend.db.repositories import planning as plan_repo
from backend.services import reps as rep_service
from backend.services.access import Principal
from backend.services.adjustments import people, people_bulk, people_joiner, requests
from backend.services.auth import principal_for
from backend.services.errors import DomainError, ErrorCode
from tests.backend.adjustments.conftest import TODAY, World, rows_of, totals
from tests.factories import make_rep

FIRST = TODAY.replace(day=1)
DAYS = calendar.monthrange(TODAY.year, TODAY.month)[1]


async def as_user(session: AsyncSession, world: World, name: str) -> Principal:
    return await principal_for(session, world.users[name])


async def use_policy(session: AsyncSession, world: World, policy: str) -> None:
    planner = await as_user(session, world, "planner")
    version = await plan_repo.plan_version(session, world.plan_id)
    await people.set_adjustment_policy(
        session, principal=planner, plan_id=world.plan_id, expected_version=version, policy=policy
    )
    await session.commit()


async def goal_values(session: AsyncSession, metric_id: int) -> dict[int, float]:
    query = select(PlanGoal).where(PlanGoal.metric_id == metric_id)
    return {g.org_unit_id: g.value for g in (await session.exec(query)).all()}


async def goal_gaps(session: AsyncSession, plan_id: int) -> list[float]:
    """Each additive goal minus the sum of the targets of the reps beneath its node now."""
    sums = await people_repo.sum_beneath(session, plan_id)
    query = select(Rep.id, OrgUnit.path).join(OrgUnit, col(OrgUnit.id) == col(Rep.team_id))
    paths = {r: p for r, p in (await session.exec(query)).all()}
    metrics = {m for _, m in sums}
    gaps = []
    for goal, unit in await people_repo.goals_with_units(session, [plan_id]):
        if goal.metric_id not in metrics:
            continue
        beneath = sum(
            v
            for (r, m), v in sums.items()
            if m == goal.metric_id and paths[r].startswith(unit.path)
        )
        gaps.append(goal.value - beneath)
    return gaps


async def count(session: AsyncSession, model: type[object]) -> int:
    return int((await session.exec(select(func.count()).select_from(model))).one())


def ids(world: World, team: int) -> list[int]:
    return [r.id or 0 for r in world.team_reps(team)]


class TestLeaving:
    async def test_a_leaver_keeps_the_days_worked_and_the_team_absorbs_the_rest(
        self, session: AsyncSession, world: World
    ) -> None:
        revenue = world.company.metrics["revenue"].id or 0
        me = world.company.reps[0]
        team = ids(world, 0)
        before_rows = [t.value for t in await rows_of(session, world.plan_id, revenue, me.id or 0)]
        before = await totals(session, world.plan_id, revenue)
        goals = await goal_values(session, revenue)
        planner = await as_user(session, world, "planner")
        rows = await people.record_leaving(
            session,
            principal=planner,
            rep_id=me.id or 0,
            expected_version=me.version,
            leave_date=TODAY,
            reason="Moved to a competitor.",
            as_of=TODAY,
        )
        await session.commit()
        assert len(rows) == 2  # revenue and new customers
        assert all(r.status == "approved" and r.decided_by == "planner" for r in rows)
        after_rows = await rows_of(session, world.plan_id, revenue, me.id or 0)
        for t, was in zip(after_rows, before_rows, strict=True):
            if t.month < FIRST:
                assert t.value == was
            elif t.month == FIRST:
                assert t.value == pytest.approx(was * TODAY.day / DAYS)
            else:
                assert t.value == 0
        after = await totals(session, world.plan_id, revenue)
        relief = next(r.goal_relief for r in rows if r.metric_id == revenue)
        team_before, team_after = sum(before[r] for r in team), sum(after[r] for r in team)
        assert team_after + relief == pytest.approx(team_before)
        assert all(after[r] == before[r] for r in before if r not in team)
        if abs(relief) < 1e-6:
            assert await goal_values(session, revenue) == pytest.approx(goals)
        assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6
        history = (await session.exec(select(TargetRevision))).all()
        assert history and all(h.source == "people_change" for h in history)
        assert {h.adjustment_id for h in history} <= {r.id for r in rows}
        left = await session.get(Rep, me.id)
        assert left is not None and left.leave_date == TODAY

    async def test_with_relieve_the_goals_on_the_path_drop_by_exactly_the_removed_amount(
        self, session: AsyncSession, world: World
    ) -> None:
        await use_policy(session, world, "relieve")
        revenue = world.company.metrics["revenue"].id or 0
        me = world.company.reps[0]
        before = await totals(session, world.plan_id, revenue)
        goals = await goal_values(session, revenue)
        planner = await as_user(session, world, "planner")
        await people.record_leaving(
            session,
            principal=planner,
            rep_id=me.id or 0,
            expected_version=me.version,
            leave_date=TODAY,
            reason="Retired.",
            as_of=TODAY,
        )
        await session.commit()
        after = await totals(session, world.plan_id, revenue)
        removed = before[me.id or 0] - after[me.id or 0]
        assert removed > 0
        assert all(after[r] == before[r] for r in before if r != me.id)
        c = world.company
        on_path = {c.root.id, c.regions[0].id, c.branches[0].id, c.teams[0].id}
        for unit, value in (await goal_values(session, revenue)).items():
            expected = goals[unit] - removed if unit in on_path else goals[unit]
            assert value == pytest.approx(expected)
        assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6

    async def test_with_ask_a_pending_request_opens_and_nothing_moves_until_approved(
        self, session: AsyncSession, world: World
    ) -> None:
        await use_policy(session, world, "ask")
        revenue = world.company.metrics["revenue"].id or 0
        me = world.company.reps[0]
        before = await totals(session, world.plan_id, revenue)
        planner = await as_user(session, world, "planner")
        rows = await people.record_leaving(
            session,
            principal=planner,
            rep_id=me.id or 0,
            expected_version=me.version,
            leave_date=TODAY,
            reason="Leaves at the end of the month.",
            as_of=TODAY,
        )
        await session.commit()
        assert [r.status for r in rows] == ["pending", "pending"]
        assert await totals(session, world.plan_id, revenue) == before
        assert await count(session, TargetRevision) == 0
        asked = next(r for r in rows if r.metric_id == revenue)
        branch = await as_user(session, world, "branch0")
        decided = await requests.decide(
            session,
            principal=branch,
            request_id=asked.id or 0,
            expected_version=asked.version,
            approve=True,
            reason="Agreed.",
            as_of=TODAY,
        )
        await session.commit()
        assert decided.status == "approved"
        after = await totals(session, world.plan_id, revenue)
        assert after[me.id or 0] < before[me.id or 0]
        team = ids(world, 0)
        relief = decided.goal_relief
        assert sum(after[r] for r in team) + relief == pytest.approx(sum(before[r] for r in team))
        assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6


class TestRefusals:
    async def test_a_stale_version_out_of_scope_or_bad_dates_are_refused_and_write_nothing(
        self, session: AsyncSession, world: World
    ) -> None:
        me, version = world.company.reps[0].id or 0, world.company.reps[0].version
        planner = await as_user(session, world, "planner")
        other_branch = await as_user(session, world, "branch1")
        cases = [
            (planner, version + 1, TODAY, ErrorCode.STALE_VERSION),
            (other_branch, version, TODAY, ErrorCode.NOT_FOUND),
            (planner, version, date(TODAY.year + 1, 3, 1), ErrorCode.INVALID),
            (planner, version, date(2022, 12, 31), ErrorCode.INVALID),
        ]
        for principal, seen, leave, code in cases:
            with pytest.raises(DomainError) as refused:
                await people.record_leaving(
                    session,
                    principal=principal,
                    rep_id=me,
                    expected_version=seen,
                    leave_date=leave,
                    reason="Leaves.",
                    as_of=TODAY,
                )
            assert refused.value.problems[0].code == code
            await session.rollback()
        assert await count(session, AdjustmentRequest) == 0
        assert await count(session, TargetRevision) == 0
        rep = await session.get(Rep, me)
        assert rep is not None and rep.leave_date is None

    async def test_the_policy_is_set_only_within_scope_and_on_the_version_seen(
        self, session: AsyncSession, world: World
    ) -> None:
        lead = await as_user(session, world, "lead0")
        planner = await as_user(session, world, "planner")
        version = await plan_repo.plan_version(session, world.plan_id)
        for principal, seen, code in (
            (lead, version, ErrorCode.FORBIDDEN),
            (planner, version - 1, ErrorCode.STALE_VERSION),
        ):
            with pytest.raises(DomainError) as refused:
                await people.set_adjustment_policy(
                    session,
                    principal=principal,
                    plan_id=world.plan_id,
                    expected_version=seen,
                    policy="ask",
                )
            assert refused.value.problems[0].code == code
            await session.rollback()
        plan = await session.get(Plan, world.plan_id)
        assert plan is not None and plan.adjustment_policy == "redistribute"


async def test_an_absence_keeps_the_share_of_days_present(
    session: AsyncSession, world: World
) -> None:
    await use_policy(session, world, "relieve")
    revenue = world.company.metrics["revenue"].id or 0
    me = world.company.reps[4].id or 0
    was = {t.month: t.value for t in await rows_of(session, world.plan_id, revenue, me)}
    planner = await as_user(session, world, "planner")
    end = FIRST.replace(day=14)
    await people.record_absence(
        session,
        principal=planner,
        rep_id=me,
        start=FIRST,
        end=end,
        reason="Parental leave.",
        as_of=TODAY,
    )
    await session.commit()
    now = {t.month: t.value for t in await rows_of(session, world.plan_id, revenue, me)}
    for month, value in now.items():
        share = (DAYS - 14) / DAYS if month == FIRST else 1.0
        assert value == pytest.approx(was[month] * share)
    assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6


class TestJoiner:
    async def _joiner(self, session: AsyncSession, world: World) -> Rep:
        c = world.company
        rep = await make_rep(
            session, name="New", team=c.teams[0], rank=c.ranks[0], hire_date=date(TODAY.year, 9, 15)
        )
        await session.commit()
        return rep

    @pytest.mark.parametrize("policy", ["redistribute", "relieve"])
    async def test_a_joiner_ramps_up_and_the_goals_stay_exact(
        self, session: AsyncSession, world: World, policy: str
    ) -> None:
        await use_policy(session, world, policy)
        revenue = world.company.metrics["revenue"].id or 0
        rep = await self._joiner(session, world)
        before = await totals(session, world.plan_id, revenue)
        goals = await goal_values(session, revenue)
        planner = await as_user(session, world, "planner")
        start = date(TODAY.year, 9, 15)
        await people_joiner.add_joiner(
            session,
            principal=planner,
            plan_id=world.plan_id,
            rep_id=rep.id or 0,
            start_date=start,
            reason="Hired for the new territory.",
            as_of=TODAY,
        )
        await session.commit()
        rows = await rows_of(session, world.plan_id, revenue, rep.id or 0)
        values = {t.month: t.value for t in rows}
        assert all(v == 0 for m, v in values.items() if m < date(TODAY.year, 9, 1))
        sep, octo = values[date(TODAY.year, 9, 1)], values[date(TODAY.year, 10, 1)]
        assert sep == pytest.approx(octo / 2 * 16 / 30)  # 25% of the peers', 16 of 30 days
        assert values[date(TODAY.year, 11, 1)] == pytest.approx(octo * 1.5)
        joined = sum(values.values())
        after = await totals(session, world.plan_id, revenue)
        team = ids(world, 0)
        root = world.company.root.id or 0
        if policy == "redistribute":
            kept = sum(after[r] for r in team) + joined  # the team carries the joiner
            assert kept == pytest.approx(sum(before[r] for r in team))
        else:
            assert (await goal_values(session, revenue))[root] == pytest.approx(
                goals[root] + joined
            )
        assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6
        dists = await plan_repo.distributions(session, world.plan_id, rep_ids=[rep.id or 0])
        assert len(dists) == 2


class TestTransfers:
    async def test_random_transfers_keep_every_goal_the_sum_beneath_it(
        self, session: AsyncSession, world: World
    ) -> None:
        rng = np.random.default_rng(3)
        teams = world.company.teams
        for _ in range(8):
            rep_id = int(rng.choice([r.id or 0 for r in world.company.reps]))
            rep = await session.get(Rep, rep_id)
            assert rep is not None
            target = teams[int(rng.integers(len(teams)))]
            if target.id == rep.team_id:
                continue
            await rep_service.transfer(
                session,
                actor="planner",
                rep_id=rep_id,
                expected_version=rep.version,
                team_id=target.id or 0,
                reason="New territory split.",
            )
            await session.commit()
            assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6
        moved = (await session.exec(select(TargetRevision))).all()
        assert moved and all(r.before == r.after and r.month >= FIRST for r in moved)
        assert all(r.reason.startswith("transfer: ") for r in moved)

    async def test_a_reorganisation_of_every_rep_keeps_all_goals_exact(
        self, session: AsyncSession, world: World
    ) -> None:
        rng = np.random.default_rng(8)
        teams = world.company.teams
        moves = []
        for rep in world.company.reps:
            choices = [t.id or 0 for t in teams if t.id != rep.team_id]
            moves.append((rep.id or 0, int(rng.choice(choices))))
        planner = await as_user(session, world, "planner")
        done = await people_bulk.reorganise(
            session, principal=planner, moves=moves, effective_date=TODAY, reason="New year org."
        )
        await session.commit()
        assert done.reps == len(moves) and done.plans == 1
        assert done.revisions == len(moves) * 2 * (13 - TODAY.month)
        assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6
        for rep_id, team_id in moves:
            rep = await session.get(Rep, rep_id)
            assert rep is not None and rep.team_id == team_id

    async def test_a_reorganisation_with_one_bad_move_writes_nothing(
        self, session: AsyncSession, world: World
    ) -> None:
        c = world.company
        lead = await as_user(session, world, "lead0")
        moves = [(c.reps[0].id or 0, c.teams[1].id or 0)]  # team 1 is outside the lead's scope
        with pytest.raises(DomainError) as refused:
            await people_bulk.reorganise(
                session, principal=lead, moves=moves, effective_date=TODAY, reason="Swap."
            )
        assert refused.value.problems[0].field == "moves.0.teamId"
        await session.rollback()
        assert await count(session, AdjustmentRequest) == 0


async def test_a_rank_change_scales_the_months_from_its_month_by_the_baselines(
    session: AsyncSession, world: World
) -> None:
    from backend.services.planning.loading import rank_settings

    await use_policy(session, world, "relieve")
    revenue = world.company.metrics["revenue"].id or 0
    c = world.company
    rep = c.reps[0]  # S1
    was = {t.month: t.value for t in await rows_of(session, world.plan_id, revenue, rep.id or 0)}
    settings = await rank_settings(session, TODAY)
    factor = settings["S2"].baseline["revenue"] / settings["S1"].baseline["revenue"]
    await rep_service.change_rank(
        session,
        actor="planner",
        rep_id=rep.id or 0,
        expected_version=rep.version,
        rank_id=c.ranks[1].id or 0,
        effective_from=TODAY,
        reason="Promoted.",
    )
    await session.commit()
    now = {t.month: t.value for t in await rows_of(session, world.plan_id, revenue, rep.id or 0)}
    for month, value in now.items():
        assert value == pytest.approx(was[month] * (factor if month >= FIRST else 1.0))
    assert max(map(abs, await goal_gaps(session, world.plan_id))) < 1e-6
