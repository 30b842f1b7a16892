"""The bundled Maven CRM sample end to end: import, its faults reported, actuals, Q1 targets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select

from backend.cli_data import MAVEN_DIR, MAVEN_FILES
from backend.db.models import Metric, MonthlyActual, Rep
from backend.services import exports, imports
from backend.services.access import SYSTEM
from backend.services.imports import maven_targets

AS_OF = date(2018, 1, 2)
AGENTS_WITHOUT_DEALS = {
    "Carl Lin",
    "Carol Thompson",
    "Elizabeth Anderson",
    "Mei-Mei Johns",
    "Natalya Ivanova",
}


@pytest.fixture
async def maven_run(session):
    files = [imports.UploadedFile(n, (MAVEN_DIR / n).read_bytes()) for n in MAVEN_FILES]
    run = await imports.import_files(
        session,
        actor="tester",
        source="maven-crm",
        files=files,
        dry_run=False,
        accept_all=True,
        as_of=AS_OF,
    )
    await session.commit()
    return run


def test_the_sample_is_bundled_in_the_repository():
    assert MAVEN_DIR.is_relative_to(MAVEN_DIR.parents[1])
    assert all((MAVEN_DIR / name).is_file() for name in MAVEN_FILES)


async def test_the_report_names_the_known_faults(maven_run):
    assert maven_run.status == "committed"
    proposals = {(p["field"], p["value"], p["replacement"]) for p in maven_run.report["proposals"]}
    assert ("crm.product", "GTXPro", "GTX Pro") in proposals
    assert ("accounts.segment", "technolgy", "technology") in proposals
    problems = [i["problem"] for i in maven_run.report["issues"]]
    assert any("2089 open deals have no close date" in p for p in problems)
    no_account = [i for i in maven_run.report["issues"] if i["field"] == "customer"]
    assert len(no_account) == 1425
    no_deals = {
        i["value"] for i in maven_run.report["issues"] if i["problem"].startswith("no deals")
    }
    assert no_deals == AGENTS_WITHOUT_DEALS
    assert maven_run.counts["rows"] == 35 + 7 + 85 + 8800
    assert maven_run.counts["rejected"] == 0  # every row imported or fixed, none dropped


async def test_agents_without_deals_are_kept_and_2017_actuals_exist(session, maven_run):
    reps = (await session.exec(select(Rep))).all()
    assert len(reps) == 35
    assert {r.name for r in reps} >= AGENTS_WITHOUT_DEALS
    revenue = (await session.exec(select(Metric).where(Metric.code == "revenue"))).one()
    total_2017 = (
        await session.exec(
            select(func.sum(MonthlyActual.value)).where(
                MonthlyActual.metric_id == revenue.id,
                col(MonthlyActual.month) >= date(2017, 1, 1),
                col(MonthlyActual.month) < date(2018, 1, 1),
            )
        )
    ).one()
    assert total_2017 == pytest.approx(10_005_534)  # sum of won close_value in the sample


async def test_2018_q1_targets_cover_every_active_agent_and_sum_to_the_goal(session, maven_run):
    targets = await maven_targets.sample_targets(session)  # the planning workflow's own plan
    assert {a.name for a in targets.agents} == {
        r.name for r in (await session.exec(select(Rep))).all() if r.leave_date is None
    }
    assert sum(a.total for a in targets.agents) == pytest.approx(targets.goal, rel=1e-9)
    assert targets.goal == pytest.approx(targets.last_quarter_actual * 1.05, abs=0.01)
    assert all(len(a.months) == 3 for a in targets.agents)
    # Agents without deals are tenured since the history start (tests/backend/imports/
    # test_hire_dates.py) with no sale in it: no target. Every other agent has one.
    selling = [a for a in targets.agents if a.name not in AGENTS_WITHOUT_DEALS]
    assert all(a.total > 0 for a in selling)
    assert all(a.total == 0 for a in targets.agents if a.name in AGENTS_WITHOUT_DEALS)
    assert all(0 < p < 1 for a in selling for p in a.probabilities)
    assert "LightGBM" in targets.forecast_method or "peer" in targets.forecast_method


async def test_actuals_export_to_csv_with_one_row_per_rep_metric_month(session, maven_run):
    file = await exports.export(session, principal=SYSTEM, what="actuals", format="csv")
    lines = file.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "rep_external_id,rep_name,team,metric,month,value"
    assert len(lines) > 300
