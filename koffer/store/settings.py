"""Settings of the encrypted store: table ``[store]`` of the configuration.

::

    [store]
    argon2_memory_kib = 131072     # Argon2id memory per derivation
    argon2_iterations = 3
    argon2_lanes = 2
    max_failed_attempts = 10       # wrong passphrases until the account is locked
    throttle_base_seconds = 1.0    # wait after the first wrong passphrase (doubles)
    throttle_max_seconds = 300.0   # longest wait between two attempts
    min_passphrase_length = 8
    busy_timeout_ms = 10000        # SQLite: wait this long for a lock
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koffer.config import Config
from koffer.crypto.kdf import DEFAULT_PARAMS, Argon2Params


@dataclass(frozen=True)
class StoreSettings:
    argon2: Argon2Params = field(default=DEFAULT_PARAMS)
    max_failed_attempts: int = 10
    throttle_base_seconds: float = 1.0
    throttle_max_seconds: float = 300.0
    min_passphrase_length: int = 8
    busy_timeout_ms: int = 10000

    @classmethod
    def from_config(cls, config: Config) -> StoreSettings:
        r = config.reader("store")
        default = cls()
        settings = cls(
            argon2=Argon2Params(
                memory_kib=r.integer(
                    "argon2_memory_kib",
                    default.argon2.memory_kib,
                    minimum=8192,
                    maximum=4 * 1024 * 1024,
                ),
                iterations=r.integer(
                    "argon2_iterations", default.argon2.iterations, minimum=1, maximum=100
                ),
                lanes=r.integer("argon2_lanes", default.argon2.lanes, minimum=1, maximum=64),
            ),
            max_failed_attempts=r.integer(
                "max_failed_attempts", default.max_failed_attempts, minimum=1, maximum=1000
            ),
            throttle_base_seconds=r.number(
                "throttle_base_seconds", default.throttle_base_seconds, minimum=0.0
            ),
            throttle_max_seconds=r.number(
                "throttle_max_seconds", default.throttle_max_seconds, minimum=0.0
            ),
            min_passphrase_length=r.integer(
                "min_passphrase_length", default.min_passphrase_length, minimum=1, maximum=1024
            ),
            busy_timeout_ms=r.integer(
                "busy_timeout_ms", default.busy_timeout_ms, minimum=0, maximum=600_000
            ),
        )
        r.finish()
        return settings

    @classmethod
    def insecure_fast(cls, **overrides: object) -> StoreSettings:
        """Tiny Argon2id cost and short throttling: ONLY for tests and benchmarks."""
        values: dict[str, object] = {
            "argon2": Argon2Params(memory_kib=64, iterations=1, lanes=1),
            "throttle_base_seconds": 0.0,
            "throttle_max_seconds": 0.0,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
