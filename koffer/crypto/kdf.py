"""Argon2id: from a passphrase to a key-encryption key.

The parameters are stored next to every wrapped key (see
:meth:`Argon2Params.to_dict`), so that they can be raised later without
locking anybody out. :data:`DEFAULT_PARAMS` were measured on the reference
2-core laptop to take about 0.4 s (``benchmarks/bench_unlock.py``).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_SIZE = 32
SALT_SIZE = 16


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost parameters (RFC 9106 names: m, t, p)."""

    memory_kib: int
    iterations: int
    lanes: int

    def __post_init__(self) -> None:
        if self.lanes < 1 or self.iterations < 1:
            raise ValueError("Argon2id needs at least one lane and one iteration")
        if self.memory_kib < 8 * self.lanes:
            raise ValueError("Argon2id needs at least 8 KiB of memory per lane")

    def to_dict(self) -> dict[str, int]:
        return {
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, int]) -> Argon2Params:
        return cls(
            memory_kib=int(data["memory_kib"]),
            iterations=int(data["iterations"]),
            lanes=int(data["lanes"]),
        )


#: 128 MiB, 3 passes, 2 lanes: about 0.4 s on the reference 2-core laptop (idle)
DEFAULT_PARAMS = Argon2Params(memory_kib=131072, iterations=3, lanes=2)


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)


def normalize_passphrase(passphrase: str) -> bytes:
    """UTF-8 of the NFC form, so that NFC and NFD keyboards give the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    """A 32-byte key from ``passphrase`` with Argon2id."""
    kdf = Argon2id(
        salt=salt,
        length=KEY_SIZE,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalize_passphrase(passphrase))
