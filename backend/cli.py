"""The `quotient` command: serve, demo, generate, export-schema, bench."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Annotated

import typer

from backend.cli_data import register as register_data_commands
from backend.cli_planning import register as register_planning_commands
from backend.cli_security import register as register_security_commands
from backend.cli_solver import register as register_solver_commands
from backend.cli_tracking import register as register_tracking_commands
from backend.cli_worker import register as register_worker_command

app = typer.Typer(help="Quotient: fair, achievable sales targets.", no_args_is_help=True)
register_data_commands(app)  # import, export (backend/cli_data.py)
register_planning_commands(app)  # bench planning (backend/cli_planning.py)
register_solver_commands(app)  # backtest, bench solver (backend/cli_solver.py)
register_security_commands(app)  # bench security (backend/cli_security.py)
register_tracking_commands(app)  # bench tracking (backend/cli_tracking.py)
register_worker_command(app)  # worker (backend/cli_worker.py)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the GraphQL API and the SPA (the schema is upgraded on start)."""
    import uvicorn

    from backend.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


@app.command()
def demo(
    reps: Annotated[int, typer.Option(help="Reps in the generated company.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    regenerate: Annotated[bool, typer.Option(help="Replace an existing demo company.")] = False,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the server.")
    ] = True,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_install: Annotated[
        bool, typer.Option(hidden=True, help="Accepted for the wrapper.")
    ] = False,
) -> None:
    """Generate (or reuse) a demo company in the database, then serve it."""
    from backend.services.company import ensure_demo_company
    from backend.services.demo_users import DEMO_ROLES, demo_password
    from backend.settings import get_settings

    settings = get_settings()
    outcome = asyncio.run(
        ensure_demo_company(settings.database_url, reps=reps, seed=seed, regenerate=regenerate)
    )
    what = (
        f"generated a {reps}-rep company" if outcome.generated else "reusing the existing company"
    )
    typer.echo(f"Demo database {settings.database_url}: {what} (--regenerate to replace it).")
    if not settings.frontend_dist.joinpath("index.html").exists():
        typer.echo("Note: the SPA is not built; run `./quotient demo` to build it.")
    typer.echo(f"Quotient is at http://{host}:{port}/  (GraphQL at http://{host}:{port}/graphql)")
    typer.echo("Sign in as any of these demo accounts (each sees only its own scope):")
    for username, role in DEMO_ROLES:
        typer.echo(f"  {username:<8} password {demo_password(username):<20} {role}")
    if serve_after:
        serve(host=host, port=port)


@app.command()
def generate(
    reps: Annotated[int, typer.Option(help="Number of reps (50 .. 1,000,000).")],
    out: Annotated[Path, typer.Option(help="Directory for the parquet tables.")],
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = 7,
    months: Annotated[int, typer.Option(help="Months of history.")] = 36,
) -> None:
    """Generate a synthetic company into parquet files; prints seconds and peak memory."""
    from solver.synth import CompanyConfig, write_company

    cpu_start = time.process_time()
    stats = write_company(CompanyConfig(n_reps=reps, seed=seed, months=months), out)
    cpu = time.process_time() - cpu_start  # CPU time is steadier than wall time on a busy host
    typer.echo(
        f"reps={stats.n_reps} seconds={stats.seconds:.2f} cpu_seconds={cpu:.2f} "
        f"peak_mb={stats.peak_memory_mb:.0f}"
    )
    for table, rows in stats.rows.items():
        typer.echo(f"  {table}: {rows} rows")


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="Sign-in name of the administrator.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 10 characters (prompted when omitted).",
        ),
    ],
) -> None:
    """Create an administrator account in the configured database."""
    from backend.services.company import create_admin_account
    from backend.services.errors import DomainError
    from backend.settings import get_settings

    try:
        asyncio.run(create_admin_account(get_settings().database_url, username, password))
    except DomainError as refusal:
        for problem in refusal.problems:
            typer.echo(f"{problem.field}: {problem.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Administrator {username!r} created.")


@app.command("export-schema")
def export_schema() -> None:
    """Print the GraphQL SDL (schema.graphql must equal it)."""
    from backend.graphql.schema import schema

    typer.echo(schema.as_str())


def main() -> None:  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
