"""Keyword-only factories for test data, each adding rows to a session and flushing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import (
    Metric,
    MonthlyActual,
    OrgUnit,
    Rank,
    RankMetricSetting,
    RankSettingsVersion,
    Region,
    Rep,
    RepRankHistory,
    User,
)
from backend.graphql.authn import SESSION_COOKIE
from backend.services.auth import csrf_for, now_utc, sign_in
from backend.services.passwords import hash_password

METRICS = (
    ("revenue", "Revenue", "additive", False, "CNY", 0.6, 100_000.0),
    ("new_customers", "New customers", "additive", True, "customers", 0.2, 3.0),
    ("collection_rate", "Collection rate", "ratio", False, "%", 0.1, 0.9),
    ("satisfaction", "Satisfaction", "ratio", False, "score", 0.1, 4.2),
)


async def make_unit(
    session: AsyncSession,
    *,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    region_code: str | None = None,
) -> OrgUnit:
    unit = OrgUnit(
        name=name,
        code=name.upper().replace(" ", "-"),
        kind=kind,
        parent_id=parent.id if parent else None,
        region_code=region_code,
        depth=parent.depth + 1 if parent else 0,
    )
    session.add(unit)
    await session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    await session.flush()
    return unit


async def make_metrics(session: AsyncSession) -> dict[str, Metric]:
    metrics = {}
    for code, name, kind, is_int, unit, _, _ in METRICS:
        metrics[code] = Metric(code=code, name=name, kind=kind, is_integer=is_int, unit=unit)
        session.add(metrics[code])
    await session.flush()
    return metrics


async def make_rank(
    session: AsyncSession,
    *,
    code: str,
    level: int,
    metrics: dict[str, Metric],
    effective_from: date = date(2024, 1, 1),
    scale: float = 1.0,
) -> Rank:
    rank = Rank(code=code, name=f"Rank {code}", level=level)
    session.add(rank)
    await session.flush()
    version = RankSettingsVersion(rank_id=rank.id, version=1, effective_from=effective_from)
    session.add(version)
    await session.flush()
    for metric_code, *_, weight, baseline in METRICS:
        session.add(
            RankMetricSetting(
                settings_id=version.id,
                metric_id=metrics[metric_code].id,
                weight=weight,
                baseline=baseline * scale,
                floor_multiplier=0.5,
                ceiling_multiplier=2.0,
            )
        )
    await session.flush()
    return rank


async def make_rep(
    session: AsyncSession,
    *,
    name: str,
    team: OrgUnit,
    rank: Rank,
    region: Region | None = None,
    hire_date: date = date(2023, 1, 1),
    leave_date: date | None = None,
) -> Rep:
    rep = Rep(
        external_id=f"E-{name}",
        name=name,
        team_id=team.id,
        rank_id=rank.id,
        region_id=region.id if region else None,
        hire_date=hire_date,
        leave_date=leave_date,
    )
    session.add(rep)
    await session.flush()
    session.add(
        RepRankHistory(rep_id=rep.id, rank_id=rank.id, effective_from=hire_date, reason="hired")
    )
    await session.flush()
    return rep


@dataclass
class SmallCompany:
    """Company > 2 regions > 1 branch each > 2 teams each, 3 reps per team, 2 ranks."""

    root: OrgUnit
    regions: list[OrgUnit] = field(default_factory=list)
    branches: list[OrgUnit] = field(default_factory=list)
    teams: list[OrgUnit] = field(default_factory=list)
    ranks: list[Rank] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    metrics: dict[str, Metric] = field(default_factory=dict)
    sales_regions: list[Region] = field(default_factory=list)


async def make_small_company(session: AsyncSession, *, months: int = 3) -> SmallCompany:
    company = SmallCompany(root=await make_unit(session, name="Acme", kind="company"))
    company.metrics = await make_metrics(session)
    company.ranks = [
        await make_rank(session, code="S1", level=1, metrics=company.metrics),
        await make_rank(session, code="S2", level=2, metrics=company.metrics, scale=1.5),
    ]
    for r, region_name in enumerate(("North", "South")):
        region = Region(code=region_name[:1], name=region_name, market_potential=1 + r / 10)
        session.add(region)
        company.sales_regions.append(region)
        unit = await make_unit(
            session, name=region_name, kind="region", parent=company.root, region_code=region.code
        )
        company.regions.append(unit)
        branch = await make_unit(session, name=f"{region_name} Branch", kind="branch", parent=unit)
        company.branches.append(branch)
        for t in range(2):
            team = await make_unit(
                session, name=f"{region_name} Team {t}", kind="team", parent=branch
            )
            company.teams.append(team)
            for i in range(3):
                rep = await make_rep(
                    session,
                    name=f"{region_name}-{t}-{i}",
                    team=team,
                    rank=company.ranks[i % 2],
                    region=region,
                )
                company.reps.append(rep)
    for rep in company.reps:
        for m in range(months):
            for metric in company.metrics.values():
                session.add(
                    MonthlyActual(
                        rep_id=rep.id,
                        metric_id=metric.id,
                        month=date(2025, m + 1, 1),
                        value=float(rep.id * 10 + m),
                    )
                )
    await session.flush()
    return company


TEST_PASSWORD = "correct-horse-battery"
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)  # argon2 is slow by design: hash once


async def make_user(
    session: AsyncSession,
    *,
    username: str,
    role: str,
    scope: OrgUnit | None = None,
    rep: Rep | None = None,
) -> User:
    user = User(
        username=username,
        display_name=username,
        password_hash=_TEST_PASSWORD_HASH,
        role=role,
        scope_org_id=scope.id if scope else None,
        rep_id=rep.id if rep else None,
    )
    session.add(user)
    await session.flush()
    return user


async def signed_in_headers(
    session: AsyncSession, *, user: User, secret_key: str
) -> dict[str, str]:
    """Headers of a browser session for ``user``: the session cookie and its CSRF token."""
    outcome = await sign_in(session, username=user.username, password=TEST_PASSWORD, now=now_utc())
    assert outcome.session_token, outcome.problem
    await session.commit()
    raw = outcome.session_token
    return {"cookie": f"{SESSION_COOKIE}={raw}", "x-csrf-token": csrf_for(raw, secret_key)}
