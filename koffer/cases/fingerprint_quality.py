"""When a fingerprint capture is good enough (BSI TR-03121-3 Vol. 2, v6.0).

- Quality is NFIQ 2.2, an integer 0–100 (§ 5.4.5.1.1).
- Table 5.4, plain fingerprints for enrolment (§ 5.4.5.1.4): thumb 30,
  index 30, middle 20, ring 10, little 10.
- A capture is repeated only while its quality is short of the threshold,
  "a maximum of three capture attempts" per round; then the best is kept
  (§ 4.6.2 step 3b). The operator may start a new round (the counter resets).
- If no finger of a hand reaches its threshold, the best capture of the hand
  is taken; ties go index > thumb > middle > ring (§ 4.6 steps 5, 7).

Fingers are ISO/IEC 19794-4 position codes ("1" … "10"), the values of both
:class:`koffer.cases.enums.FingerCode` and the device layer's ``Finger``.
"""

from __future__ import annotations

from collections.abc import Sequence

from koffer.cases.enums import FingerCode

__all__ = [
    "ATTEMPTS_PER_ROUND",
    "THRESHOLDS",
    "another_attempt",
    "best_of_hand",
    "passes",
    "threshold",
]

#: capture attempts in one round before the best is kept
ATTEMPTS_PER_ROUND = 3

#: NFIQ 2.2 threshold per finger position code (table 5.4)
THRESHOLDS: dict[str, int] = {
    "1": 30,  # right thumb
    "2": 30,  # right index
    "3": 20,  # right middle
    "4": 10,  # right ring
    "5": 10,  # right little
    "6": 30,  # left thumb
    "7": 30,  # left index
    "8": 20,  # left middle
    "9": 10,  # left ring
    "10": 10,  # left little
}

# tie-break rank within a hand: index > thumb > middle > ring > little
_TIE_RANK = {"2": 0, "1": 1, "3": 2, "4": 3, "5": 4, "7": 0, "6": 1, "8": 2, "9": 3, "10": 4}


def _code(finger: FingerCode | str) -> str:
    return finger.value if isinstance(finger, FingerCode) else str(finger)


def threshold(finger: FingerCode | str) -> int:
    """The NFIQ 2.2 threshold of ``finger`` (table 5.4)."""
    return THRESHOLDS[_code(finger)]


def passes(finger: FingerCode | str, quality: int) -> bool:
    """``quality`` reaches the threshold of ``finger``."""
    return quality >= threshold(finger)


def another_attempt(finger: FingerCode | str, qualities: Sequence[int]) -> bool:
    """Whether the round of ``qualities`` (this round's attempts) goes on.

    True while no attempt reached the threshold and fewer than three were made.
    """
    if len(qualities) >= ATTEMPTS_PER_ROUND:
        return False
    return not any(passes(finger, quality) for quality in qualities)


def best_of_hand(candidates: Sequence[tuple[FingerCode | str, int]]) -> str:
    """The finger to keep for one hand from ``(finger, best quality)`` pairs.

    ``candidates`` come in capture order (index, thumb, middle, ring). The first
    finger that passes its threshold wins; if none does, the best quality,
    ties broken index > thumb > middle > ring.

    :raises ValueError: without candidates.
    """
    if not candidates:
        raise ValueError("no candidates")
    for finger, quality in candidates:
        if passes(finger, quality):
            return _code(finger)
    best = min(candidates, key=lambda pair: (-pair[1], _TIE_RANK[_code(pair[0])]))
    return _code(best[0])
