"""A rep's hire date comes from a hire-date column, else the history start (the earliest sales
date of the company: this run's files and the actuals already stored), and the report warns
with the reps and the date used. Never the import date, never the rep's own first sale: a rep
whose first sale came late would otherwise be a joiner, left out of plans before it."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from backend.cli_data import MAVEN_DIR, MAVEN_FILES
from backend.db.models import Rep
from backend.services import imports
from solver.planning.activity import joins_in_period, ramp_matrix, worked_year_before
from solver.planning.inputs import RankSettings, RepInput

AS_OF = date(2024, 6, 1)

HR = b"""sales_agent,manager,regional_office
Early Bird,Cara Losch,East
Late Starter,Cara Losch,East
No Deals,Cara Losch,East
"""
HR_WITH_DATES = b"""sales_agent,manager,regional_office,hire_date
Early Bird,Cara Losch,East,2021-06-01
Late Starter,Cara Losch,East,2023-05-01
"""
DEALS = b"""opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
D1,Early Bird,,,Won,2022-01-10,2022-02-01,100
D2,Late Starter,,,Won,2023-09-20,2023-10-01,300
D3,Early Bird,,,Won,2023-11-02,2024-01-15,200
"""
LINES = b"""Order Date,Sales Rep,Sales
2022-03-04,Early Bird,100
2023-10-15,Late Starter,300
"""


async def _run(session, *files: tuple[str, bytes], as_of: date = AS_OF):
    run = await imports.import_files(
        session,
        actor="tester",
        source="test",
        files=[imports.UploadedFile(name, data) for name, data in files],
        dry_run=False,
        accept_all=True,
        as_of=as_of,
    )
    await session.commit()
    assert run.status == "committed", run.message
    return run


async def _hires(session) -> dict[str, date]:
    return {r.name: r.hire_date for r in (await session.exec(select(Rep))).all()}


def _warning(run) -> dict:
    [warning] = [
        i for i in run.report["issues"] if i["field"] == "hire_date" and i["severity"] == "warning"
    ]
    return warning


def _tenured(hire: date, months: list[date]) -> bool:
    """Planned as a tenured rep: no joiner, a full share every month (even with a ramp)."""
    rep = RepInput(1, 1, "S1", 1, hire_date=hire)
    shares = ramp_matrix([rep], {"S1": RankSettings(1, ramp=(0.5, 0.75))}, months)
    return not joins_in_period(rep, months) and bool((shares == 1.0).all())


async def test_hr_with_crm_deals_hires_at_the_history_start_not_the_first_deal(session):
    run = await _run(session, ("sales_teams.csv", HR), ("sales_pipeline.csv", DEALS))
    hires = await _hires(session)
    # Late Starter's first deal is 2023-09-20 and No Deals has none: both are hired with the
    # company's history start (the earliest engage date), like Early Bird.
    assert hires == {n: date(2022, 1, 10) for n in ("Early Bird", "Late Starter", "No Deals")}
    warning = _warning(run)
    assert "history start 2022-01-10" in warning["problem"]
    assert all(n in warning["problem"] for n in hires)
    assert not any(h == AS_OF for h in hires.values())
    # The first quarter of 2023, before Late Starter's first deal, is a tenured quarter.
    assert _tenured(hires["Late Starter"], [date(2023, m, 1) for m in (1, 2, 3)])
    assert worked_year_before(
        RepInput(1, 1, "S1", 1, hire_date=hires["Late Starter"]), [date(2024, 1, 1)]
    )


async def test_hr_with_sales_lines_hires_at_the_history_start_not_the_import_date(session):
    run = await _run(session, ("reps.csv", HR), ("orders.csv", LINES))
    assert {f["kind"] for f in run.report["files"]} == {"hr", "sales_lines"}
    hires = await _hires(session)
    assert hires == {n: date(2022, 3, 4) for n in ("Early Bird", "Late Starter", "No Deals")}
    warning = _warning(run)
    assert warning["file"] == "reps.csv" and "history start 2022-03-04" in warning["problem"]
    assert all(n in warning["problem"] for n in hires)
    assert _tenured(hires["No Deals"], [date(2024, m, 1) for m in (7, 8, 9)])


async def test_a_hire_date_column_wins_and_is_not_in_the_warning(session):
    run = await _run(session, ("dated.csv", HR_WITH_DATES), ("sales_pipeline.csv", DEALS))
    hires = await _hires(session)
    assert hires == {"Early Bird": date(2021, 6, 1), "Late Starter": date(2023, 5, 1)}
    assert not [
        i for i in run.report["issues"] if i["field"] == "hire_date" and i["severity"] != "info"
    ]


async def test_the_actuals_already_stored_date_the_history_start(session):
    """An HR file imported after the sales: the stored actuals give the history start."""
    await _run(session, ("sales_teams.csv", HR), ("sales_pipeline.csv", DEALS))
    run = await _run(session, ("new.csv", b"sales_agent,manager\nAgent Later,Cara Losch\n"))
    # The first won deal closed in February 2022: its month is the first month of actuals.
    assert (await _hires(session))["Agent Later"] == date(2022, 2, 1)
    assert "Agent Later" in _warning(run)["problem"]


async def test_the_maven_sample_gives_no_one_the_import_date(session):
    """The CLI's `quotient import maven-sample` run: 35 agents without hire dates, 5 of them
    without deals; all are hired at the first engage date of the sample."""
    as_of = date(2026, 11, 27)
    run = await _run(
        session,
        *[(n, (MAVEN_DIR / n).read_bytes()) for n in MAVEN_FILES],
        as_of=as_of,
    )
    hires = await _hires(session)
    assert len(hires) == 35
    assert set(hires.values()) == {date(2016, 10, 20)}
    warning = _warning(run)
    assert "35 new reps" in warning["problem"] and "2016-10-20" in warning["problem"]
    for agent in ("Carl Lin", "Natalya Ivanova", "Mei-Mei Johns"):
        assert agent in warning["problem"]
