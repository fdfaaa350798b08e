"""Exponential back-off with jitter (pure)."""

from __future__ import annotations

import random


def delay(attempts: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failures ("equal jitter").

    The ceiling doubles per failure up to ``cap``; the delay is drawn from the
    upper half of it, so retries of many suitcases do not arrive in lockstep
    and never come sooner than half the ceiling.
    """
    if attempts <= 0 or base <= 0:
        return 0.0
    ceiling = min(cap, base * (2.0 ** min(attempts - 1, 62)))
    r = rng or random.Random()
    return ceiling / 2 + r.uniform(0.0, ceiling / 2)
