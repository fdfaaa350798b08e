"""NFIQ 2.2 thresholds per finger and the attempt rule, from TR-03121-3 Vol. 2 table 5.4."""

from __future__ import annotations

import pytest

from koffer.cases.enums import FingerCode
from koffer.cases.fingerprint_quality import (
    ATTEMPTS_PER_ROUND,
    another_attempt,
    best_of_hand,
    passes,
    threshold,
)

TABLE = [
    (FingerCode.RIGHT_THUMB, 30),
    (FingerCode.LEFT_THUMB, 30),
    (FingerCode.RIGHT_INDEX, 30),
    (FingerCode.LEFT_INDEX, 30),
    (FingerCode.RIGHT_MIDDLE, 20),
    (FingerCode.LEFT_MIDDLE, 20),
    (FingerCode.RIGHT_RING, 10),
    (FingerCode.LEFT_RING, 10),
    (FingerCode.RIGHT_LITTLE, 10),
    (FingerCode.LEFT_LITTLE, 10),
]


@pytest.mark.parametrize(("finger", "limit"), TABLE)
def test_threshold_boundary_per_finger(finger: FingerCode, limit: int) -> None:
    assert threshold(finger) == limit
    assert threshold(finger.value) == limit
    assert passes(finger, limit)
    assert not passes(finger, limit - 1)


def test_a_round_stops_at_the_first_good_capture() -> None:
    index = FingerCode.RIGHT_INDEX
    assert another_attempt(index, [])
    assert another_attempt(index, [29])
    assert not another_attempt(index, [30])
    assert not another_attempt(index, [12, 31])
    # a middle finger at 20 is good enough, an index finger is not
    assert not another_attempt(FingerCode.LEFT_MIDDLE, [20])
    assert another_attempt(FingerCode.LEFT_INDEX, [20])


def test_no_fourth_attempt_in_a_round() -> None:
    assert ATTEMPTS_PER_ROUND == 3
    assert another_attempt(FingerCode.RIGHT_INDEX, [5, 6])
    assert not another_attempt(FingerCode.RIGHT_INDEX, [5, 6, 7])
    assert not another_attempt(FingerCode.RIGHT_RING, [1, 2, 3])


def test_first_passing_finger_of_the_hand_wins() -> None:
    right = [(FingerCode.RIGHT_INDEX, 25), (FingerCode.RIGHT_THUMB, 31)]
    assert best_of_hand(right) == FingerCode.RIGHT_THUMB.value
    # the ring finger passes at 10 although its quality is lower than the index's 25
    right = [(FingerCode.RIGHT_INDEX, 25), (FingerCode.RIGHT_THUMB, 28), ("3", 18), ("4", 10)]
    assert best_of_hand(right) == "4"


def test_none_passes_the_best_is_kept_ties_index_thumb_middle() -> None:
    left = [("7", 22), ("6", 22), ("8", 15), ("9", 5)]
    assert best_of_hand(left) == "7"
    left = [("7", 12), ("6", 19), ("8", 19), ("9", 5)]
    assert best_of_hand(left) == "6"
    right = [("2", 3), ("1", 8), ("3", 19), ("4", 9)]
    assert best_of_hand(right) == "3"
    with pytest.raises(ValueError):
        best_of_hand([])
