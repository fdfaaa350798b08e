"""Plain values the store hands out (no ORM objects leave the store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Role = Literal["clerk", "technician", "admin"]
#: the roles an account can have
ROLES: tuple[Role, ...] = ("clerk", "technician", "admin")


@dataclass(frozen=True)
class AccountInfo:
    """An account as others may see it (no key material)."""

    name: str
    role: str
    disabled: bool = False
    locked: bool = False
    failed_attempts: int = 0


@dataclass(frozen=True)
class CaseMeta:
    """Non-personal metadata of a case: visible even after crypto-shredding."""

    case_id: str
    case_number: str
    case_type: str
    state: str
    created_at: datetime
    updated_at: datetime
    #: ``False`` once the case's data key has been destroyed
    readable: bool


@dataclass(frozen=True)
class StoredCase:
    """A decrypted case."""

    case_id: str
    case_number: str
    case_type: str
    state: str
    created_at: datetime
    updated_at: datetime
    payload: dict[str, Any]
    attachment_names: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the non-personal audit log."""

    id: int
    at: datetime
    account: str | None
    event: str
    detail: dict[str, str | int]
