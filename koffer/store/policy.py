"""The store's security policy: Argon2id cost, lock-out and throttling.

These rules live in the store (table ``store_policy``): they are set at
``koffer init`` and changed only by an unlocked admin account. A caller's
``--config`` cannot lower them: :func:`refuse_weaker` refuses a
configuration that asks for less than the store has, and :func:`check_floor`
refuses any policy below the minimums (Argon2id: OWASP minimum, see
:mod:`koffer.crypto.kdf`; lock-out: at most :data:`MAX_FAILED_CEILING`
wrong passphrases, throttling at least :data:`THROTTLE_BASE_FLOOR` s).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from koffer.crypto.kdf import CEILING_ITERATIONS, CEILING_MEMORY_KIB, Argon2Params
from koffer.errors import ConfigError

#: the lock-out may never allow more wrong passphrases in a row than this
MAX_FAILED_CEILING = 10
#: ... and never fewer than this (one typo must not lock an account)
MAX_FAILED_FLOOR = 3
#: the wait after the first wrong passphrase is at least this long
THROTTLE_BASE_FLOOR = 1.0
#: the longest wait between two attempts is at least this long
THROTTLE_MAX_FLOOR = 60.0

#: the configuration keys of ``[store]`` that belong to the policy
POLICY_KEYS: tuple[str, ...] = (
    "argon2_memory_kib",
    "argon2_iterations",
    "argon2_lanes",
    "max_failed_attempts",
    "throttle_base_seconds",
    "throttle_max_seconds",
)


@dataclass(frozen=True)
class SecurityPolicy:
    argon2: Argon2Params
    max_failed_attempts: int
    throttle_base_seconds: float
    throttle_max_seconds: float

    def values(self) -> dict[str, float]:
        """The policy by configuration key (for messages and comparisons)."""
        return {
            "argon2_memory_kib": self.argon2.memory_kib,
            "argon2_iterations": self.argon2.iterations,
            "argon2_lanes": self.argon2.lanes,
            "max_failed_attempts": self.max_failed_attempts,
            "throttle_base_seconds": self.throttle_base_seconds,
            "throttle_max_seconds": self.throttle_max_seconds,
        }


def floor_violations(policy: SecurityPolicy) -> list[str]:
    """The keys of ``policy`` that are below the minimums (empty: fine)."""
    bad: list[str] = []
    if not policy.argon2.meets_floor():
        bad += ["argon2_memory_kib", "argon2_iterations"]
    if (
        policy.argon2.memory_kib > CEILING_MEMORY_KIB
        or policy.argon2.iterations > CEILING_ITERATIONS
    ):
        bad += ["argon2_memory_kib", "argon2_iterations"]
    if not MAX_FAILED_FLOOR <= policy.max_failed_attempts <= MAX_FAILED_CEILING:
        bad.append("max_failed_attempts")
    if policy.throttle_base_seconds < THROTTLE_BASE_FLOOR:
        bad.append("throttle_base_seconds")
    if policy.throttle_max_seconds < max(THROTTLE_MAX_FLOOR, policy.throttle_base_seconds):
        bad.append("throttle_max_seconds")
    return list(dict.fromkeys(bad))


def check_floor(policy: SecurityPolicy) -> None:
    """Refuse (:class:`ConfigError`) a policy below the minimums."""
    bad = floor_violations(policy)
    if bad:
        names = ", ".join(bad)
        raise ConfigError(
            f"Sicherheitseinstellungen [store] unter den Mindestwerten: {names}. Es gilt: "
            "Argon2id mindestens 7168 KiB und 7168 KiB × 5 Durchläufe, "
            f"höchstens {MAX_FAILED_CEILING} und mindestens {MAX_FAILED_FLOOR} Fehlversuche, "
            f"Wartezeit mindestens {THROTTLE_BASE_FLOOR:g} s, längste Wartezeit mindestens "
            f"{THROTTLE_MAX_FLOOR:g} s. Bitte entfernen Sie diese Zeilen oder setzen Sie "
            "höhere Werte.",
            message_en=f"Configuration [store]: {names} is below the security minimums.",
        )


def weaker_keys(stored: SecurityPolicy, asked: SecurityPolicy, keys: Collection[str]) -> list[str]:
    """The keys among ``keys`` for which ``asked`` is weaker than ``stored``."""
    have, want = stored.values(), asked.values()
    # fewer allowed failures or longer waits are stricter; lanes do not change the cost
    lower_is_weaker = {
        "argon2_memory_kib",
        "argon2_iterations",
        "throttle_base_seconds",
        "throttle_max_seconds",
    }
    bad: list[str] = []
    for key in keys:
        if key in lower_is_weaker and want[key] < have[key]:
            bad.append(key)
        elif key == "max_failed_attempts" and want[key] > have[key]:
            bad.append(key)
    return bad


def refuse_weaker(stored: SecurityPolicy, asked: SecurityPolicy, keys: Collection[str]) -> None:
    """Refuse a configuration that would lower the store's policy.

    ``keys`` are the policy keys the configuration sets explicitly; values
    that are stricter than the store's are ignored (the store's rules apply;
    an admin can raise them).
    """
    bad = weaker_keys(stored, asked, keys)
    if bad:
        have = stored.values()
        names = ", ".join(f"{k} (im Datenbestand: {have[k]:g})" for k in bad)
        raise ConfigError(
            "Die Konfiguration würde die Sicherheitseinstellungen des Datenbestands "
            f"absenken: {names}. Diese Werte gelten aus dem Datenbestand selbst und werden "
            "nicht über --config geändert. Bitte entfernen Sie diese Zeilen aus dem "
            "Abschnitt [store]; ändern kann sie nur ein Administrator-Konto "
            "(`koffer accounts policy`).",
            message_en="The configuration would lower the store's security policy: "
            + ", ".join(bad),
        )
