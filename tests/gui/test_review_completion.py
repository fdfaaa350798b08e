"""Review and completion: print failure with a retry that loses nothing; rules block."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.screens.anmeldung import AnmeldungScreen
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.review import ReviewScreen
from koffer.kiosk.window import MainWindow
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, MakeKiosk, login, settle
from tests.gui.registration_helpers import (
    LANDLORD,
    NEW_DWELLING,
    PREVIOUS,
    backend,
    enrolled,
    fill,
    start,
    type_family,
    use_simulated_printer,
)

__all__ = ["backend", "enrolled"]


def anmeldung_page(window: MainWindow) -> AnmeldungScreen:
    screen = window.navigator.page("anmeldung")
    assert isinstance(screen, AnmeldungScreen)
    return screen


def _to_review(qtbot: QtBot, window: MainWindow, landlord: dict[str, str]) -> ReviewScreen:
    screen = start(qtbot, window, "anmeldung")
    type_family(qtbot, screen)
    screen.proceed()
    fill(screen.dwelling_form, NEW_DWELLING)
    screen.proceed()
    fill(screen.previous_form, PREVIOUS)
    screen.proceed()
    fill(screen.landlord_form, landlord)
    screen.proceed()
    assert screen.draft.step == "check"
    review = window.navigator.page("review")
    assert isinstance(review, ReviewScreen)
    return review


def test_missing_landlord_confirmation_blocks_at_check(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    _to_review(qtbot, window, {})
    screen = window.navigator.page("anmeldung")
    assert isinstance(screen, AnmeldungScreen)
    assert screen.has_errors()
    assert any("Wohnungsgeberbestätigung" in f.message for f in screen.findings)
    screen.proceed()
    assert window.navigator.current() is screen  # stays on the check step
    # a click on the finding leads to the step where it is fixed
    item = screen.finding_list.item(0)
    screen.finding_list.itemClicked.emit(item)
    assert screen.draft.step == "landlord"
    assert "Wohnungsgeberbestätigung" in screen.step_findings.text()
    settle(qtbot, kiosk)


def test_print_error_then_retry(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    """GIVEN the printer has no paper WHEN the case is completed THEN it is sealed,
    the German reason is shown, and after paper is loaded "Erneut drucken" prints."""
    kiosk, window = make_kiosk()
    simulator = use_simulated_printer(kiosk)
    simulator.set_reasons("media-empty-error")
    login(qtbot, window)
    review = _to_review(qtbot, window, {"assignment_code": "ZM-4711-AB", "matches": ""})
    anmeldung_page(window).proceed()
    qtbot.waitUntil(lambda: review.data is not None)
    review.read_to_end()
    assert review.confirm_button.isEnabled()
    review.proceed()
    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    qtbot.waitUntil(lambda: completion.phase == "print_failed", timeout=15_000)
    assert "Papier" in completion.error_label.text()
    assert (
        completion.retry_button.isVisible() and completion.retry_button.text() == "Erneut drucken"
    )
    assert not simulator.jobs
    case_id = completion.case_id
    assert case_id is not None
    with Store.open(enrolled, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        assert u.case_meta(case_id).state == "sealed"

    simulator.set_reasons("none")
    completion.retry_button.click()
    qtbot.waitUntil(lambda: completion.phase == "done", timeout=15_000)
    assert len(simulator.jobs) == 1
    completion.done_button.click()
    assert window.navigator.current_state()[0] == "dashboard"  # type: ignore[index]
    settle(qtbot, kiosk)


def test_not_enrolled_fails_clearly_and_keeps_the_case(
    qtbot: QtBot, make_kiosk: MakeKiosk, data_dir: Path, store_settings: StoreSettings
) -> None:
    kiosk, window = make_kiosk()
    use_simulated_printer(kiosk)
    login(qtbot, window)
    review = _to_review(qtbot, window, {**LANDLORD, "matches": "1"})
    anmeldung_page(window).proceed()
    qtbot.waitUntil(lambda: review.data is not None)
    review.read_to_end()
    assert review.confirm_button.isEnabled()
    review.proceed()
    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    qtbot.waitUntil(lambda: completion.phase == "failed", timeout=15_000)
    assert completion.error_label.text().startswith("⚠ ")
    assert completion.retry_button.text() == "Erneut versuchen"
    settle(qtbot, kiosk)
    case_id = completion.case_id
    assert case_id is not None
    with Store.open(data_dir, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        meta = u.case_meta(case_id)
        assert meta.state == "completed" and meta.readable  # nothing lost
