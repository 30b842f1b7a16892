"""`quotient bench planning --json`: the planning workflow's speed figures, one JSON per line.

Builds a synthetic company (solver.synth) in a temporary SQLite database, re-parents every team
under one branch (so the branch has all the reps) and moves reps into one team of 50, generates
the year's plan, then measures over HTTP through the ASGI app: the targets grid (compact
columnar field against nested objects), the live P(achieve) query, and override + rebalance.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from backend.cli_people import bench_people

bench_app = typer.Typer(help="Benchmarks.", no_args_is_help=True)
PASSWORD = "bench-password-long-enough"
GRID = """query($p: ID!, $o: ID) { targetsGrid(planId: $p, metricCode: "revenue", orgUnitId: $o) {
  months repIds repNames rankCodes teamIds values suggested probabilities locked versions } }"""
NESTED = """query($p: ID!, $o: ID, $offset: Int!) { planTargets(planId: $p, metricCode: "revenue",
  orgUnitId: $o, offset: $offset, limit: 500) { totalCount items { repId repName rankCode teamId
  targets { month value suggested probability locked version } } } }"""
PAGE = 500  # the API's largest page
PROBABILITY = """query($p: ID!, $r: ID!, $v: Float!, $m: Date) { achievementProbability(
  planId: $p, repId: $r, metricCode: "revenue", value: $v, month: $m) }"""
SIGN_IN = """mutation($u: String!, $p: String!) {
  signIn(username: $u, password: $p) { csrfToken } }"""
OVERRIDE = """mutation($i: OverrideTargetInput!) { overrideTarget(input: $i) {
  result { version nodeTotal nodeGoal rebalanced { repId total } } errors { code message } } }"""


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")


_out: list[Any] = []


def emit(case: str, **fields: Any) -> None:
    """One JSON line on the real stdout (native solvers' banners are sent to /dev/null)."""
    line = json.dumps({"case": case, **fields}) + "\n"
    if _out:
        _out[0].write(line)
        _out[0].flush()
    else:
        typer.echo(line, nl=False)


@contextmanager
def _quiet_native_stdout() -> Iterator[None]:
    """HiGHS prints a banner on file descriptor 1: keep it out of the JSON lines."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    _out.append(os.fdopen(os.dup(saved), "w"))
    try:
        yield
    finally:
        _out.pop().close()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _company(reps: int, team_size: int, seed: int) -> tuple[Any, int, int]:
    """A synthetic company with one branch holding every team, and one team of ``team_size``."""
    from solver.synth import CompanyConfig, generate_company

    company = generate_company(CompanyConfig(n_reps=reps, seed=seed, as_of=date(2026, 11, 1)))
    org = company.org_units
    branch = int(org.loc[org["kind"] == "branch", "org_id"].iloc[0])
    org.loc[org["kind"] == "team", "parent_id"] = branch
    big_team = int(org.loc[org["kind"] == "team", "org_id"].iloc[0])
    active = company.reps.index[company.reps["leave_date"].isna()]
    company.reps.loc[active[:team_size], "team_id"] = big_team
    return company, branch, big_team


async def _build(url: str, reps: int, team_size: int, seed: int) -> tuple[int, int, int]:
    from backend.db.engine import create_engine, session_factory
    from backend.db.migrate import upgrade_to_head
    from backend.services import auth, demo
    from backend.services.access import SYSTEM
    from backend.services.planning.generation import generate_plan
    from backend.services.planning.plans import NewPlan, create_plan

    company, branch, team = _company(reps, team_size, seed)
    engine = create_engine(url)
    await upgrade_to_head(engine)
    async with session_factory(engine)() as session:
        await demo.load_company(session, company, as_of=date(2026, 11, 26))
        await auth.bootstrap_admin(session, username="bench", password=PASSWORD)
        await session.commit()
        plan = await create_plan(
            session,
            principal=SYSTEM,
            new=NewPlan(name="Bench", scope_org_id=branch, period_kind="year", year=2026),
        )
        await session.commit()
        start = time.perf_counter()
        outcome = await generate_plan(session, principal=SYSTEM, plan_id=plan.id or 0)
        await session.commit()
        emit(
            "generate",
            seconds=round(time.perf_counter() - start, 2),
            reps=reps,
            months=12,
            target_rows=outcome.targets,
            forecast=outcome.forecast_method,
            target_s=30,
        )
    await engine.dispose()
    return plan.id or 0, branch, team


async def _timed(client: Any, query: str, runs: int, **variables: Any) -> tuple[list[float], Any]:
    times, body = [], None
    for _ in range(runs):
        start = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        times.append((time.perf_counter() - start) * 1000)
        body = response.json()
        assert "errors" not in body, body["errors"]
    return times, body


async def _measure(url: str, plan: int, branch: int, team: int, runs: int) -> None:
    import httpx

    from backend.app import create_app
    from backend.db.engine import create_engine
    from backend.graphql.authn import CSRF_COOKIE
    from backend.settings import Settings

    engine = create_engine(url)
    app = create_app(Settings(env="test", database_url=url, secret_key="b" * 40), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        signed = await client.post(
            "/graphql", json={"query": SIGN_IN, "variables": {"u": "bench", "p": PASSWORD}}
        )
        assert signed.status_code == 200
        client.headers["x-csrf-token"] = client.cookies[CSRF_COOKIE]
        await _grids(client, plan, branch, runs)
        await _probability(client, plan, team, runs)
        await _override(client, plan, team, runs)
    await engine.dispose()


async def _grids(client: Any, plan: int, branch: int, runs: int) -> None:
    times, body = await _timed(client, GRID, runs, p=str(plan), o=str(branch))
    _emit_grid("targets_grid_compact", times, len(body["data"]["targetsGrid"]["repIds"]), body)
    times, reps, size = [], 0, 0
    for _ in range(runs):  # nested objects come in pages of 500: a run reads them all
        elapsed, reps, size, offset, total = 0.0, 0, 0, 0, 1
        while offset < total:  # pages of reps; a rep without targets is not an item
            page_times, page = await _timed(
                client, NESTED, 1, p=str(plan), o=str(branch), offset=offset
            )
            elapsed, size = elapsed + page_times[0], size + len(json.dumps(page))
            reps += len(page["data"]["planTargets"]["items"])
            total = page["data"]["planTargets"]["totalCount"]
            offset += PAGE
        times.append(elapsed)
    _emit_grid("targets_grid_nested", times, reps, None, size=size, pages=-(-offset // PAGE))


def _emit_grid(
    case: str, times: list[float], reps: int, body: Any, *, size: int = 0, pages: int = 1
) -> None:
    emit(
        case,
        ms=round(statistics.median(times), 1),
        ms_first=round(times[0], 1),
        ms_max=round(max(times), 1),
        reps=reps,
        months=12,
        bytes=len(json.dumps(body)) if body is not None else size,
        requests=pages,
        transport="HTTP POST via ASGI app",
        target_ms=1000,
    )


async def _team_rep(client: Any, plan: int, team: int) -> tuple[str, list[float], int, str]:
    _, body = await _timed(client, GRID, 1, p=str(plan), o=str(team))
    grid = body["data"]["targetsGrid"]
    return grid["repIds"][0], grid["values"][:12], grid["versions"][0], grid["months"][0]


async def _probability(client: Any, plan: int, team: int, runs: int) -> None:
    rep, months, _, month = await _team_rep(client, plan, team)
    times: list[float] = []
    for k in range(max(runs * 4, 20)):
        t, _ = await _timed(
            client, PROBABILITY, 1, p=str(plan), r=rep, v=months[0] * (0.8 + 0.02 * k), m=month
        )
        times += t
    emit(
        "achievement_probability",
        ms=round(statistics.median(times), 2),
        ms_p95=round(sorted(times)[int(0.95 * len(times))], 2),
        calls=len(times),
        transport="HTTP POST via ASGI app",
        target_ms=50,
    )


async def _override(client: Any, plan: int, team: int, runs: int) -> None:
    rep, months, version, _ = await _team_rep(client, plan, team)
    times, size = [], 0
    for k in range(runs):
        value = sum(months) * (1.02 if k % 2 == 0 else 0.99)
        t, body = await _timed(
            client,
            OVERRIDE,
            1,
            i={
                "planId": str(plan),
                "repId": rep,
                "metricCode": "revenue",
                "value": value,
                "expectedVersion": version,
            },
        )
        payload = body["data"]["overrideTarget"]
        assert payload["errors"] == [], payload["errors"]
        version = payload["result"]["version"]
        size = len(payload["result"]["rebalanced"])
        times += t
    _, body = await _timed(client, GRID, 1, p=str(plan), o=str(team))
    emit(
        "override_rebalance",
        ms=round(statistics.median(times), 1),
        ms_first=round(times[0], 1),
        team_reps=len(body["data"]["targetsGrid"]["repIds"]),
        reps_changed=size,
        runs=len(times),
        transport="HTTP POST via ASGI app",
        target_ms=200,
    )


@bench_app.command("planning")
def planning(
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = True,
    reps: Annotated[int, typer.Option(help="Reps in the branch.")] = 1000,
    team: Annotated[int, typer.Option(help="Reps in the team overridden.")] = 50,
    runs: Annotated[int, typer.Option(help="Repetitions per case (median reported).")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    cases: Annotated[int, typer.Option(help="Random companies of the robustness case.")] = 200,
) -> None:
    """Grid (compact vs nested), live P(achieve), override + rebalance, and robustness over
    random companies with default settings; prints JSON lines."""

    async def run() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            plan, branch, big_team = await _build(url, reps, team, seed)
            await _measure(url, plan, branch, big_team, runs)
            await bench_people(url, plan, big_team, runs, emit)  # backend/cli_people.py

    del json_lines  # the output is always JSON lines; the flag documents it
    with _quiet_native_stdout():
        asyncio.run(run())
        _robustness(cases, seed)


def _robustness(cases: int, seed: int) -> None:
    """Random companies (20-2,000 reps), goals 0.7-1.5x the bottom-up forecast and random
    locks, planned with the default (elastic) settings and with strict ones."""
    from solver.planning.robustness import robustness

    start = time.perf_counter()
    figures = robustness(cases, seed)
    emit("robustness", **figures, total_seconds=round(time.perf_counter() - start, 1))
