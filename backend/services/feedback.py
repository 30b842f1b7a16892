"""Feedback on targets (#14): reps and managers rate a target, a manager responds.

A rating (too low, fair, too high, unreachable) with up to five reason tags and a comment is
given on one rep's target for one metric of an active or closed plan (during the period or
after it): by the rep on their own target, or by a manager within their scope. Someone who
decides adjustments, other than the author, responds; the author is told. The post-period
review reads ``summary``: per rank, region or team, how many rated what and which reasons.

>>> row = await give_feedback(session, principal=rep, plan_id=1, rep_id=7,
...                           metric_code="revenue", rating="unreachable",
...                           tags=["market"], comment="Our biggest customer left in March")
>>> await respond(session, principal=lead, feedback_id=row.id or 0, expected_version=1,
...               response="We will look at it in the mid-year review")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    Metric,
    OrgUnit,
    Plan,
    Rank,
    Region,
    Rep,
    Target,
    TargetFeedback,
    User,
)
from backend.db.models._base import utcnow
from backend.db.models.adjustments import FEEDBACK_RATINGS, FEEDBACK_TAGS
from backend.db.repositories.planning import team_path_of
from backend.services import audit
from backend.services.access import Action, Principal, Role, Scope
from backend.services.auth import principal_for
from backend.services.errors import DomainError, ErrorCode, Problems, not_found, stale
from backend.services.notifications.messages import MessageKey
from backend.services.notifications.notify import notify
from backend.services.planning.common import visible_plan
from backend.services.planning.targets import metric_by_code
from backend.services.text import describe, hidden_characters

Grouping = Literal["rank", "region", "manager"]
GROUPINGS: tuple[Grouping, ...] = ("rank", "region", "manager")
#: Feedback is given while the plan runs or after it closed, never on a draft.
OPEN_FOR_FEEDBACK = frozenset({"active", "closed"})
#: Ratings that tell the rep's managers at once (a target seen as too hard).
ALARMING = frozenset({"too_high", "unreachable"})
#: Who hears of alarming feedback: the managers of the rep's team, branch and region.
MANAGERS = (Role.TEAM_LEAD.value, Role.BRANCH_MANAGER.value)
MAX_TAGS = 5
MAX_TEXT = 2000
TOP_TAGS = 5
_ALLOWED_BREAKS = frozenset("\n\t")


# Giving feedback ---------------------------------------------------------------------------


async def give_feedback(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    rep_id: int,
    metric_code: str,
    rating: str,
    tags: Sequence[str],
    comment: str,
) -> TargetFeedback:
    """A rep's (their own target) or a manager's (within scope) view of a target."""
    plan = await _plan_open_for_feedback(session, principal, plan_id)
    metric = await metric_by_code(session, metric_code, "metric")
    team_path = await _rep_in_scope(session, principal.scope, rep_id)
    await _require_targets(session, plan_id=plan_id, rep_id=rep_id, metric_id=metric.id or 0)
    tags, comment = _checked_view(rating, tags, comment)
    row = TargetFeedback(
        plan_id=plan_id,
        rep_id=rep_id,
        metric_id=metric.id or 0,
        org_path=team_path,
        author=principal.username,
        author_role="rep" if principal.rep_id == rep_id else "manager",
        rating=rating,
        tags=tags,
        comment=comment,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action="give_feedback",
        entity="target_feedback",
        entity_id=row.id,
        before=None,
        after=_snapshot(row),
        org_path=team_path,
    )
    if row.author_role == "rep" and rating in ALARMING:
        await _tell_managers(session, row=row, plan=plan, metric=metric)
    return row


async def _plan_open_for_feedback(
    session: AsyncSession, principal: Principal, plan_id: int
) -> Plan:
    plan, _ = await visible_plan(session, plan_id, principal)
    if plan.status not in OPEN_FOR_FEEDBACK:
        raise DomainError.single(
            ErrorCode.CONFLICT,
            f"the plan is {plan.status}: feedback is given on active or closed plans",
            "planId",
        )
    return plan


async def _rep_in_scope(session: AsyncSession, scope: Scope, rep_id: int) -> str:
    """The rep's team path; a rep outside the scope is reported missing (no existence leak)."""
    path = await team_path_of(session, rep_id)
    if path is None or not scope.covers_rep(rep_id, path):
        raise not_found("Rep", rep_id, "repId")
    return path


async def _require_targets(
    session: AsyncSession, *, plan_id: int, rep_id: int, metric_id: int
) -> None:
    query = select(func.count(col(Target.id))).where(
        col(Target.plan_id) == plan_id,
        col(Target.rep_id) == rep_id,
        col(Target.metric_id) == metric_id,
    )
    if not (await session.exec(query)).one():
        raise DomainError.single(
            ErrorCode.NOT_FOUND, f"rep {rep_id} has no target for this metric in the plan", "repId"
        )


def _checked_view(rating: str, tags: Sequence[str], comment: str) -> tuple[list[str], str]:
    """The rating, tags and comment, or every problem with them at once."""
    problems = Problems()
    if rating not in FEEDBACK_RATINGS:
        problems.invalid("rating", f"rating is one of {', '.join(FEEDBACK_RATINGS)}")
    unknown = sorted(set(tags) - set(FEEDBACK_TAGS))
    if unknown:
        problems.invalid("tags", f"unknown tags {', '.join(unknown)}")
    if len(set(tags)) != len(tags):
        problems.invalid("tags", "a tag is given once")
    if len(tags) > MAX_TAGS:
        problems.invalid("tags", f"at most {MAX_TAGS} tags")
    text = _text(comment, "comment", problems)
    if rating == "unreachable" and not text:
        problems.invalid("comment", "say why the target is unreachable")
    problems.raise_if_any()
    return list(tags), text


def _text(value: str, field: str, problems: Problems) -> str:
    """Free text: trimmed, at most MAX_TEXT characters, line breaks but no hidden characters."""
    text = value.strip()
    hidden = [c for c in hidden_characters(text) if c not in _ALLOWED_BREAKS]
    if len(text) > MAX_TEXT:
        problems.invalid(field, f"at most {MAX_TEXT} characters")
    if hidden:
        shown = ", ".join(describe(c) for c in hidden)
        problems.invalid(field, f"invisible or control characters ({shown})")
    return text


# Responding --------------------------------------------------------------------------------


async def respond(
    session: AsyncSession,
    *,
    principal: Principal,
    feedback_id: int,
    expected_version: int,
    response: str,
) -> TargetFeedback:
    """A manager's answer to someone else's feedback (a later answer replaces it); the
    author is told in their inbox and, per their preferences, by e-mail."""
    if not principal.can(Action.DECIDE_ADJUSTMENTS):
        raise DomainError.single(ErrorCode.FORBIDDEN, "your role may not respond to feedback")
    row = await get_feedback(session, principal=principal, feedback_id=feedback_id)
    if row.author == principal.username:
        raise DomainError.single(
            ErrorCode.FORBIDDEN, "someone else responds to your own feedback", "feedbackId"
        )
    if row.version != expected_version:
        raise stale("feedback", row.version)
    problems = Problems()
    text = _text(response, "response", problems)
    if not text:
        problems.invalid("response", "write a response")
    problems.raise_if_any()
    before = _snapshot(row)
    row.response, row.responded_by, row.responded_at = text, principal.username, utcnow()
    row.version += 1
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action="respond_to_feedback",
        entity="target_feedback",
        entity_id=row.id,
        before=before,
        after=_snapshot(row),
        org_path=row.org_path,
    )
    await _tell_author(session, row=row, actor=principal.username)
    return row


async def get_feedback(
    session: AsyncSession, *, principal: Principal, feedback_id: int
) -> TargetFeedback:
    """One feedback row the caller may see (NOT_FOUND otherwise: existence is not disclosed)."""
    query = _scoped(select(TargetFeedback), principal.scope)
    found: TargetFeedback | None = (
        await session.exec(query.where(col(TargetFeedback.id) == feedback_id))
    ).first()
    if found is None:
        raise not_found("Feedback", feedback_id, "feedbackId")
    return found


def _snapshot(row: TargetFeedback) -> dict[str, Any]:
    return {
        "planId": row.plan_id,
        "repId": row.rep_id,
        "metricId": row.metric_id,
        "authorRole": row.author_role,
        "rating": row.rating,
        "tags": list(row.tags),
        "responded": bool(row.response),
        "version": row.version,
    }


# Telling people ----------------------------------------------------------------------------


async def _tell_managers(
    session: AsyncSession, *, row: TargetFeedback, plan: Plan, metric: Metric
) -> None:
    """A target a rep calls too high or unreachable: their team lead and branch manager hear."""
    users = [u for u in await _managers_covering(session, row.org_path) if u.username != row.author]
    await notify(
        session,
        users=users,
        kind="feedback_given",
        message_key=MessageKey.FEEDBACK_GIVEN,
        params={
            "rep": await _rep_name(session, row.rep_id),
            "metric": metric.name,
            "plan": plan.name,
            "rating": row.rating,
            "feedbackId": row.id or 0,
            "planId": row.plan_id,
        },
    )


async def _managers_covering(session: AsyncSession, org_path: str) -> list[User]:
    """Active team leads and branch managers who may respond and whose scope covers the path."""
    query = select(User).where(col(User.is_active).is_(True), col(User.role).in_(MANAGERS))
    found: list[User] = []
    for user in (await session.exec(query.order_by(col(User.id)))).all():
        principal = await principal_for(session, user)
        if principal.can(Action.DECIDE_ADJUSTMENTS) and principal.scope.covers_path(org_path):
            found.append(user)
    return found


async def _tell_author(session: AsyncSession, *, row: TargetFeedback, actor: str) -> None:
    author = await _user_named(session, row.author)
    plan = await session.get(Plan, row.plan_id)
    metric = await session.get(Metric, row.metric_id)
    await notify(
        session,
        users=[author] if author else [],
        kind="feedback_responded",
        message_key=MessageKey.FEEDBACK_RESPONDED,
        params={
            "actor": await _display_name(session, actor),
            "rep": await _rep_name(session, row.rep_id),
            "metric": metric.name if metric else str(row.metric_id),
            "plan": plan.name if plan else str(row.plan_id),
            "response": row.response,
            "feedbackId": row.id or 0,
            "planId": row.plan_id,
        },
    )


async def _user_named(session: AsyncSession, username: str) -> User | None:
    return (await session.exec(select(User).where(col(User.username) == username))).first()


async def _display_name(session: AsyncSession, username: str) -> str:
    user = await _user_named(session, username)
    return (user.display_name or user.username) if user else username


async def _rep_name(session: AsyncSession, rep_id: int) -> str:
    rep = await session.get(Rep, rep_id)
    return rep.name if rep else f"rep {rep_id}"


# Reading -----------------------------------------------------------------------------------


def _scoped(query: Any, scope: Scope) -> Any:
    """A rep sees the feedback on their own targets; a manager that under their subtree."""
    if scope.nothing:
        return query.where(col(TargetFeedback.id) < 0)
    if scope.rep_id is not None:
        return query.where(col(TargetFeedback.rep_id) == scope.rep_id)
    if scope.org_path is not None:
        return query.where(col(TargetFeedback.org_path).startswith(scope.org_path))
    return query


@dataclass(frozen=True)
class FeedbackFilter:
    """Which feedback of a plan to list: all the caller sees, or one rep's, one metric's."""

    plan_id: int
    rep_id: int | None = None
    metric_id: int | None = None


def _filtered(query: Any, principal: Principal, which: FeedbackFilter) -> Any:
    query = _scoped(query, principal.scope).where(col(TargetFeedback.plan_id) == which.plan_id)
    if which.rep_id is not None:
        query = query.where(col(TargetFeedback.rep_id) == which.rep_id)
    if which.metric_id is not None:
        query = query.where(col(TargetFeedback.metric_id) == which.metric_id)
    return query


async def list_feedback(
    session: AsyncSession,
    *,
    principal: Principal,
    plan_id: int,
    rep_id: int | None = None,
    metric_code: str | None = None,
    limit: int,
    offset: int,
) -> tuple[Sequence[TargetFeedback], int]:
    """A page of a plan's feedback the caller may see, newest first, and the total count."""
    await visible_plan(session, plan_id, principal)
    metric = await metric_by_code(session, metric_code, "metric") if metric_code else None
    which = FeedbackFilter(plan_id=plan_id, rep_id=rep_id, metric_id=metric.id if metric else None)
    query = _filtered(select(TargetFeedback), principal, which)
    query = query.order_by(col(TargetFeedback.created_at).desc(), col(TargetFeedback.id).desc())
    rows = (await session.exec(query.offset(offset).limit(limit))).all()
    count = _filtered(select(func.count(col(TargetFeedback.id))), principal, which)
    return rows, int((await session.exec(count)).one())


# The post-period review ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rated:
    """One feedback row as the summary counts it: its group, rating, tags, whether answered."""

    group: str
    rating: str
    tags: tuple[str, ...]
    responded: bool


@dataclass(frozen=True)
class SummaryGroup:
    """The feedback of one rank, region or team."""

    key: str
    label: str
    count: int
    ratings: dict[str, int]  # every rating of FEEDBACK_RATINGS, zero when none
    share_too_high: float  # (too high + unreachable) / count
    top_tags: list[tuple[str, int]]  # most frequent first, at most TOP_TAGS
    responded_share: float


def summarise(rows: Sequence[Rated], labels: dict[str, str]) -> list[SummaryGroup]:
    """Per group: counts by rating, the share rated too high or unreachable, the most given
    tags and the share responded to; groups ordered by label.

    >>> summarise([Rated("r:1", "fair", ("market",), True)], {"r:1": "S1"})[0].count
    1
    """
    by_group: dict[str, list[Rated]] = {}
    for row in rows:
        by_group.setdefault(row.group, []).append(row)
    groups = [_group(key, labels.get(key, key), members) for key, members in by_group.items()]
    return sorted(groups, key=lambda g: (g.label, g.key))


def _group(key: str, label: str, rows: list[Rated]) -> SummaryGroup:
    ratings = Counter(r.rating for r in rows)
    tags = Counter(t for r in rows for t in r.tags)
    count = len(rows)
    return SummaryGroup(
        key=key,
        label=label,
        count=count,
        ratings={rating: ratings.get(rating, 0) for rating in FEEDBACK_RATINGS},
        share_too_high=sum(ratings[r] for r in ALARMING) / count,
        top_tags=sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS],
        responded_share=sum(r.responded for r in rows) / count,
    )


async def summary(
    session: AsyncSession, *, principal: Principal, plan_id: int, metric_code: str, by: str
) -> list[SummaryGroup]:
    """The feedback on a plan's targets for one metric that the caller sees, per rank, region
    or ``manager``: the rep's team, the unit a team lead manages (org units name no manager;
    the label adds the team's active team leads when there are any)."""
    if by not in GROUPINGS:
        raise DomainError.single(ErrorCode.INVALID, f"group by {', '.join(GROUPINGS)}", "by")
    await visible_plan(session, plan_id, principal)
    metric = await metric_by_code(session, metric_code, "metric")
    which = FeedbackFilter(plan_id=plan_id, metric_id=metric.id)
    column = {"rank": Rep.rank_id, "region": Rep.region_id, "manager": Rep.team_id}[by]
    query = _filtered(select(TargetFeedback, col(column)), principal, which)
    found = (await session.exec(query.join(Rep, col(Rep.id) == col(TargetFeedback.rep_id)))).all()
    rows = [
        Rated(f"{by}:{group}", f.rating, tuple(f.tags), f.responded_by is not None)
        for f, group in found
    ]
    ids = {group for _, group in found if group is not None}
    return summarise(rows, await _labels(session, by, ids))


async def _labels(session: AsyncSession, by: str, ids: set[int]) -> dict[str, str]:
    """Names of the groups by key; reps with no region fall under "by:None"."""
    labels = {f"{by}:None": "(none)"}
    if by == "rank":
        ranks = (await session.exec(select(Rank).where(col(Rank.id).in_(ids)))).all()
        labels |= {f"rank:{r.id}": r.name for r in ranks}
    elif by == "region":
        regions = (await session.exec(select(Region).where(col(Region.id).in_(ids)))).all()
        labels |= {f"region:{r.id}": r.name for r in regions}
    else:
        labels |= await _team_labels(session, ids)
    return labels


async def _team_labels(session: AsyncSession, team_ids: set[int]) -> dict[str, str]:
    """A team's name and, when it has active team leads, theirs: "North Team 0 (Li Lei)"."""
    teams = (await session.exec(select(OrgUnit).where(col(OrgUnit.id).in_(team_ids)))).all()
    query = select(User).where(
        col(User.is_active).is_(True),
        col(User.role) == Role.TEAM_LEAD.value,
        col(User.scope_org_id).in_(team_ids),
    )
    leads: dict[int, list[str]] = {}
    for user in (await session.exec(query.order_by(col(User.username)))).all():
        leads.setdefault(user.scope_org_id or 0, []).append(user.display_name or user.username)
    return {
        f"manager:{t.id}": f"{t.name} ({', '.join(leads[t.id or 0])})"
        if leads.get(t.id or 0)
        else t.name
        for t in teams
    }
