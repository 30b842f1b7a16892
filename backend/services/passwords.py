"""Password hashing (argon2) off the event loop, with a bounded number of checks waiting.

argon2 is slow on purpose (tens of milliseconds of CPU and 64 MiB per check). On the event loop
it would stall every other request while it runs, so checks run on a small thread pool of their
own. The pool's queue is bounded: when ``MAX_PENDING`` checks are already running or waiting, the
next one is refused at once (``VerifierBusy``) instead of queueing without end.

>>> stored = hash_password("correct-horse")
>>> asyncio.run(verify(stored, "correct-horse"))
True
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Half the cores at most: the event loop and the database keep the rest while a flood hashes.
HASH_WORKERS = max(1, (os.cpu_count() or 2) // 2)
MAX_PENDING = 8  # running plus waiting; beyond this a sign-in is refused, not queued

_hasher = PasswordHasher()
# Unknown users are checked against this, so they cost the same work as a wrong password.
DUMMY_HASH = _hasher.hash("timing-equaliser")
_pool = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="argon2")
# Counted down when a check finishes in its thread, not when its request stops waiting, so the
# bound holds for abandoned requests too and is tied to no particular event loop.
_pending = 0
_pending_lock = threading.Lock()


class VerifierBusy(Exception):
    """Too many password checks are running or waiting; the caller should try again later."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def matches(stored_hash: str, password: str) -> bool:
    """The blocking check itself; an empty or malformed stored hash never matches."""
    try:
        return _hasher.verify(stored_hash or DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def has_room() -> bool:
    """Whether a check would be accepted now (callers ask before doing work worth refusing)."""
    return _pending < MAX_PENDING


async def verify(stored_hash: str, password: str) -> bool:
    """Check a password on the hashing pool; raises ``VerifierBusy`` when the queue is full."""
    global _pending
    with _pending_lock:
        if _pending >= MAX_PENDING:
            raise VerifierBusy
        _pending += 1
    try:
        future: Future[bool] = _pool.submit(matches, stored_hash, password)
    except BaseException:
        _finished(None)
        raise
    future.add_done_callback(_finished)
    return await asyncio.wrap_future(future)


def _finished(_: Future[bool] | None) -> None:
    global _pending
    with _pending_lock:
        _pending -= 1
