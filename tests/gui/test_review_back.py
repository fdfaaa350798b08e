""" "Zurück" on the citizen review leads to the wizard's last step, for every case type."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.commands.simulate_visit import capture_attachments
from koffer.kiosk.screens import SCREENS
from koffer.kiosk.screens.review import WIZARD_OF, ReviewScreen
from koffer.store import Store, StoreSettings
from tests.gui.ausweis_helpers import current
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login


def _seed(data_dir: Path, settings: StoreSettings, case_type: CaseType) -> str:
    payload = case_to_dict(sample_case(case_type, 4, TODAY))
    files = capture_attachments(payload, 4)
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        return u.create_case(case_type.value, payload, files)


def test_every_back_target_is_a_screen() -> None:
    """Each case type the kiosk reviews leads back to a screen that exists."""
    names = {name for name, _loader in SCREENS}
    assert {case_type.value for case_type in CaseType} <= set(WIZARD_OF)
    assert set(WIZARD_OF.values()) <= names


@pytest.mark.parametrize(
    ("case_type", "expected"),
    [(CaseType.PERSONALAUSWEIS, "ausweis_payment"), (CaseType.REISEPASS, "ausweis_payment")],
)
def test_back_from_the_review_opens_the_last_step(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    data_dir: Path,
    store_settings: StoreSettings,
    case_type: CaseType,
    expected: str,
) -> None:
    """GIVEN an application on the citizen review WHEN the clerk presses "Zurück"
    THEN its wizard's last step opens with the same case."""
    case_id = _seed(data_dir, store_settings, case_type)
    kiosk, window = make_kiosk()
    login(qtbot, window)
    review = window.navigator.page("review")
    assert isinstance(review, ReviewScreen)
    kiosk.go("review", {"case_id": case_id})
    qtbot.waitUntil(lambda: review.data is not None and current(window) == "review", timeout=10_000)
    review.go_back()
    qtbot.waitUntil(lambda: current(window) == expected, timeout=10_000)
    step = window.navigator.page(expected)
    qtbot.waitUntil(lambda: step.session.case_id == case_id, timeout=10_000)  # type: ignore[attr-defined]
