"""A small in-process cache: the last few values by key, least recently used dropped first.

The keys of tracking's caches name what the value was read from (a database, a plan version,
counts and sums of the tables read), so a stale value is never returned: a change makes a new
key, and the old entry ages out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Cache(Generic[K, V]):
    """The last ``size`` values by key.

    >>> import asyncio
    >>> cache: Cache[str, int] = Cache(1)
    >>> async def seven() -> int:
    ...     return 7
    >>> asyncio.run(cache.get("a", seven)), list(cache.items)
    (7, ['a'])
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    async def get(self, key: K, build: Callable[[], Awaitable[V]]) -> V:
        """The value kept under ``key``, else ``build()``'s, kept."""
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        value = await build()
        self.items[key] = value
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value
