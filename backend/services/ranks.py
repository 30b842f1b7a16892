"""Use cases on the rank ladder: ranks and their effective-dated settings versions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, Rank, RankMetricSetting, RankSettingsVersion
from backend.db.repositories import ranks as rank_repo
from backend.services import audit, text
from backend.services.errors import Problems, not_found, stale

MAX_CODE_LENGTH = 32  # the columns' widths
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class MetricSettingInput:
    metric_code: str
    weight: float
    baseline: float
    floor_multiplier: float
    ceiling_multiplier: float


@dataclass(frozen=True)
class RankRules:
    promotion_threshold: float
    promotion_quarters: int
    min_tenure_months: int
    demotion_threshold: float
    demotion_quarters: int


async def list_ranks(session: AsyncSession) -> Sequence[Rank]:
    return await rank_repo.all_ranks(session)


async def list_metrics(session: AsyncSession) -> Sequence[Metric]:
    return await rank_repo.all_metrics(session)


async def get_rank(session: AsyncSession, rank_id: int) -> Rank:
    rank = await session.get(Rank, rank_id)
    if rank is None:
        raise not_found("Rank", rank_id)
    return rank


async def create_rank(
    session: AsyncSession, *, actor: str, code: str, name: str, level: int, description: str
) -> Rank:
    problems = Problems()
    code = text.clean_identifier(
        code, field="code", problems=problems, max_length=MAX_CODE_LENGTH, label="code"
    )
    if not problems.items and await rank_repo.rank_by_code(session, code):
        problems.invalid("code", f"rank code {code!r} already exists")
    name = text.clean_name(name, field="name", problems=problems, max_length=MAX_NAME_LENGTH)
    if level < 1:
        problems.invalid("level", "level must be 1 or more")
    elif any(r.level == level for r in await rank_repo.all_ranks(session)):
        problems.invalid("level", f"another rank already has level {level}")
    problems.raise_if_any()
    rank = Rank(code=code, name=name, level=level, description=description)
    session.add(rank)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="create",
        entity="rank",
        entity_id=rank.id,
        before=None,
        after={"code": rank.code, "name": rank.name, "level": level},
    )
    return rank


async def update_rank(
    session: AsyncSession,
    *,
    actor: str,
    rank_id: int,
    name: str | None,
    description: str | None,
) -> Rank:
    rank = await get_rank(session, rank_id)
    if name is not None:
        problems = Problems()
        name = text.clean_name(name, field="name", problems=problems, max_length=MAX_NAME_LENGTH)
        problems.raise_if_any()
    before = {"name": rank.name, "description": rank.description}
    rank.name = name if name is not None else rank.name
    rank.description = description if description is not None else rank.description
    await audit.record(
        session,
        actor=actor,
        action="update",
        entity="rank",
        entity_id=rank.id,
        before=before,
        after={"name": rank.name, "description": rank.description},
    )
    return rank


def _check_rules(rules: RankRules, problems: Problems) -> None:
    if rules.promotion_threshold <= rules.demotion_threshold:
        problems.invalid(
            "promotionThreshold", "promotion threshold must be above the demotion threshold"
        )
    if rules.demotion_threshold < 0:
        problems.invalid("demotionThreshold", "demotion threshold must not be negative")
    if rules.promotion_quarters < 1:
        problems.invalid("promotionQuarters", "promotion needs at least 1 quarter")
    if rules.demotion_quarters < 1:
        problems.invalid("demotionQuarters", "demotion needs at least 1 quarter")
    if rules.min_tenure_months < 0:
        problems.invalid("minTenureMonths", "minimum tenure must not be negative")


def _check_metric_settings(
    settings: Sequence[MetricSettingInput], known: set[str], problems: Problems
) -> None:
    seen: set[str] = set()
    for i, s in enumerate(settings):
        at = f"metrics[{i}]"
        if s.metric_code not in known:
            problems.invalid(f"{at}.metricCode", f"unknown metric {s.metric_code!r}")
        if s.metric_code in seen:
            problems.invalid(f"{at}.metricCode", f"metric {s.metric_code!r} is listed twice")
        seen.add(s.metric_code)
        values = (s.weight, s.baseline, s.floor_multiplier, s.ceiling_multiplier)
        if not all(math.isfinite(v) for v in values):
            problems.invalid(at, "values must be finite numbers")
            continue
        if not 0 <= s.weight <= 1:
            problems.invalid(f"{at}.weight", "weight must be between 0 and 1")
        if s.baseline < 0:
            problems.invalid(f"{at}.baseline", "baseline must not be negative")
        if s.floor_multiplier < 0:
            problems.invalid(f"{at}.floorMultiplier", "floor multiplier must not be negative")
        if s.floor_multiplier > s.ceiling_multiplier:
            problems.invalid(
                f"{at}.ceilingMultiplier", "ceiling multiplier must be at least the floor"
            )
    if settings and abs(sum(s.weight for s in settings) - 1.0) > 1e-6:
        problems.invalid("metrics", "metric weights must sum to 1")
    if not settings:
        problems.invalid("metrics", "at least one metric setting is required")


async def update_settings(
    session: AsyncSession,
    *,
    actor: str,
    rank_id: int,
    expected_version: int,
    effective_from: date,
    note: str,
    rules: RankRules,
    metrics: Sequence[MetricSettingInput],
) -> RankSettingsVersion:
    """Add a new settings version; earlier versions stay as they were (history is kept)."""
    rank = await get_rank(session, rank_id)
    versions = (await rank_repo.versions_for_ranks(session, [rank_id])).get(rank_id, [])
    latest = versions[0] if versions else None
    if (latest.version if latest else 0) != expected_version:
        raise stale("Rank settings", latest.version if latest else 0)
    metric_ids = {m.code: m.id for m in await rank_repo.all_metrics(session)}
    problems = Problems()
    if latest and effective_from < latest.effective_from:
        problems.invalid(
            "effectiveFrom",
            f"a new version cannot take effect before the current one ({latest.effective_from})",
        )
    _check_rules(rules, problems)
    _check_metric_settings(metrics, set(metric_ids), problems)
    problems.raise_if_any()
    version = RankSettingsVersion(
        rank_id=rank_id,
        version=expected_version + 1,
        effective_from=effective_from,
        created_by=actor,
        note=note,
        promotion_threshold=rules.promotion_threshold,
        promotion_quarters=rules.promotion_quarters,
        min_tenure_months=rules.min_tenure_months,
        demotion_threshold=rules.demotion_threshold,
        demotion_quarters=rules.demotion_quarters,
        ramp_profile=list(latest.ramp_profile) if latest else [],
    )
    session.add(version)
    await session.flush()
    assert version.id is not None
    for s in metrics:
        metric_id = metric_ids[s.metric_code]
        assert metric_id is not None
        session.add(
            RankMetricSetting(
                settings_id=version.id,
                metric_id=metric_id,
                weight=s.weight,
                baseline=s.baseline,
                floor_multiplier=s.floor_multiplier,
                ceiling_multiplier=s.ceiling_multiplier,
            )
        )
    await audit.record(
        session,
        actor=actor,
        action="new_settings_version",
        entity="rank",
        entity_id=rank.id,
        before={"version": latest.version} if latest else None,
        after={
            "version": version.version,
            "effective_from": effective_from.isoformat(),
            "metrics": [vars(m) for m in metrics],
        },
        reason=note,
    )
    await session.flush()
    return version
