"""Argon2id: from a passphrase to a key-encryption key.

The parameters are stored next to every wrapped key (see
:meth:`Argon2Params.to_dict`), so that they can be raised later without
locking anybody out. :data:`DEFAULT_PARAMS` were chosen so that one
derivation (= one offline guess on a copied disk) takes at least 0.5 s on
the reference 2-core laptop and an unlock stays under 1 s
(``benchmarks/bench_unlock.py``).

:data:`FLOOR` is the lowest cost the software accepts from a configuration
or an administrator: the OWASP Password Storage minimum for Argon2id (the
family of equivalent settings 7 MiB × 5 passes … 46 MiB × 1 pass, i.e. at
least 7 MiB and at least 35 840 KiB·passes), which RFC 9106 and
BSI TR-02102-1 (Argon2id as the password-based KDF) leave to the
implementer to size.
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

    def at_least(self, other: Argon2Params) -> bool:
        """Costs at least as much memory and as many passes as ``other``."""
        return self.memory_kib >= other.memory_kib and self.iterations >= other.iterations

    def meets_floor(self) -> bool:
        """Not below :data:`FLOOR` (OWASP minimum, see the module docstring)."""
        return (
            self.memory_kib >= FLOOR_MEMORY_KIB
            and self.memory_kib * self.iterations >= FLOOR_MEMORY_PASSES
        )


#: 256 MiB, 3 passes, 2 lanes: about 0.6 s per derivation on the reference
#: 2-core laptop (idle); see benchmarks/bench_unlock.py
DEFAULT_PARAMS = Argon2Params(memory_kib=262144, iterations=3, lanes=2)
#: OWASP's smallest memory setting for Argon2id (7 MiB with 5 passes)
FLOOR_MEMORY_KIB = 7168
#: memory × passes of OWASP's equivalent minimum settings (7 MiB × 5)
FLOOR_MEMORY_PASSES = 7168 * 5
#: the strongest cost accepted anywhere (a bigger one could exhaust memory)
CEILING_MEMORY_KIB = 4 * 1024 * 1024
CEILING_ITERATIONS = 100


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
