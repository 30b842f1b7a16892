"""Job kinds: a name, a typed payload and the handler that runs it, kept in a registry.

A kind is declared once, next to its handler; callers enqueue with the kind object and a
payload of its type (checked by mypy), and the worker finds the handler by the stored name::

    class EmailNotice(BaseModel):
        user_id: int

    @job_kind("notifications.email", payload=EmailNotice, max_attempts=6)
    async def send_email(ctx: JobContext, payload: EmailNotice) -> None: ...

    await enqueue(session, kind=send_email, payload=EmailNotice(user_id=7))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.settings import Settings

P = TypeVar("P", bound=BaseModel)


class PermanentFailure(Exception):
    """Raised by a handler when trying again cannot help: the job is dead at once."""


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides its payload. Its ``session`` commits together with the job
    being marked done, so what a handler writes and the job's completion are one transaction."""

    session: AsyncSession
    settings: Settings
    job_id: int
    attempt: int  # 1 on the first run
    max_attempts: int
    now: datetime


@dataclass(frozen=True)
class JobFailure:
    """Why an attempt failed, and whether it was the last (the job is dead)."""

    error: BaseException | None  # None: the worker's lease ran out (it stopped or hung)
    message: str
    final: bool


Handler = Callable[[JobContext, P], Awaitable[None]]
FailureHook = Callable[[JobContext, P, JobFailure], Awaitable[None]]


@dataclass
class JobKind(Generic[P]):
    """One kind of job. ``timeout`` bounds one attempt (it must be shorter than the worker's
    lease); the n-th retry waits about ``backoff * 2**(n-1)``, at most ``max_backoff``."""

    name: str
    payload_type: type[P]
    handler: Handler[P]
    max_attempts: int = 5
    timeout: timedelta = timedelta(seconds=60)
    backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    failure_hook: FailureHook[P] | None = field(default=None, repr=False)

    def parse(self, raw: dict[str, Any]) -> P:
        return self.payload_type.model_validate(raw)

    def on_failure(self, hook: FailureHook[P]) -> FailureHook[P]:
        """Register a hook run after each failed attempt, in the transaction that records the
        failure (the handler's own writes were rolled back), e.g. to mark a delivery dead."""
        self.failure_hook = hook
        return hook


class JobRegistry:
    """Kinds by name. The worker runs only kinds it knows; others end dead, retryable."""

    def __init__(self) -> None:
        self._kinds: dict[str, JobKind[Any]] = {}

    def add(self, kind: JobKind[Any]) -> None:
        if kind.name in self._kinds and self._kinds[kind.name] is not kind:
            raise ValueError(f"job kind {kind.name!r} is declared twice")
        self._kinds[kind.name] = kind

    def get(self, name: str) -> JobKind[Any] | None:
        return self._kinds.get(name)

    def __iter__(self) -> Iterator[JobKind[Any]]:
        return iter(self._kinds.values())


REGISTRY = JobRegistry()


def job_kind(
    name: str,
    *,
    payload: type[P],
    max_attempts: int = 5,
    timeout: timedelta = timedelta(seconds=60),
    backoff: timedelta = timedelta(seconds=30),
    registry: JobRegistry = REGISTRY,
) -> Callable[[Handler[P]], JobKind[P]]:
    """Declare a kind from its handler and register it (see the module's example)."""

    def declare(handler: Handler[P]) -> JobKind[P]:
        kind = JobKind(
            name=name,
            payload_type=payload,
            handler=handler,
            max_attempts=max_attempts,
            timeout=timeout,
            backoff=backoff,
        )
        registry.add(kind)
        return kind

    return declare
