"""Large generated import files (HR + CRM deals) for the locking tests and the benchmark."""

from __future__ import annotations

import random
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.url import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.services.imports import UploadedFile

AS_OF = date(2024, 6, 30)


def big_files(deals: int = 10_000, *, reps: int = 30, seed: int = 1) -> list[UploadedFile]:
    """An HR file of ``reps`` reps and a CRM export of ``deals`` won or lost deals over two
    years, shaped like the Maven sample (so the kinds and mappings are detected)."""
    rnd = random.Random(seed)
    hr = ["sales_agent,manager,regional_office"]
    hr += [f"Rep {i:03d},Boss {i % 5},Region {i % 3}" for i in range(reps)]
    crm = ["opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value"]
    start = date(2022, 1, 1)
    for i in range(deals):
        engaged = start + timedelta(days=rnd.randrange(700))
        closed = engaged + timedelta(days=rnd.randrange(60))
        stage = "Won" if rnd.random() < 0.6 else "Lost"
        value = rnd.randrange(100, 5000) if stage == "Won" else 0
        crm.append(f"D{i:06d},Rep {rnd.randrange(reps):03d},{stage},{engaged},{closed},{value}")
    return [
        UploadedFile("sales_teams.csv", ("\n".join(hr) + "\n").encode()),
        UploadedFile("sales_pipeline.csv", ("\n".join(crm) + "\n").encode()),
    ]


@dataclass
class Transaction:
    """One write transaction: how long it lasted, the tables it wrote, and the tables it read
    once it had written (on SQLite, while it held the write lock)."""

    seconds: float
    writes: set[str] = field(default_factory=set)
    reads_after_write: set[str] = field(default_factory=set)


_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_READ = re.compile(r"\bFROM\s+\"?(\w+)", re.IGNORECASE)


class WriteTransactions:
    """How long each write transaction on an engine lasts: from its first INSERT, UPDATE or
    DELETE to its commit or rollback (on SQLite, how long it holds the write lock), with the
    tables it wrote and read meanwhile (``transactions``)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.open: dict[int, tuple[float, Transaction]] = {}
        self.transactions: list[Transaction] = []

    def __enter__(self) -> WriteTransactions:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._end)
        event.listen(self.engine, "rollback", self._end)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._end)
        event.remove(self.engine, "rollback", self._end)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        written = _WRITE.match(statement)
        if written:
            _, current = self.open.setdefault(id(conn), (time.perf_counter(), Transaction(0.0)))
            current.writes.add(written.group(1).lower())
        elif id(conn) in self.open:
            self.open[id(conn)][1].reads_after_write.update(
                t.lower() for t in _READ.findall(statement)
            )

    def _end(self, conn: Any) -> None:
        started = self.open.pop(id(conn), None)
        if started is not None:
            began, transaction = started
            transaction.seconds = time.perf_counter() - began
            self.transactions.append(transaction)

    @property
    def durations(self) -> list[float]:
        return [t.seconds for t in self.transactions]

    @property
    def longest(self) -> float:
        return max(self.durations, default=0.0)


def write_lock_free(database_url: str) -> bool:
    """Whether another connection takes SQLite's write lock on the database at once (no busy
    wait): False while some transaction holds it."""
    path = make_url(database_url).database
    assert path
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as refused:
        if "locked" not in str(refused):
            raise
        return False
    finally:
        probe.close()


class LockWatch:
    """SQLite's write lock on a database watched from outside: a thread tries to take it
    (``write_lock_free``) every ``every`` seconds; ``longest`` is the longest stretch it was
    found held, whichever connection held it (to within ``every`` and a thread switch)."""

    def __init__(self, database_url: str, every: float = 0.01) -> None:
        self.database_url = database_url
        self.every = every
        self.longest = 0.0
        self.refusals = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        held_since: float | None = None
        while True:
            stopping = self._stop.is_set()
            now = time.perf_counter()
            if write_lock_free(self.database_url) or stopping:
                if held_since is not None:
                    self.longest = max(self.longest, now - held_since)
                    held_since = None
            else:
                self.refusals += 1
                held_since = now if held_since is None else held_since
            if stopping:
                return
            time.sleep(self.every)
