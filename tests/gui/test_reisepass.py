"""The Reisepass path and the legal representatives in the kiosk, offscreen, with simulators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from koffer.cases import (
    Custody,
    PassportApplication,
    Relationship,
    case_from_dict,
    ensure_valid,
)
from koffer.casework.ausweis_draft import AusweisDraft
from koffer.casework.case_store import StoreGateway
from koffer.config import Config
from koffer.kiosk.window import MainWindow
from koffer.store import StoreSettings
from tests.gui.ausweis_helpers import Kit, current, fill_person, go_next, signature_strokes
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle, type_text


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def _start(qtbot: QtBot, window: MainWindow, case_type: str) -> Any:
    window.navigator.page("dashboard").start_buttons[case_type].click()
    screen = window.navigator.page("ausweis_person")
    qtbot.waitUntil(
        lambda: screen.session.case_id is not None and current(window) == "ausweis_person",
        timeout=10_000,
    )
    return screen


def _choose(form: Any, key: str, code: str) -> None:
    combo = form.choices[key].combo
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def _sign(qtbot: QtBot, kit: Kit, screen: Any, done: Any) -> None:
    qtbot.waitUntil(lambda: screen.pad is not None, timeout=5_000)
    duration = kit.pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: screen.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    screen.confirm_button.click()
    qtbot.waitUntil(done, timeout=5_000)


def test_minor_passport_with_both_parents_consent_reaches_the_review(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    kit: Kit,
    data_dir: Path,
    store_settings: StoreSettings,
) -> None:
    """GIVEN a 13-year-old applying for a Reisepass WHEN the mother applies with
    joint custody and the father's consent, the child and the mother sign THEN
    the passport options step computes the PassV fee and the application reaches
    the review as a valid PassportApplication with its representative."""
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    person = _start(qtbot, window, "reisepass")
    assert "Reisepass" in person.title()
    fill_person(person, birth_date="01.06.2012")
    assert not person.representative.isHidden()
    assert "unter 18 Jahren" in person.representative_hint.text()
    form = person.representative_form
    _choose(form, "rep_relationship", "mutter")
    _choose(form, "rep_custody", "gemeinsam")
    type_text(form.fields["rep_family_name"].edit, "Schmidt")
    type_text(form.fields["rep_given_names"].edit, "Maria")
    type_text(form.fields["rep_birth_date"].edit, "12.04.1980")
    _choose(form, "rep_id_kind", "PA")
    type_text(form.fields["rep_id_serial"].edit, "L01X00T47")
    person.other_parent.click()
    photo = go_next(qtbot, window, person, "ausweis_photo")

    qtbot.waitUntil(lambda: photo.preview.frames_shown >= 2, timeout=5_000)
    photo.capture_button.click()
    qtbot.waitUntil(lambda: photo.session.draft.photo_attachment == "photo.jpg", timeout=5_000)
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    for _hand in range(2):
        count = len(fingers.session.draft.fingers)
        fingers.capture_button.click()
        qtbot.waitUntil(lambda n=count: len(fingers.session.draft.fingers) > n, timeout=15_000)
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    assert "Reisepass" in signature.declaration_label.text()
    _sign(qtbot, kit, signature, lambda: bool(signature.session.draft.signature_attachments))

    rep_sign = go_next(qtbot, window, signature, "ausweis_representative_signature")
    assert "gesetzliche Vertretung" in rep_sign.declaration_label.text()
    _sign(qtbot, kit, rep_sign, lambda: rep_sign.confirmed)
    options = go_next(qtbot, window, rep_sign, "ausweis_passport")

    # PassV § 27: under 24 37.50, authority photo 6.00
    assert options.fee_rows[-1][1] == "43,50 EUR"
    options.boxes["pages_48"].click()
    assert options.fee_rows[-1][1] == "65,50 EUR"
    options.boxes["old_presented"].click()
    options.next_button.click()
    assert current(window) == "ausweis_passport"  # the old passport is not entwertet yet
    assert "entwertet" in options.result_label.text()
    options.boxes["old_invalidated"].click()
    options.next_button.click()
    qtbot.waitUntil(lambda: current(window) == "ausweis_payment", timeout=10_000)
    payment = window.navigator.page("ausweis_payment")
    qtbot.waitUntil(lambda: payment.known, timeout=10_000)
    assert payment.fee_label.text() == "65,50 EUR"
    payment.methods["invoice"].click()
    payment.book_button.click()
    qtbot.waitUntil(lambda: payment.paid is not None, timeout=10_000)
    payment.next_button.click()
    qtbot.waitUntil(lambda: current(window) == "review", timeout=10_000)
    case_id = options.session.case_id
    assert case_id is not None
    review = window.navigator.page("review")
    qtbot.waitUntil(
        lambda: review.data is not None and review.data.case_id == case_id, timeout=10_000
    )
    assert not review.data.blocking
    tiles = {tile.objectName(): tile for tile in review.thumbnails}
    assert tiles["review_image_signature"].has_image()
    assert tiles["review_image_signature_1"].has_image()  # the mother's signature
    settle(qtbot, kiosk)

    gateway = StoreGateway(data_dir, Config(), store_settings)
    gateway.open()
    store = gateway.unlock(ACCOUNT, PASSPHRASE)
    try:
        stored = store.load_case(case_id)
        assert stored.case_type == "reisepass"
        draft = AusweisDraft.from_payload(stored.payload)
        assert draft.application is not None
        app = case_from_dict(draft.application)
        assert isinstance(app, PassportApplication)
        ensure_valid(app, TODAY)
        assert app.pages_48 and app.old_passport_invalidated
        assert str(app.fee_amount) == "65.50"
        (rep,) = app.legal_representatives
        assert (rep.family_name, rep.given_names) == ("Schmidt", ["Maria"])
        assert rep.relationship is Relationship.MOTHER
        assert rep.signature_attachments[0] == "signature-representative-1.png"
        assert app.custody is Custody.JOINT and app.other_parent_consent
        assert "signature-representative-1.png" in stored.attachment_names
    finally:
        store.close()
        gateway.close()


def test_id_card_under_16_without_representative_is_refused(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    """GIVEN a Personalausweis for a 4-year-old WHEN nobody is entered as legal
    representative THEN "Antrag prüfen" refuses with the German finding of
    PAuswG § 9 and the wizard stays on the last step."""
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    person = _start(qtbot, window, "personalausweis")
    fill_person(person, birth_date="01.06.2021")
    assert not person.representative.isHidden()
    assert "unter 16 Jahren" in person.representative_hint.text()
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    fee = go_next(qtbot, window, signature, "ausweis_fee")  # no representative step
    pin = go_next(qtbot, window, fee, "ausweis_pin")
    pin.next_button.click()
    qtbot.wait(100)
    assert current(window) == "ausweis_pin"
    text = pin.result_label.text()
    assert "Für Personen unter 16 Jahren stellen die Sorgeberechtigten den Antrag" in text
    assert "§ 9 Abs. 2 PAuswG" in text
    settle(qtbot, kiosk)


def test_adult_id_card_shows_no_representative(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    _kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    person = _start(qtbot, window, "personalausweis")
    fill_person(person)
    assert person.representative.isHidden()
    assert person.session.draft.steps()[-2:] == ("pin", "payment")


def test_the_passport_path_speaks_english(qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit) -> None:
    """GIVEN the kiosk in English WHEN a passport for a child is started THEN the
    representative section and the passport options step show no German text."""
    from tests.gui.test_english import german

    kiosk, window = make_kiosk(devices=kit.hub, language="en")
    login(qtbot, window)
    person = _start(qtbot, window, "reisepass")
    fill_person(person, birth_date="01.06.2021")
    assert not person.representative.isHidden()
    assert german(person.representative) == []
    assert "under 18" in person.representative_hint.text()
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    options = go_next(qtbot, window, signature, "ausweis_passport")
    options.next_button.click()  # refused: no representative
    assert current(window) == "ausweis_passport"
    assert "§ 6 (1) PassG" in options.result_label.text()
    assert german(options.body) == []
    settle(qtbot, kiosk)
