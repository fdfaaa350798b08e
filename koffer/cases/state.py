"""The life cycle of a case on the suitcase.

=============  ==============================================  =========================
state          meaning                                         allowed next states
=============  ==============================================  =========================
draft          being captured / edited                         ready, cancelled
ready          all rules pass; citizen reviews the data        draft, signed, cancelled
signed         citizen has signed (pad or paper Ausdruck)      draft, completed, cancelled
completed      documents printed, fee recorded                 sealed, cancelled
sealed         encrypted to the back end, in the outbox;       (final)
               the suitcase can no longer read the data
cancelled      abandoned; data to be deleted                   (final)
=============  ==============================================  =========================

``signed → draft`` exists because any change after signing voids the signature:
the case must be reviewed and signed again. Moving to the same state is not a
transition and is refused like every other move outside the table.
"""

from __future__ import annotations

from enum import Enum

from koffer.errors import ValidationError


class CaseState(Enum):
    DRAFT = "draft"
    READY = "ready"
    SIGNED = "signed"
    COMPLETED = "completed"
    SEALED = "sealed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """German name for the interface."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[CaseState, tuple[str, str]] = {
    CaseState.DRAFT: ("in Bearbeitung", "draft"),
    CaseState.READY: ("bereit zur Unterschrift", "ready"),
    CaseState.SIGNED: ("unterschrieben", "signed"),
    CaseState.COMPLETED: ("abgeschlossen", "completed"),
    CaseState.SEALED: ("versiegelt", "sealed"),
    CaseState.CANCELLED: ("abgebrochen", "cancelled"),
}

#: state -> states it may move to
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.DRAFT: frozenset({CaseState.READY, CaseState.CANCELLED}),
    CaseState.READY: frozenset({CaseState.DRAFT, CaseState.SIGNED, CaseState.CANCELLED}),
    CaseState.SIGNED: frozenset({CaseState.DRAFT, CaseState.COMPLETED, CaseState.CANCELLED}),
    CaseState.COMPLETED: frozenset({CaseState.SEALED, CaseState.CANCELLED}),
    CaseState.SEALED: frozenset(),
    CaseState.CANCELLED: frozenset(),
}


class IllegalTransition(ValidationError):
    """A state change outside :data:`TRANSITIONS`."""

    def __init__(self, current: CaseState, target: CaseState) -> None:
        self.current = current
        self.target = target
        super().__init__(
            f"Ein Vorgang im Zustand „{current.label}“ kann nicht in den Zustand "
            f"„{target.label}“ wechseln. Bitte laden Sie den Vorgang neu und "
            "wiederholen Sie den Schritt.",
            message_en=(
                f"A case in state '{current.label_en}' cannot move to state "
                f"'{target.label_en}'. Please reload the case and repeat the step."
            ),
        )


def allowed_targets(current: CaseState) -> frozenset[CaseState]:
    return TRANSITIONS[current]


def is_final(state: CaseState) -> bool:
    return not TRANSITIONS[state]


def can_transition(current: CaseState, target: CaseState) -> bool:
    return target in TRANSITIONS[current]


def transition(current: CaseState, target: CaseState) -> CaseState:
    """Return ``target`` if the move is allowed, else raise :class:`IllegalTransition`."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)
    return target
