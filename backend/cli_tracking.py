"""`quotient bench tracking --json`: tracking's figures, one JSON object per line.

- ``rules_100k`` and ``conditional_p_1k``: the pure library's cases (``solver.tracking.bench``).
- ``dashboard_10k``: the dashboard GraphQL query for a 10,000-rep company (goal 300 ms of
  server time). It is measured by the backend's own case, ``dashboard_case`` in
  ``backend.services.tracking.bench``, once that module exists; until then a line says it was
  skipped and why.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated, Any

import typer

from backend.cli_planning import bench_app, emit

# The dashboard case's hook: ``dashboard_case(*, reps: int, runs: int)``, plain or async,
# returns a result dict (or several) with ``case``, ``seconds``, ``n_reps`` and a
# ``reference``, like the solver's cases.
DASHBOARD_MODULE = "backend.services.tracking.bench"
DASHBOARD_FUNCTION = "dashboard_case"
Results = dict[str, Any] | Iterable[dict[str, Any]]
DashboardCase = Callable[..., Results | Awaitable[Results]]


def register(app: typer.Typer) -> None:
    """Add `tracking` to the `bench` group (which backend/cli_planning.py adds to the app)."""
    del app
    bench_app.command("tracking")(tracking)


def dashboard_hook() -> DashboardCase | None:
    """The backend's dashboard case, or None while ``backend.services.tracking.bench`` (or its
    ``dashboard_case``) does not exist. Imported lazily: the solver's cases need no backend."""
    try:
        module = importlib.import_module(DASHBOARD_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name is not None and DASHBOARD_MODULE.startswith(missing.name):
            return None
        raise  # the module exists but something it imports does not: that is a bug
    case: DashboardCase | None = getattr(module, DASHBOARD_FUNCTION, None)
    return case


def _emit(result: dict[str, Any]) -> None:
    fields = dict(result)
    emit(str(fields.pop("case")), **fields)


def tracking(
    json_lines: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = True,
    reps: Annotated[int, typer.Option(help="Reps of the rules case.")] = 100_000,
    small: Annotated[int, typer.Option(help="Reps of the conditional P case.")] = 1_000,
    dashboard_reps: Annotated[int, typer.Option(help="Reps of the dashboard case.")] = 10_000,
    runs: Annotated[int, typer.Option(help="Repetitions per case (median reported).")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic reps.")] = 7,
) -> None:
    """Alert rules over 100,000 reps, P(achieve | actuals) of 1,000, the dashboard query of a
    10,000-rep company; prints JSON lines."""
    from solver.tracking.bench import run

    del json_lines  # the output is always JSON lines; the flag documents it
    for result in run(reps=reps, small=small, runs=runs, seed=seed):
        _emit(result)
    case = dashboard_hook()
    if case is None:
        emit(
            "dashboard_10k",
            skipped=True,
            reason=f"{DASHBOARD_MODULE}.{DASHBOARD_FUNCTION} does not exist yet",
            n_reps=dashboard_reps,
            goal_s=0.3,
        )
        return
    results = case(reps=dashboard_reps, runs=runs)
    if inspect.isawaitable(results):
        results = asyncio.run(_awaited(results))
    for result in [results] if isinstance(results, dict) else results:
        _emit(result)


async def _awaited(results: Awaitable[Results]) -> Results:
    return await results
