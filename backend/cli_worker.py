"""`quotient worker`: the job worker as a process of its own (production, docker-compose).

Run as many as wanted: claims never overlap. The server then runs with
``QUOTIENT_WORKER_IN_PROCESS=false``. The worker does not migrate the schema (the server does,
on start): until the tables exist its rounds fail and are tried again.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        once: Annotated[
            bool, typer.Option("--once", help="Run the jobs due now, then exit.")
        ] = False,
    ) -> None:
        """Run background jobs (e-mails, webhooks, digests) until stopped (Ctrl-C, SIGTERM)."""
        ran = asyncio.run(_work(once=once))
        if once:
            typer.echo(f"ran {ran} jobs")


async def _work(*, once: bool) -> int:
    from backend.db.engine import create_engine, session_factory
    from backend.services.jobs.installed import installed
    from backend.services.jobs.worker import Worker
    from backend.settings import get_settings

    settings = get_settings()
    engine = create_engine(settings.database_url)
    registry, schedules = installed()
    worker = Worker(
        session_factory(engine), settings=settings, registry=registry, schedules=schedules
    )
    try:
        if once:
            return await worker.run_once()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stopping in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stopping, stop.set)  # finish the job in hand, then exit
        typer.echo(f"worker {worker.worker_id} started")
        await worker.run_until(stop)
        return 0
    finally:
        await engine.dispose()
