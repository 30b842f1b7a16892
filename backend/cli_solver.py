"""The solver commands of `quotient`: `backtest` and `bench solver`.

Both only call the pure library (``solver.evaluate``, ``solver.bench``) and print its figures:
a readable table by default, JSON with ``--json``.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

# What each benchmark case is compared with, and which of its fields hold the reference's
# seconds and the largest violation (``solver.bench`` names them per case).
REFERENCES: dict[str, tuple[str, str | None, str | None]] = {
    "equal_difficulty": ("goal met exactly (relative error)", None, "goal_rel_error"),
    "lp_single_level": ("analytic L1 optimum (relative gap)", "analytic_seconds", "rel_gap"),
    "lp_hierarchy_12m_2metrics": (
        "independent checker (largest relative goal gap)",
        "check_seconds",
        "max_goal_gap",
    ),
    "lp_hierarchy_12m_phasing": (
        "independent checker (largest relative goal gap)",
        "check_seconds",
        "max_goal_gap",
    ),
    "elastic_hierarchy_12m_2metrics": (
        "independent checker (largest relative goal gap)",
        "check_seconds",
        "max_goal_gap",
    ),
    "integer_metric": (
        "independent checker (largest relative goal gap)",
        "check_seconds",
        "max_goal_gap",
    ),
    "forecast_train_predict_24m": (
        "independent check that no quantiles cross",
        "check_seconds",
        "crossing_quantiles",
    ),
    "backtest_36m": ("design point (|share at target - design point|)", None, "share_gap"),
}


def register(app: typer.Typer) -> None:
    """Add `backtest` to the main command and `solver` to its `bench` group."""
    from backend.cli_planning import bench_app

    app.command("backtest")(backtest_command)
    bench_app.command("solver")(bench_solver_command)


def backtest_command(
    # 10,000 reps: with 2,000 the spread of share-at-target between ranks is ~4 points from
    # sampling alone (the report's noise floor), which hides any real bias.
    reps: Annotated[int, typer.Option(help="Reps of the synthetic company.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    months: Annotated[int, typer.Option(help="Months of history.")] = 36,
    horizon: Annotated[int, typer.Option(help="Months per simulated period.")] = 3,
    origins: Annotated[int, typer.Option(help="Periods replayed, the last ending now.")] = 3,
    step: Annotated[
        int | None,
        typer.Option(
            help="Months between the periods' starts (default: the horizon, consecutive "
            "periods; 1 replays every rolling window, less noise on a short, thin history)."
        ),
    ] = None,
    design_point: Annotated[
        float,
        typer.Option(help="The achievement probability every rep's target is set at."),
    ] = 0.65,
    uplift: Annotated[
        float | None,
        typer.Option(help="Instead of --design-point: the goal as this x the median forecasts."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="Replay this history (parquet dirs as `quotient generate` writes)."),
    ] = None,
    from_db: Annotated[
        bool,
        typer.Option(
            "--from-db",
            help="Replay the actuals imported into the configured database (DATABASE_URL), "
            "read-only.",
        ),
    ] = False,
    metric: Annotated[
        str, typer.Option(help="With --from-db: the metric replayed (an additive one).")
    ] = "revenue",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Rolling-origin backtest on a synthetic company (or --data, or --from-db): forecasts,
    calibration, simulated target periods. Short histories (from 9 months) replay the periods
    that fit, with simple methods and a warning."""
    from solver.evaluate import BacktestConfig, History, read_history, run_backtest
    from solver.synth import CompanyConfig, generate_company

    if from_db and data is not None:
        raise typer.BadParameter("give --data or --from-db, not both")
    if from_db:
        history = _history_from_db(metric)
    elif data is None:
        company = generate_company(CompanyConfig(n_reps=reps, months=months, seed=seed))
        history = History.from_company(company)
    else:
        history = read_history(data)
    config = BacktestConfig(
        horizon=horizon,
        origins=origins,
        step=step,
        uplift=1.05 if uplift is None else uplift,
        design_point=design_point if uplift is None else None,
    )
    try:
        report = run_backtest(history, config)
    except ValueError as exc:  # too short a history: say so, no traceback
        typer.echo(f"backtest: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report.to_dict(), default=str))
        return
    _print_backtest(report.to_dict())


def _history_from_db(metric: str) -> Any:
    """The configured database's history of ``metric`` (read-only: no migration, no commit)."""
    import asyncio

    from backend.db.engine import create_engine, session_factory
    from backend.services.backtest_db import history_from_db
    from backend.settings import get_settings

    async def run() -> Any:
        engine = create_engine(get_settings().database_url)
        try:
            async with session_factory(engine)() as session:
                return await history_from_db(session, metric)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except ValueError as exc:
        typer.echo(f"backtest: {exc}", err=True)
        raise typer.Exit(2) from exc


def _table(title: str, rows: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for column in rows[0] if rows else ():
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    return table


def _cell_list(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _print_backtest(report: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console()
    tables = {name: report.pop(name) for name in ("accuracy", "reliability", "periods", "groups")}
    headline = [{"figure": k, "value": _cell_list(v)} for k, v in report.items()]
    console.print(_table("Backtest", headline))
    console.print(_table("Forecast accuracy (all origins, reps x months)", tables["accuracy"]))
    console.print(
        _table("Reliability: share of actuals at or below each quantile", tables["reliability"])
    )
    console.print(_table("Simulated periods", tables["periods"]))
    console.print(_table("Share at target by group", tables["groups"]))


class _JsonLines:
    """A stdout stand-in that hands every complete line printed to it to ``on_line``."""

    def __init__(self, on_line: Any) -> None:
        self._buffer = ""
        self._on_line = on_line

    def write(self, text: str) -> int:
        self._buffer += text
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            if line.strip():
                self._on_line(json.loads(line))
        return len(text)

    def flush(self) -> None:
        pass


def normalise(result: dict[str, Any]) -> dict[str, Any]:
    """A benchmark line with the common fields: n_reps, reference, reference_seconds,
    max_violation (None where the case has none)."""
    reference, seconds_key, violation_key = REFERENCES.get(result["case"], ("", None, None))
    out = {"case": result["case"], "n_reps": result.get("n"), "seconds": result["seconds"]}
    out["reference"] = reference
    out["reference_seconds"] = result.get(seconds_key) if seconds_key else None
    out["peak_mb"] = result.get("peak_mb")
    violation = result.get(violation_key) if violation_key else None
    out["max_violation"] = None if violation is None or math.isnan(violation) else violation
    return {**out, **{k: v for k, v in result.items() if k not in out and k != "n"}}


def bench_solver_command(
    quick: Annotated[bool, typer.Option(help="Small sizes, for a smoke run.")] = False,
    case: Annotated[list[str] | None, typer.Option(help="Run only this case (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The solver's benchmark (`python -m solver.bench`): one line or row per case and size."""
    from solver.bench import main

    rows: list[dict[str, Any]] = []
    stdout = sys.stdout  # the benchmark's own prints are parsed, ours go here

    def on_line(result: dict[str, Any]) -> None:
        line = normalise(result)
        rows.append(line)
        if as_json:
            typer.echo(json.dumps(line), file=stdout)
        else:
            typer.echo(f"{line['case']} n={line['n_reps']}: {line['seconds']} s", err=True)

    argv = (["--quick"] if quick else []) + [a for name in case or [] for a in ("--case", name)]
    with contextlib.redirect_stdout(_JsonLines(on_line)):
        main(argv)
    if not as_json:
        from rich.console import Console

        keys = ("case", "n_reps", "seconds", "peak_mb", "reference", "reference_seconds")
        compact = [{k: r[k] for k in (*keys, "max_violation")} for r in rows]
        Console().print(_table("Solver benchmark", compact))
