"""Benchmark (#11, no long locks): a 10,000-line CRM export, dry run then commit, on a fresh
SQLite file; prints one JSON line: for each step its seconds, the longest write transaction on
the app's engine (how long it held SQLite's write lock at most) and the longest stretch another
connection found the lock held (``LockWatch``: any connection's, every 10 ms). A dry run works
on a private copy of the database, so it writes nothing there but the run's outcome. Not a
test: timings are not asserted.

    python -m tests.backend.imports.bench_locking [--deals 10000]

Then a dry run of the same files again over the committed data (``dry_run_again_*``: the
private copy is of a full database).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from backend.db.engine import create_engine, session_factory
from backend.db.migrate import upgrade_to_head
from backend.services import aggregation
from backend.services.imports import loading, runs
from tests.backend.imports.generated import AS_OF, LockWatch, WriteTransactions, big_files


async def bench(deals: int) -> dict[str, object]:
    path = Path(tempfile.mkdtemp()) / "bench.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    await upgrade_to_head(engine)
    sessions = session_factory(engine)
    principal = runs.system_principal("bench")
    out: dict[str, object] = {"bench": "import_locking", "lines": deals}
    async with sessions() as session:
        # A dry run and the commit of a new run, then a dry run of the same files again over
        # the data committed (the private copy is then of a full database).
        first = await runs.create_run(session, actor="bench", source="b", files=big_files(deals))
        await session.commit()
        for step, dry_run in (("dry_run", True), ("commit", False), ("dry_run_again", True)):
            run = first
            if step == "dry_run_again":
                run = await runs.create_run(
                    session, actor="bench", source="b", files=big_files(deals)
                )
                await session.commit()
            assert run.id is not None
            with WriteTransactions(engine) as writes, LockWatch(url) as lock:
                started = time.perf_counter()
                done = await runs.execute(
                    session,
                    principal=principal,
                    run_id=run.id,
                    dry_run=dry_run,
                    accept_all=True,
                    as_of=AS_OF,
                )
                await session.commit()
                out[f"{step}_s"] = round(time.perf_counter() - started, 2)
            out[f"{step}_longest_write_s"] = round(writes.longest, 3)
            out[f"{step}_write_transactions"] = len(writes.durations)
            out[f"{step}_longest_lock_seen_s"] = round(lock.longest, 3)
            out[f"{step}_status"] = done.status
    out["total_s"] = round(float(str(out["dry_run_s"])) + float(str(out["commit_s"])), 2)
    out["batch_rows"] = loading.BATCH_ROWS
    out["pairs_per_batch"] = aggregation.PAIRS_PER_BATCH
    out["database_mb"] = round(path.stat().st_size / 1e6, 1)
    await engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=10_000)
    print(json.dumps(asyncio.run(bench(parser.parse_args().deals))))


if __name__ == "__main__":
    main()
