"""Sign-in rate limits: failed attempts in a sliding window per client address and per username.

The windows live in this process's memory: they reset on restart and are not shared between
several server processes (each process allows the limit on its own). Behind a reverse proxy the
client address is the proxy's unless the server is told to trust ``X-Forwarded-For``.

>>> window = SlidingWindow(limit=2, seconds=60.0)
>>> [window.admit("ip", now=t) for t in (0.0, 1.0, 2.0, 61.0)]
[True, True, False, True]
"""

from __future__ import annotations

from collections import deque

MAX_KEYS = 10_000  # bounds memory under a flood of distinct usernames or addresses


class SlidingWindow:
    """At most ``limit`` admitted events per key in any ``seconds``-long window."""

    def __init__(self, *, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = {}

    def full(self, key: str, *, now: float) -> bool:
        events = self._events.get(key)
        if events is None:
            return False
        while events and events[0] <= now - self.seconds:
            events.popleft()
        return len(events) >= self.limit

    def record(self, key: str, *, now: float) -> None:
        if key not in self._events and len(self._events) >= MAX_KEYS:
            self._forget_idle(now)
        self._events.setdefault(key, deque()).append(now)

    def admit(self, key: str, *, now: float) -> bool:
        """Record the event and say yes, or say no (a refusal is not recorded)."""
        if self.full(key, now=now):
            return False
        self.record(key, now=now)
        return True

    def _forget_idle(self, now: float) -> None:
        """Drop keys with no event in the window; if none is idle, the oldest key goes."""
        for key in [k for k, e in self._events.items() if not e or e[-1] <= now - self.seconds]:
            del self._events[key]
        if len(self._events) >= MAX_KEYS:
            del self._events[next(iter(self._events))]


class SignInThrottle:
    """Failed sign-ins per client address and per username: an attempt is refused while
    either window is full. Successful sign-ins are not counted, so a whole office behind one
    address can sign in at nine o'clock; guesses are."""

    def __init__(self, *, per_client: int, per_username: int, seconds: float = 60.0) -> None:
        self.by_client = SlidingWindow(limit=per_client, seconds=seconds)
        self.by_username = SlidingWindow(limit=per_username, seconds=seconds)

    def allows(self, *, client: str, username: str, now: float) -> bool:
        """Whether an attempt may be checked (neither window is full of failures)."""
        if client and self.by_client.full(client, now=now):
            return False
        return not self.by_username.full(_key(username), now=now)

    def failed(self, *, client: str, username: str, now: float) -> None:
        """Count a failed attempt in both windows."""
        if client:
            self.by_client.record(client, now=now)
        self.by_username.record(_key(username), now=now)


def _key(username: str) -> str:
    return username.strip().casefold()
