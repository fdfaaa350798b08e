"""The case state machine."""

from __future__ import annotations

import pytest

from koffer.cases.state import (
    TRANSITIONS,
    CaseState,
    IllegalTransition,
    can_transition,
    is_final,
    transition,
)
from koffer.errors import ValidationError

LEGAL = [
    (CaseState.DRAFT, CaseState.READY),
    (CaseState.DRAFT, CaseState.CANCELLED),
    (CaseState.READY, CaseState.DRAFT),
    (CaseState.READY, CaseState.SIGNED),
    (CaseState.SIGNED, CaseState.DRAFT),
    (CaseState.SIGNED, CaseState.COMPLETED),
    (CaseState.COMPLETED, CaseState.SEALED),
    (CaseState.COMPLETED, CaseState.CANCELLED),
]


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_legal_transitions(current: CaseState, target: CaseState) -> None:
    assert transition(current, target) is target


def test_every_other_move_is_illegal() -> None:
    legal = set(LEGAL) | {
        (CaseState.READY, CaseState.CANCELLED),
        (CaseState.SIGNED, CaseState.CANCELLED),
    }
    for current in CaseState:
        for target in CaseState:
            if (current, target) in legal:
                assert can_transition(current, target)
                continue
            with pytest.raises(IllegalTransition) as info:
                transition(current, target)
            assert isinstance(info.value, ValidationError)
            assert current.label in info.value.message
            assert target.label_en in info.value.message_en


def test_final_states() -> None:
    assert is_final(CaseState.SEALED) and is_final(CaseState.CANCELLED)
    assert not is_final(CaseState.DRAFT)
    assert set(TRANSITIONS) == set(CaseState)


def test_draft_cannot_jump_to_sealed() -> None:
    with pytest.raises(IllegalTransition):
        transition(CaseState.DRAFT, CaseState.SEALED)
    with pytest.raises(IllegalTransition):
        transition(CaseState.SEALED, CaseState.DRAFT)
