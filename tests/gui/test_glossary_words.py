"""The kiosk says the same words for states, roles and case types as the command line.

``koffer.labels`` is the table the command line prints (``docs/glossar.md``);
the kiosk keeps its own ``tr()`` texts for Qt Linguist. In German both must
be the same words, or the clerk reads two names for one thing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from koffer import labels
from koffer.kiosk.screens.admin import AdminScreen
from koffer.kiosk.screens.dashboard import case_type_label, delivery_label
from koffer.kiosk.screens.outbox import outbox_state_label
from tests.gui.conftest import MakeKiosk, login


def test_outbox_states_and_case_types_are_the_glossary_words(qapp: QApplication) -> None:
    for state, (german, _) in labels.OUTBOX_STATES.items():
        assert outbox_state_label(state) == german, state
    for case_type, (german, _) in labels.CASE_TYPES.items():
        assert case_type_label(case_type) == german, case_type
    # the dashboard's short form of a rejected envelope is the outbox's word
    assert delivery_label("rejected") == labels.outbox_state("rejected") == "abgelehnt"
    assert delivery_label("dead_letter") == labels.outbox_state("dead_letter")


def test_the_role_choice_shows_the_glossary_words(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    kiosk.go("admin")
    screen = window.navigator.page("admin")
    assert isinstance(screen, AdminScreen)
    combo = screen.role_combo
    shown = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert shown == {role: words[0] for role, words in labels.ROLES.items()}
