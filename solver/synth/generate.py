"""Public entry points: generate a company in memory, or write it chunk by chunk to Parquet."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from solver.synth.block import IdOffsets, Tables, generate_block
from solver.synth.model import (
    Calendar,
    CompanyConfig,
    GenerationStats,
    SyntheticCompany,
    build_calendar,
)
from solver.synth.org import OrgPlan, build_org
from solver.synth.reference import (
    metrics_table,
    product_lines_table,
    products_table,
    ranks_table,
)

REP_TABLES = (
    "reps",
    "rank_history",
    "customers",
    "deals",
    "invoices",
    "payments",
    "satisfaction",
    "monthly_actuals",
    "truth",
)
GLOBAL_TABLES = (
    "metrics",
    "regions",
    "org_units",
    "ranks",
    "product_lines",
    "products",
    "territories",
    "shocks",
)


def _validate(config: CompanyConfig) -> None:
    if config.n_reps < 10:
        raise ValueError(f"n_reps must be at least 10, got {config.n_reps}")
    if config.months < 3:
        raise ValueError(f"months must be at least 3, got {config.months}")


def _plan(config: CompanyConfig) -> tuple[Calendar, OrgPlan, list[np.random.SeedSequence]]:
    """Company-wide structure first, then one independent seed per block."""
    _validate(config)
    root = np.random.SeedSequence(config.seed)
    (org_seed,) = root.spawn(1)
    calendar = build_calendar(config)
    org = build_org(config, calendar, np.random.default_rng(org_seed))
    return calendar, org, root.spawn(len(org.block_seats))


def _global_frames(config: CompanyConfig, org: OrgPlan) -> dict[str, pd.DataFrame]:
    return {
        "metrics": metrics_table(config.currency),
        "regions": org.regions,
        "org_units": org.org_units,
        "ranks": ranks_table(),
        "product_lines": product_lines_table(),
        "products": products_table(),
        "territories": org.territories,
        "shocks": org.shocks,
    }


def _chunks(
    config: CompanyConfig,
    plan: tuple[Calendar, OrgPlan, list[np.random.SeedSequence]],
    chunk_reps: int,
) -> Iterator[Tables]:
    """Consecutive blocks grouped until a chunk holds about ``chunk_reps`` rep records."""
    calendar, org, seeds = plan
    width = rep_id_width(config)
    ids, pending, size = IdOffsets(), list[Tables](), 0
    for block, seed in enumerate(seeds):
        tables, ids = generate_block(seed, org, block, calendar, ids, width)
        pending.append(tables)
        size += tables["reps"].num_rows
        if size >= chunk_reps or block == len(seeds) - 1:
            yield {name: pa.concat_tables([t[name] for t in pending]) for name in REP_TABLES}
            pending, size = [], 0


def rep_id_width(config: CompanyConfig) -> int:
    """Digits of the reps' external ids: room for the leavers on top of ``n_reps``.

    Fixed from the config alone (not from the rows) so that chunking cannot change it; the
    bound of ``2 + months / 12`` records per seat is far above the ~1.5 of a 36-month history.
    """
    return max(6, len(str(config.n_reps * (2 + config.months // 12))))


def _frame(table: pa.Table) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas()
    return frame


def generate_company(config: CompanyConfig) -> SyntheticCompany:
    """The whole company in memory; fine up to some tens of thousands of reps.

    ``n_reps`` reps are employed at ``as_of``; the leavers of the history are extra records.

    >>> company = generate_company(CompanyConfig(n_reps=60, months=12, seed=1))
    >>> int(company.reps["leave_date"].isna().sum())
    60
    >>> len(company.reps) > 60
    True
    """
    plan = _plan(config)
    (tables,) = list(_chunks(config, plan, chunk_reps=sys.maxsize))
    org = plan[1]
    frames = {name: _frame(t) for name, t in tables.items()}
    return SyntheticCompany(**_global_frames(config, org), **frames)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def write_company(
    config: CompanyConfig, out_dir: Path, *, chunk_reps: int = 20_000
) -> GenerationStats:
    """One Parquet dataset per table (``out_dir/deals/part-0000.parquet`` ...), chunk by chunk.

    Peak memory is bounded by ``chunk_reps`` (rep records, leavers included) whatever
    ``config.n_reps`` is, and the rows do not depend on ``chunk_reps``: randomness is per fixed
    block of teams.
    """
    start = time.perf_counter()
    plan = _plan(config)
    org = plan[1]
    rows: dict[str, int] = {}
    for name, df in _global_frames(config, org).items():
        _write(pa.Table.from_pandas(df, preserve_index=False), out_dir / name / "part-0000.parquet")
        rows[name] = len(df)
    n_chunks = 0
    for n_chunks, tables in enumerate(_chunks(config, plan, chunk_reps), start=1):
        for name, table in tables.items():
            _write(table, out_dir / name / f"part-{n_chunks - 1:04d}.parquet")
            rows[name] = rows.get(name, 0) + table.num_rows
    return GenerationStats(
        n_reps=config.n_reps,
        rows=rows,
        seconds=time.perf_counter() - start,
        peak_memory_mb=peak_memory_mb(),
        chunks=n_chunks,
    )


def read_company(out_dir: Path) -> SyntheticCompany:
    """Load a company written by :func:`write_company` (parts in order)."""
    frames: dict[str, pd.DataFrame] = {}
    for name in GLOBAL_TABLES:
        frames[name] = pd.read_parquet(out_dir / name)
    for name in REP_TABLES:
        parts = sorted((out_dir / name).glob("part-*.parquet"))
        frames[name] = _frame(pa.concat_tables([pq.read_table(p) for p in parts]))
    return SyntheticCompany(**frames)


def peak_memory_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
