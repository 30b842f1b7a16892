"""`quotient backtest --from-db`: the configured database's actuals replayed, read-only, from a
year of history of a dozen lumpy reps (the CRM case that crashed: too few months and reps)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from typer.testing import CliRunner

from backend.cli import app
from backend.db.engine import create_engine, session_factory
from backend.db.models import MonthlyActual
from backend.services.backtest_db import history_from_db
from backend.settings import get_settings
from solver.evaluate import BacktestConfig, run_backtest
from tests.factories import SmallCompany, make_small_company


async def _lumpy_year(session: AsyncSession, *, months: int = 12) -> SmallCompany:
    """12 reps: revenue with many empty months (a third to two thirds), from 2025-01."""
    company = await make_small_company(session, months=0)
    rng = np.random.default_rng(5)
    revenue = company.metrics["revenue"]
    for k, rep in enumerate(company.reps):
        zero_share = 0.1 + 0.05 * k
        level = 20_000.0 * (1 + k % 4)
        for m in range(months):
            value = 0.0 if rng.uniform() < zero_share else level * rng.lognormal(0.0, 0.5)
            month = date(2025 + m // 12, m % 12 + 1, 1)
            session.add(
                MonthlyActual(rep_id=rep.id, metric_id=revenue.id, month=month, value=value)
            )
    await session.commit()
    return company


async def test_the_history_holds_every_rep_and_the_metric_only(session: AsyncSession):
    company = await _lumpy_year(session)
    history = await history_from_db(session, "revenue")
    assert set(history.reps["rep_id"]) == {r.id for r in company.reps}
    assert set(history.monthly_actuals["metric_code"]) == {"revenue"}
    assert history.monthly_actuals["month"].nunique() == 12
    assert set(history.ranks["rank_code"]) == {"S1", "S2"}


async def test_a_year_of_a_dozen_reps_replays_without_error(session: AsyncSession):
    await _lumpy_year(session)
    history = await history_from_db(session, "revenue")
    report = run_backtest(history, BacktestConfig(horizon=3, origins=3))
    summary = report.summary
    assert summary["reps"] == 12 and len(summary["origins"]) == 2  # 12 months hold two quarters
    assert any("short or thin history" in w for w in summary["warnings"])
    assert summary["zero_targets"] == 0
    assert np.isfinite(summary["wape"]) and 0.0 <= summary["coverage_80"] <= 1.0


async def test_a_metric_without_actuals_is_refused_with_the_known_ones(session: AsyncSession):
    await _lumpy_year(session)
    with pytest.raises(ValueError, match=r"no monthly actuals of 'deals'.*revenue"):
        await history_from_db(session, "deals")


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def _seeded(url: str, months: int) -> int:
    """Seed ``url`` with the lumpy year (its own loop: the command runs its own) and count the
    actuals."""

    async def run() -> int:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                await _lumpy_year(session, months=months)
                return int((await session.exec(select(func.count(col(MonthlyActual.id))))).one())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _count(url: str) -> int:
    async def run() -> int:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                return int((await session.exec(select(func.count(col(MonthlyActual.id))))).one())
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_the_command_prints_the_json_figures_and_writes_nothing(configured: str):
    before = _seeded(configured, 15)
    args = ["backtest", "--from-db", "--metric", "revenue", "--horizon", "3", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"wape", "wape_seasonal_naive", "coverage_80", "share_at_target"} <= set(report)
    assert report["zero_targets"] == 0 and report["warnings"]
    assert report["share_at_target_low"] <= report["share_at_target"]
    assert report["share_at_target"] <= report["share_at_target_high"]
    assert _count(configured) == before
    rolling = CliRunner().invoke(app, [*args, "--origins", "4", "--step", "1"])
    assert rolling.exit_code == 0, rolling.output
    assert len(json.loads(rolling.stdout)["origins"]) == 4


def test_the_command_says_why_when_nothing_is_imported(configured: str):
    result = CliRunner().invoke(app, ["backtest", "--from-db", "--json"])
    assert result.exit_code == 2
    assert "no monthly actuals of 'revenue'" in result.output
