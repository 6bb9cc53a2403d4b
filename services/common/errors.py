"""Errors handlers raise and entrypoints translate (HTTP 404/409/422, CLI exit codes)."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of the errors a user can act on."""


@dataclass
class NotFound(DomainError):
    what: str
    id: str

    def __str__(self) -> str:
        return f"{self.what} {self.id!r}을(를) 찾을 수 없습니다."


@dataclass
class InvalidInput(DomainError):
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass
class StateConflict(DomainError):
    reason: str
    details: list[dict[str, object]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.reason
