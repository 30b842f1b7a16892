"""Expected failures of a use case. The API turns them into typed errors in the payload."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    STALE_VERSION = "STALE_VERSION"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"  # locked, rate-limited or busy: try again later


@dataclass(frozen=True)
class FieldProblem:
    """One reason an input was refused, naming the field (dotted path) when there is one."""

    code: ErrorCode
    message: str
    field: str | None = None


class DomainError(Exception):
    """Raised by a service to refuse an operation; the caller rolls back, so nothing changes."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def single(cls, code: ErrorCode, message: str, field: str | None = None) -> DomainError:
        return cls([FieldProblem(code=code, message=message, field=field)])


def not_found(entity: str, key: object, field: str | None = "id") -> DomainError:
    return DomainError.single(ErrorCode.NOT_FOUND, f"{entity} {key} does not exist", field)


def stale(entity: str, current_version: int, field: str = "expectedVersion") -> DomainError:
    return DomainError.single(
        ErrorCode.STALE_VERSION,
        f"{entity} was changed by someone else; the current version is {current_version}",
        field,
    )


class Problems:
    """Collects every problem of an input before refusing it, so the user fixes all at once."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def invalid(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(ErrorCode.INVALID, message, field))

    def raise_if_any(self) -> None:
        if self.items:
            raise DomainError(self.items)
