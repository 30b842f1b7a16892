"""Feedback on targets, through the service: who may give it on which target, what is refused
(field named, nothing written), responses with segregation of duties and versions, who is
told, and the per-group summary recounted by hand."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.engine import session_factory
from backend.db.models import AuditEntry, Notification, OrgUnit, Rep, TargetFeedback
from backend.db.models.adjustments import FEEDBACK_RATINGS, FEEDBACK_TAGS
from backend.services import feedback
from backend.services.errors import DomainError, ErrorCode
from tests.backend.adjustments.feedback_world import (
    FeedbackWorld,
    make_feedback_world,
    principal_of,
)

T = TypeVar("T")


@pytest.fixture
async def world(session: AsyncSession) -> FeedbackWorld:
    return await make_feedback_world(session)


async def in_request(engine: AsyncEngine, use_case: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One use case in its own session, committed, or rolled back when refused (as the API's
    boundary does), so the test's own session and objects are never rolled back."""
    async with session_factory(engine)() as session:
        try:
            result = await use_case(session)
        except DomainError:
            await session.rollback()
            raise
        await session.commit()
        return result


async def give(engine: AsyncEngine, world: FeedbackWorld, who: str, rep: Rep, **kw: Any):
    values: dict[str, Any] = {
        "plan_id": world.plan.id or 0,
        "rep_id": rep.id or 0,
        "metric_code": "revenue",
        "rating": "too_high",
        "tags": ["market"],
        "comment": "The market shrank",
    }
    values |= kw

    async def use_case(session: AsyncSession) -> TargetFeedback:
        principal = await principal_of(session, world, who)
        return await feedback.give_feedback(session, principal=principal, **values)

    return await in_request(engine, use_case)


async def respond(
    engine: AsyncEngine, world: FeedbackWorld, who: str, row: TargetFeedback, **kw: Any
) -> TargetFeedback:
    values: dict[str, Any] = {"expected_version": row.version, "response": "Noted, thanks"}
    values |= kw

    async def use_case(session: AsyncSession) -> TargetFeedback:
        principal = await principal_of(session, world, who)
        return await feedback.respond(
            session, principal=principal, feedback_id=row.id or 0, **values
        )

    return await in_request(engine, use_case)


async def refusal(engine: AsyncEngine, world: FeedbackWorld, who: str, rep: Rep, **kw: Any):
    with pytest.raises(DomainError) as caught:
        await give(engine, world, who, rep, **kw)
    return [(p.code, p.field) for p in caught.value.problems]


async def read(engine: AsyncEngine, query: Any) -> list[Any]:
    async with session_factory(engine)() as session:
        return list((await session.exec(query)).all())


async def feedback_count(engine: AsyncEngine) -> int:
    [count] = await read(engine, select(func.count(col(TargetFeedback.id))))
    return int(count)


async def inbox(engine: AsyncEngine, world: FeedbackWorld, who: str) -> list[Notification]:
    user_id = world.users[who].id
    return await read(engine, select(Notification).where(col(Notification.user_id) == user_id))


async def as_(engine: AsyncEngine, world: FeedbackWorld, who: str, call: Callable[..., Any]) -> Any:
    """A read-only use case as ``who``: ``call(session, principal)``."""

    async def use_case(session: AsyncSession) -> Any:
        return await call(session, await principal_of(session, world, who))

    return await in_request(engine, use_case)


def codes(error: DomainError) -> list[tuple[ErrorCode, str | None]]:
    return [(p.code, p.field) for p in error.problems]


class TestGivingFeedback:
    async def test_a_rep_rates_their_own_target_and_it_is_audited(
        self, engine: AsyncEngine, session: AsyncSession, world: FeedbackWorld
    ):
        rep = world.rep(0)
        row = await give(engine, world, "rep", rep, tags=["market", "pipeline"])
        team = await session.get(OrgUnit, rep.team_id)
        assert (row.author, row.author_role, row.rating) == ("rep", "rep", "too_high")
        assert row.tags == ["market", "pipeline"] and row.version == 1
        assert team is not None and row.org_path == team.path
        audit = await read(engine, select(AuditEntry).where(AuditEntry.action == "give_feedback"))
        assert [a.entity_id for a in audit] == [str(row.id)]

    async def test_a_rep_may_not_rate_a_teammates_target(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        problems = await refusal(engine, world, "rep", world.rep(0, index=1))
        assert problems == [(ErrorCode.NOT_FOUND, "repId")]
        assert await feedback_count(engine) == 0

    async def test_a_manager_rates_a_target_in_scope_and_not_outside_it(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        row = await give(engine, world, "branch0", world.rep(0, team=1), rating="fair")
        assert row.author_role == "manager"
        problems = await refusal(engine, world, "branch0", world.rep(1))
        assert problems == [(ErrorCode.NOT_FOUND, "repId")]

    async def test_a_draft_plan_takes_no_feedback(self, engine: AsyncEngine, world: FeedbackWorld):
        draft = world.draft.id or 0
        manager = await refusal(engine, world, "branch0", world.rep(0), plan_id=draft)
        assert manager == [(ErrorCode.CONFLICT, "planId")]
        rep = await refusal(engine, world, "rep", world.rep(0), plan_id=draft)
        assert rep == [(ErrorCode.NOT_FOUND, "planId")]  # a rep does not see drafts
        assert await feedback_count(engine) == 0

    async def test_a_closed_plan_still_takes_feedback(
        self, engine: AsyncEngine, session: AsyncSession, world: FeedbackWorld
    ):
        world.plan.status = "closed"
        await session.commit()
        assert (await give(engine, world, "rep", world.rep(0))).id is not None

    async def test_a_metric_without_targets_or_unknown_is_refused(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        none = await refusal(engine, world, "rep", world.rep(0), metric_code="new_customers")
        assert none == [(ErrorCode.NOT_FOUND, "repId")]
        unknown = await refusal(engine, world, "rep", world.rep(0), metric_code="nope")
        assert unknown == [(ErrorCode.INVALID, "metric")]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"rating": "impossible"}, "rating"),
            ({"tags": ["weather"]}, "tags"),
            ({"tags": list(FEEDBACK_TAGS[:6])}, "tags"),
            ({"tags": ["market", "market"]}, "tags"),
            ({"rating": "unreachable", "comment": "  "}, "comment"),
            ({"comment": "x" * 2001}, "comment"),
            ({"comment": "hidden\u202eevil"}, "comment"),
        ],
    )
    async def test_a_bad_view_is_refused_naming_the_field_and_nothing_is_written(
        self, engine: AsyncEngine, world: FeedbackWorld, change: dict[str, Any], field: str
    ):
        problems = await refusal(engine, world, "rep", world.rep(0), **change)
        assert problems == [(ErrorCode.INVALID, field)]
        assert await feedback_count(engine) == 0
        assert await inbox(engine, world, "lead0") == []

    async def test_every_problem_is_named_at_once(self, engine: AsyncEngine, world: FeedbackWorld):
        problems = await refusal(
            engine, world, "rep", world.rep(0), rating="bad", tags=["weather"], comment="x" * 2001
        )
        assert {field for _, field in problems} == {"rating", "tags", "comment"}

    async def test_a_comment_may_hold_line_breaks(self, engine: AsyncEngine, world: FeedbackWorld):
        row = await give(engine, world, "rep", world.rep(0), comment="one\ntwo\n")
        assert row.comment == "one\ntwo"


class TestManagersHear:
    async def test_an_unreachable_target_reaches_the_reps_managers_only(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        await give(engine, world, "rep", world.rep(0), rating="unreachable")
        for who in ("lead0", "branch0"):
            [notice] = await inbox(engine, world, who)
            assert (notice.kind, notice.message_key) == ("feedback_given", "feedback_given")
            assert notice.params["rating"] == "unreachable"
        for who in ("lead1", "branch1", "rep", "admin", "planner"):
            assert await inbox(engine, world, who) == []

    async def test_a_fair_rating_or_a_managers_view_tells_nobody(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        await give(engine, world, "rep", world.rep(0), rating="fair")
        await give(engine, world, "branch0", world.rep(0), rating="unreachable")
        assert [await inbox(engine, world, w) for w in ("lead0", "branch0")] == [[], []]


class TestResponding:
    async def test_a_manager_responds_and_the_author_is_told(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        row = await give(engine, world, "rep", world.rep(0), rating="fair")
        done = await respond(engine, world, "lead0", row, response=" We will review it ")
        assert (done.response, done.responded_by, done.version) == ("We will review it", "lead0", 2)
        assert done.responded_at is not None
        [notice] = await inbox(engine, world, "rep")
        assert (notice.kind, notice.message_key) == ("feedback_responded", "feedback_responded")
        assert notice.params["response"] == "We will review it"
        assert notice.params["actor"] == "lead0"
        assert await inbox(engine, world, "lead0") == []

    async def test_nobody_responds_to_their_own_feedback(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        row = await give(engine, world, "branch0", world.rep(0))
        with pytest.raises(DomainError) as caught:
            await respond(engine, world, "branch0", row)
        assert codes(caught.value) == [(ErrorCode.FORBIDDEN, "feedbackId")]

    async def test_a_stale_version_is_refused(self, engine: AsyncEngine, world: FeedbackWorld):
        row = await give(engine, world, "rep", world.rep(0))
        await respond(engine, world, "lead0", row)
        with pytest.raises(DomainError) as caught:
            await respond(engine, world, "branch0", row, expected_version=1, response="late")
        assert codes(caught.value) == [(ErrorCode.STALE_VERSION, "expectedVersion")]
        [kept] = await read(engine, select(TargetFeedback))
        assert (kept.response, kept.version) == ("Noted, thanks", 2)

    @pytest.mark.parametrize(
        ("who", "response", "code", "field"),
        [
            ("branch1", "ok", ErrorCode.NOT_FOUND, "feedbackId"),  # out of scope: not disclosed
            ("rep2", "ok", ErrorCode.FORBIDDEN, None),  # a rep does not decide
            ("lead0", "   ", ErrorCode.INVALID, "response"),
            ("lead0", "y" * 2001, ErrorCode.INVALID, "response"),
        ],
    )
    async def test_a_refused_response_changes_nothing(
        self,
        engine: AsyncEngine,
        world: FeedbackWorld,
        who: str,
        response: str,
        code: ErrorCode,
        field: str | None,
    ):
        row = await give(engine, world, "rep", world.rep(0), rating="fair")
        with pytest.raises(DomainError) as caught:
            await respond(engine, world, who, row, response=response)
        assert codes(caught.value) == [(code, field)]
        [kept] = await read(engine, select(TargetFeedback))
        assert (kept.response, kept.responded_by, kept.version) == ("", None, 1)
        assert await inbox(engine, world, "rep") == []


class TestReading:
    async def test_a_branch_manager_lists_only_their_branch_and_a_rep_only_their_own(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        mine = await give(engine, world, "rep", world.rep(0))
        teammate = await give(engine, world, "lead0", world.rep(0, index=1))
        other = await give(engine, world, "branch1", world.rep(1))

        async def listed(who: str) -> tuple[set[int | None], int]:
            rows, total = await as_(
                engine,
                world,
                who,
                lambda s, p: feedback.list_feedback(
                    s, principal=p, plan_id=world.plan.id or 0, limit=50, offset=0
                ),
            )
            return {r.id for r in rows}, total

        assert await listed("branch0") == ({mine.id, teammate.id}, 2)
        assert await listed("branch1") == ({other.id}, 1)
        assert await listed("rep") == ({mine.id}, 1)
        assert await listed("admin") == ({mine.id, teammate.id, other.id}, 3)

    async def test_a_page_is_newest_first_and_filtered_by_rep(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        rows = [await give(engine, world, "admin", world.rep(0), rating="fair") for _ in range(3)]
        await give(engine, world, "admin", world.rep(1))
        page, total = await as_(
            engine,
            world,
            "admin",
            lambda s, p: feedback.list_feedback(
                s,
                principal=p,
                plan_id=world.plan.id or 0,
                rep_id=world.rep(0).id,
                metric_code="revenue",
                limit=2,
                offset=1,
            ),
        )
        assert total == 3 and [r.id for r in page] == [rows[1].id, rows[0].id]


View = tuple[Rep, str, list[str], bool]


def recount(views: list[View], by: str) -> dict[str, dict[str, Any]]:
    """The summary counted plainly, keyed as the service keys groups ("manager" is the team)."""
    attribute = {"rank": "rank_id", "region": "region_id", "manager": "team_id"}[by]
    groups: dict[str, dict[str, Any]] = {}
    for rep, rating, tags, responded in views:
        group = groups.setdefault(
            f"{by}:{getattr(rep, attribute)}",
            {"count": 0, "ratings": Counter(), "tags": Counter(), "responded": 0},
        )
        group["count"] += 1
        group["ratings"][rating] += 1
        group["tags"].update(tags)
        group["responded"] += responded
    return groups


async def random_views(engine: AsyncEngine, world: FeedbackWorld, seed: int) -> list[View]:
    """Forty views of random reps' targets, with random ratings and tags, some answered."""
    rng = random.Random(seed)
    views: list[View] = []
    for _ in range(40):
        rep = rng.choice(world.company.reps)
        rating = rng.choice(FEEDBACK_RATINGS)
        tags = rng.sample(FEEDBACK_TAGS, rng.randint(0, 5))
        row = await give(engine, world, "admin", rep, rating=rating, tags=tags, comment="c")
        responded = rng.random() < 0.4
        if responded:
            await respond(engine, world, "planner", row, response="seen")
        views.append((rep, rating, tags, responded))
    return views


async def summary_as(engine: AsyncEngine, world: FeedbackWorld, who: str, by: str) -> Any:
    return await as_(
        engine,
        world,
        who,
        lambda s, p: feedback.summary(
            s, principal=p, plan_id=world.plan.id or 0, metric_code="revenue", by=by
        ),
    )


class TestSummary:
    @pytest.mark.parametrize(("by", "seed"), [("rank", 1), ("region", 2), ("manager", 3)])
    async def test_the_summary_matches_a_plain_recount(
        self, engine: AsyncEngine, world: FeedbackWorld, by: str, seed: int
    ):
        expected = recount(await random_views(engine, world, seed), by)
        groups = await summary_as(engine, world, "admin", by)
        assert {g.key for g in groups} == set(expected)
        for group in groups:
            want = expected[group.key]
            assert group.count == want["count"]
            assert group.ratings == {r: want["ratings"][r] for r in FEEDBACK_RATINGS}
            high = want["ratings"]["too_high"] + want["ratings"]["unreachable"]
            assert group.share_too_high == pytest.approx(high / want["count"])
            assert group.responded_share == pytest.approx(want["responded"] / want["count"])
            assert all(want["tags"][tag] == count for tag, count in group.top_tags)
            top = sorted(want["tags"].values(), reverse=True)[:5]
            assert [count for _, count in group.top_tags] == top

    async def test_groups_are_named_and_a_team_names_its_lead(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        await give(engine, world, "admin", world.rep(0))
        await give(engine, world, "admin", world.rep(1))
        teams = await summary_as(engine, world, "admin", "manager")
        assert [g.label for g in teams] == ["North Team 0 (lead0)", "South Team 0"]
        regions = await summary_as(engine, world, "admin", "region")
        assert [g.label for g in regions] == ["North", "South"]

    async def test_a_branch_manager_summarises_only_their_branch(
        self, engine: AsyncEngine, world: FeedbackWorld
    ):
        views = await random_views(engine, world, seed=7)
        branch0 = {t.id for t in world.company.teams[:2]}
        expected = recount([v for v in views if v[0].team_id in branch0], "manager")
        groups = await summary_as(engine, world, "branch0", "manager")
        assert {g.key: g.count for g in groups} == {k: v["count"] for k, v in expected.items()}
        assert sum(g.count for g in await summary_as(engine, world, "rep", "rank")) == sum(
            1 for v in views if v[0].id == world.rep(0).id
        )

    async def test_an_unknown_grouping_is_refused(self, engine: AsyncEngine, world: FeedbackWorld):
        with pytest.raises(DomainError) as caught:
            await summary_as(engine, world, "admin", "mood")
        assert codes(caught.value) == [(ErrorCode.INVALID, "by")]
