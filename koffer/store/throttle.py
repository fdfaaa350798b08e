"""Throttling of wrong passphrases (pure functions over the stored counters).

After the n-th wrong passphrase in a row the next attempt is refused until
``base * 2**(n-1)`` seconds (at most ``maximum``) have passed; after
``max_attempts`` wrong passphrases the account is locked until an admin
unlocks it. The counters live in the database, so a restart resets nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def delay_after(failures: int, base: float, maximum: float) -> float:
    """Seconds to wait after ``failures`` wrong passphrases in a row."""
    if failures <= 0 or base <= 0:
        return 0.0
    # cap the exponent: 2**64 seconds is already far beyond any maximum
    return float(min(base * 2.0 ** min(failures - 1, 64), maximum))


def remaining_wait(
    failures: int,
    last_failed_at: datetime | None,
    now: datetime,
    base: float,
    maximum: float,
) -> float:
    """Seconds until the next attempt is allowed (0.0: allowed now).

    A clock that went backwards never extends the wait beyond one full delay.
    """
    if last_failed_at is None:
        return 0.0
    delay = delay_after(failures, base, maximum)
    allowed_at = last_failed_at + timedelta(seconds=delay)
    wait = (allowed_at - now).total_seconds()
    return max(0.0, min(wait, delay))
