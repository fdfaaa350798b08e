"""Anmeldung of a family of three, end to end: wizard → review → seal → print."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.review import ReviewScreen
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


def test_family_of_three_is_sealed_and_printed(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    """GIVEN an enrolled suitcase WHEN a family of three is registered through
    every step THEN the case is sealed in the outbox (unreadable on the
    suitcase), the Meldebestätigung reaches the printer and the background
    sender delivers the envelope."""
    kiosk, window = make_kiosk()
    simulator = use_simulated_printer(kiosk)
    login(qtbot, window)
    screen = start(qtbot, window, "anmeldung")
    type_family(qtbot, screen)
    screen.proceed()
    assert screen.draft.step == "dwelling"
    fill(screen.dwelling_form, NEW_DWELLING)
    screen.proceed()
    assert screen.draft.step == "previous"
    fill(screen.previous_form, PREVIOUS)
    screen.proceed()
    assert screen.draft.step == "landlord"  # alleinige Wohnung: no other dwellings
    fill(screen.landlord_form, {**LANDLORD, "matches": "1"})
    screen.proceed()
    assert screen.draft.step == "check"
    assert not screen.has_errors(), [f.message for f in screen.findings]
    screen.proceed()

    review = window.navigator.page("review")
    assert isinstance(review, ReviewScreen)
    qtbot.waitUntil(lambda: review.data is not None and window.navigator.current() is review)
    assert review.data is not None
    assert len(review.data.sections) == 4  # three persons + dwelling and dates
    texts = [value for section in review.data.sections for _label, value in section.rows]
    assert "Zoë" in texts and "Lindenweg 12a, 50667 Köln (alleinige Wohnung)" in texts
    # three persons do not fit: confirming opens only once the citizen has read to the end
    qtbot.waitUntil(lambda: review.area.verticalScrollBar().maximum() > 0)
    assert not review.confirm_button.isEnabled() and review.more_button.isVisible()
    review.proceed()  # Enter turns a page instead of confirming
    assert window.navigator.current() is review
    while review.more_button.isVisible():
        review.more_button.click()
    assert review.confirm_button.isEnabled()
    review.confirm_button.click()

    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    qtbot.waitUntil(lambda: completion.phase == "done", timeout=15_000)
    assert len(simulator.jobs) == 1
    job = next(iter(simulator.jobs.values()))
    assert job.document.startswith(b"%PDF-")
    assert "Meldebestätigung" in job.name and "Müller" not in job.name
    # the background sender, woken by the sealing, delivers it at once
    qtbot.waitUntil(lambda: backend.received() == 1, timeout=15_000)
    settle(qtbot, kiosk)

    case_id = screen.case_id
    assert case_id is not None
    with Store.open(enrolled, store_settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        meta = u.case_meta(case_id)
        assert meta.state == "sealed" and not meta.readable
        from koffer.queue.outbox import Outbox

        qtbot.waitUntil(lambda: [e.state for e in Outbox(u).list()] == ["purged"])
        entries = Outbox(u).list()
        assert entries[0].case_type == "anmeldung"
