"""The demo: a generated company loads into the database and the API serves it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from backend.db.engine import create_engine
from backend.services import demo
from backend.services.company import ensure_demo_company
from backend.services.demo_users import DEMO_ROLES
from solver.synth import CompanyConfig, generate_company
from tests.factories import make_user

QUERY = """
{ reps(first: 500) { totalCount edges { node { rank { code currentSettings { version } }
    team { kind } actuals(metricCodes: ["revenue"]) { value } } } }
  ranks { code repCount currentSettings { metrics { metric { code } baseline } } }
  orgUnits { kind repCount } }
"""


async def test_a_generated_company_is_served_with_ranks_teams_and_actuals(session, sign_in_as):
    company = generate_company(CompanyConfig(n_reps=50, seed=3, as_of=date(2026, 11, 1)))
    await demo.load_company(session, company, as_of=date(2026, 11, 26))
    await session.commit()
    admin = await make_user(session, username="qa-admin", role="admin")
    await session.commit()
    data = await (await sign_in_as(admin)).data(QUERY)
    active = company.reps[company.reps.leave_date.isna()]
    assert data["reps"]["totalCount"] == len(active)
    nodes = [e["node"] for e in data["reps"]["edges"]]
    assert all(n["team"]["kind"] == "TEAM" and n["rank"]["currentSettings"] for n in nodes)
    assert sum(len(n["actuals"]) for n in nodes) > 0
    root = next(u for u in data["orgUnits"] if u["kind"] == "COMPANY")
    assert root["repCount"] == len(active)
    assert sum(r["repCount"] for r in data["ranks"]) == len(active)


async def test_the_demo_is_reused_unless_regenerated_and_never_left_half_built(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    first = await ensure_demo_company(url, reps=50, seed=1, regenerate=False)
    again = await ensure_demo_company(url, reps=50, seed=1, regenerate=False)
    fresh = await ensure_demo_company(url, reps=60, seed=2, regenerate=True)
    assert (first.generated, again.generated, fresh.generated) == (True, False, True)
    assert not list(tmp_path.glob("*.building*"))
    engine = create_engine(url)
    async with engine.connect() as conn:
        sql = "SELECT count(*) FROM rep WHERE leave_date IS NULL"
        reps = (await conn.exec_driver_sql(sql)).scalar_one()
        users = (await conn.exec_driver_sql("SELECT username, email FROM app_user")).all()
    await engine.dispose()
    assert reps == 60
    assert len(users) == len(DEMO_ROLES)
    # Each demo account has an address (alert e-mails reach a configured SMTP server).
    assert {email for _, email in users} == {f"{u}@demo.quotient.test" for u, _ in users}
