"""Settings of the encrypted store: table ``[store]`` of the configuration.

::

    [store]
    argon2_memory_kib = 262144     # Argon2id memory per derivation
    argon2_iterations = 3
    argon2_lanes = 2
    max_failed_attempts = 10       # wrong passphrases until the account is locked
    throttle_base_seconds = 1.0    # wait after the first wrong passphrase (doubles)
    throttle_max_seconds = 300.0   # longest wait between two attempts
    min_passphrase_length = 8
    busy_timeout_ms = 10000        # SQLite: wait this long for a lock

The first six keys are the store's security policy
(:mod:`koffer.store.policy`): they are read from the configuration only for
``koffer init``, where they become the new store's rules, and must not be
below the minimums. Afterwards the store's own rules apply; a configuration
that asks for weaker ones is refused (``Store.open``), stricter ones are
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koffer.config import Config
from koffer.crypto.kdf import (
    CEILING_ITERATIONS,
    CEILING_MEMORY_KIB,
    DEFAULT_PARAMS,
    FLOOR_MEMORY_KIB,
    Argon2Params,
)
from koffer.store.policy import POLICY_KEYS, SecurityPolicy, check_floor


@dataclass(frozen=True)
class StoreSettings:
    argon2: Argon2Params = field(default=DEFAULT_PARAMS)
    max_failed_attempts: int = 10
    throttle_base_seconds: float = 1.0
    throttle_max_seconds: float = 300.0
    min_passphrase_length: int = 8
    busy_timeout_ms: int = 10000
    #: the policy keys the configuration file set explicitly
    explicit_policy_keys: frozenset[str] = frozenset()

    @property
    def policy(self) -> SecurityPolicy:
        """The security policy a new store gets from these settings."""
        return SecurityPolicy(
            argon2=self.argon2,
            max_failed_attempts=self.max_failed_attempts,
            throttle_base_seconds=self.throttle_base_seconds,
            throttle_max_seconds=self.throttle_max_seconds,
        )

    @classmethod
    def from_config(cls, config: Config) -> StoreSettings:
        """The settings of ``[store]``; a policy below the minimums is refused."""
        r = config.reader("store")
        default = cls()
        explicit = frozenset(k for k in POLICY_KEYS if r.has(k))
        settings = cls(
            argon2=Argon2Params(
                memory_kib=r.integer(
                    "argon2_memory_kib",
                    default.argon2.memory_kib,
                    minimum=FLOOR_MEMORY_KIB,
                    maximum=CEILING_MEMORY_KIB,
                ),
                iterations=r.integer(
                    "argon2_iterations",
                    default.argon2.iterations,
                    minimum=1,
                    maximum=CEILING_ITERATIONS,
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
            explicit_policy_keys=explicit,
        )
        r.finish()
        check_floor(settings.policy)
        return settings

    @classmethod
    def insecure_fast(cls, **overrides: object) -> StoreSettings:
        """Tiny Argon2id cost and short throttling: ONLY for tests and benchmarks.

        Code only: no configuration file can ask for it (``from_config``
        refuses anything below the minimums).
        """
        values: dict[str, object] = {
            "argon2": Argon2Params(memory_kib=64, iterations=1, lanes=1),
            "throttle_base_seconds": 0.0,
            "throttle_max_seconds": 0.0,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
