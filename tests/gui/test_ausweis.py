"""The Personalausweis wizard end to end, with the real simulators behind the hub."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from koffer.cases import (
    ExemptionReason,
    FingerCode,
    IdCardApplication,
    case_from_dict,
    ensure_valid,
)
from koffer.cases.fingerprint_quality import ATTEMPTS_PER_ROUND, another_attempt
from koffer.casework.ausweis_draft import AusweisDraft
from koffer.casework.case_store import StoreGateway, load_attachment
from koffer.config import Config
from koffer.drivers.wacom_stu.simulator import line_stroke
from koffer.kiosk.screens.ausweis_pin import after_wizard
from koffer.store import StoreSettings
from tests.gui.ausweis_helpers import (
    Kit,
    current,
    fill_person,
    go_next,
    signature_strokes,
    start_ausweis,
)
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle, type_text


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def _messages(kiosk: object) -> list[str]:
    seen: list[str] = []
    kiosk.message.connect(seen.append)  # type: ignore[attr-defined]
    return seen


def test_whole_application_with_an_injured_finger(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    kit: Kit,
    data_dir: Path,
    store_settings: StoreSettings,
) -> None:
    """GIVEN a clerk with simulated scanner, pad and camera WHEN a Personalausweis
    is captured with the left index finger injured THEN the left thumb is taken
    instead, and the stored case is a valid IdCardApplication with its
    encrypted attachments."""
    kiosk, window = make_kiosk(devices=kit.hub)
    messages = _messages(kiosk)
    login(qtbot, window)
    person = start_ausweis(qtbot, window)

    # 1 person and address
    person.next_button.click()
    assert current(window) == "ausweis_person"  # required fields block
    fill_person(person)
    photo = go_next(qtbot, window, person, "ausweis_photo")

    # 2 photo: live preview, still, checks with the "not certified" label
    qtbot.waitUntil(lambda: photo.preview.frames_shown >= 2, timeout=5_000)
    assert "keine zertifizierte Qualitätsprüfung" in photo.certified_label.text()
    photo.capture_button.click()
    qtbot.waitUntil(lambda: photo.session.draft.photo_attachment == "photo.jpg", timeout=5_000)
    assert "Gesicht erkannt" in photo.checks_label.text()
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")

    # 3 fingerprints: left index injured -> left thumb; right index
    assert fingers.finger is FingerCode.LEFT_INDEX
    assert fingers.diagram.states[FingerCode.LEFT_THUMB] == "substitute"
    assert fingers.diagram.states[FingerCode.LEFT_LITTLE] == "never"
    fingers.reason_combo.setCurrentIndex(
        fingers.reason_combo.findData(ExemptionReason.INJURED.value)
    )
    fingers.skip_button.click()
    assert fingers.finger is FingerCode.LEFT_THUMB
    assert fingers.diagram.states[FingerCode.LEFT_INDEX] == "unavailable"
    fingers.next_button.click()
    assert current(window) == "ausweis_fingerprints"  # nothing captured yet
    fingers.capture_button.click()
    qtbot.waitUntil(
        lambda: fingers.session.draft.finger(FingerCode.LEFT_THUMB) is not None, timeout=15_000
    )
    assert "Aufnahme 3" in fingers.quality_labels[2].text()
    assert fingers.finger is FingerCode.RIGHT_INDEX
    fingers.capture_button.click()
    qtbot.waitUntil(
        lambda: fingers.session.draft.finger(FingerCode.RIGHT_INDEX) is not None, timeout=15_000
    )
    record = fingers.session.draft.finger(FingerCode.RIGHT_INDEX)
    assert record is not None and 1 <= len(record.qualities) <= ATTEMPTS_PER_ROUND
    # a capture was repeated only while the quality was short (TR-03121-3 table 5.4)
    assert another_attempt(FingerCode.RIGHT_INDEX, record.qualities[:-1])
    assert record.quality == max(record.qualities)
    signature = go_next(qtbot, window, fingers, "ausweis_signature")

    # 4 signature: trivial refused, then a real one mirrored live
    qtbot.waitUntil(lambda: signature.pad is not None, timeout=5_000)
    assert kit.pad.images_committed >= 1  # the declaration is on the pad
    kit.pad.sign([line_stroke((100, 100), (104, 101), 6)])
    qtbot.waitUntil(lambda: signature.ink.touching_samples >= 6, timeout=5_000)
    signature.confirm_button.click()
    assert "zu kurz oder zu klein" in signature.status_label.text()
    assert any("zu kurz oder zu klein" in m for m in messages)
    assert not signature.session.draft.signature_attachments
    signature.clear_button.click()
    qtbot.waitUntil(lambda: signature.pad is not None and not signature.samples, timeout=5_000)
    duration = kit.pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: signature.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    signature.confirm_button.click()
    qtbot.waitUntil(lambda: bool(signature.session.draft.signature_attachments), timeout=5_000)
    fee = go_next(qtbot, window, signature, "ausweis_fee")

    # 5 fee and delivery
    labels = [label for label, _amount in fee.fee_rows]
    assert "Lichtbild durch die Behörde" in labels
    assert fee.fee_rows[-1][1] == "43,00 EUR"  # 37,00 + 6,00 (before 2026-02-07)
    assert fee.direct.isEnabled()
    fee.direct.click()
    assert "zweites gültiges Ausweisdokument" in fee.why_not.text()
    fee.second_id.click()
    assert fee.fee_rows[-1][1] == "58,00 EUR"
    fee.pickup.click()
    pin = go_next(qtbot, window, fee, "ausweis_pin")

    # 6 PIN-Brief, then the rules
    pin.handed_out.click()
    type_text(pin.number.edit, "PB12345678")
    pin.next_button.click()

    # 7 payment: in cash, 50,00 EUR given
    qtbot.waitUntil(lambda: current(window) == "ausweis_payment", timeout=10_000)
    payment = window.navigator.page("ausweis_payment")
    qtbot.waitUntil(lambda: payment.known, timeout=10_000)
    assert payment.fee_label.text() == "43,00 EUR"
    type_text(payment.given.edit, "50")
    assert payment.change_label.text() == "Rückgeld: 7,00 EUR"
    payment.book_button.click()
    qtbot.waitUntil(lambda: payment.paid is not None, timeout=10_000)
    payment.next_button.click()
    qtbot.waitUntil(lambda: current(window) == after_wizard(), timeout=10_000)
    settle(qtbot, kiosk)
    case_id = pin.session.case_id
    assert case_id is not None

    gateway = StoreGateway(data_dir, Config(), store_settings)
    gateway.open()
    store = gateway.unlock(ACCOUNT, PASSPHRASE)
    try:
        stored = store.load_case(case_id)
        draft = AusweisDraft.from_payload(stored.payload)
        assert draft.application is not None
        app = case_from_dict(draft.application)
        assert isinstance(app, IdCardApplication)
        ensure_valid(app, TODAY)
        assert [r.finger for r in app.fingerprints] == [
            FingerCode.LEFT_THUMB,
            FingerCode.RIGHT_INDEX,
        ]
        assert [(e.finger, e.reason) for e in app.fingerprint_exemptions] == [
            (FingerCode.LEFT_INDEX, ExemptionReason.INJURED)
        ]
        assert app.pin_letter_number == "PB12345678"
        assert set(stored.attachment_names) == {
            "photo.jpg",
            "fingerprint-6.wsq",
            "fingerprint-2.wsq",
            "signature.png",
            "signature-strokes.json",
        }
        jpeg = load_attachment(store, case_id, "photo.jpg")
        assert jpeg[:2] == b"\xff\xd8"
        with Image.open(io.BytesIO(load_attachment(store, case_id, "signature.png"))) as png:
            assert png.format == "PNG"
        wsq = load_attachment(store, case_id, "fingerprint-6.wsq")
        assert wsq[:2] == b"\xff\xa0"  # WSQ start-of-image marker
    finally:
        store.close()
        gateway.close()
    # nothing personal in clear text on disk
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"Schmidt" not in path.read_bytes()


def test_scanner_unplugged_during_capture(qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit) -> None:
    """GIVEN the fingerprint step WHEN the scanner is unplugged mid-capture THEN a
    German message appears, the case keeps its data, and after plugging it
    back in the capture works."""
    kiosk, window = make_kiosk(devices=kit.hub)
    messages = _messages(kiosk)
    login(qtbot, window)
    person = start_ausweis(qtbot, window)
    fill_person(person)
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")

    kit.scanner.configure(finger_present=False)  # the capture waits for a finger …
    fingers.capture_button.click()
    qtbot.wait(150)
    kit.scanner.unplug()  # … and the cable comes out
    qtbot.waitUntil(lambda: not fingers.capturing, timeout=20_000)
    assert messages, "no message for the clerk"
    assert any(
        word in messages[-1] for word in ("Scanner", "Fingerabdruck", "Gerät", "Verbindung")
    ), messages[-1]
    assert "unterbrochen" in fingers.prompt_label.text()
    draft = fingers.session.draft
    assert draft.person["family_name"] == "Schmidt"
    assert draft.cloud_code == "ABCD1234"
    assert draft.fingers == []

    kit.scanner.plug()
    kit.scanner.configure(finger_present=True)
    fingers.capture_button.click()
    qtbot.waitUntil(lambda: draft.finger(FingerCode.LEFT_INDEX) is not None, timeout=15_000)
    settle(qtbot, kiosk)


def test_child_under_six_skips_fingerprints_and_signature(
    qtbot: QtBot, make_kiosk: MakeKiosk, kit: Kit
) -> None:
    kiosk, window = make_kiosk(devices=kit.hub)
    login(qtbot, window)
    person = start_ausweis(qtbot, window)
    fill_person(person, birth_date="01.06.2021")
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    assert fingers.finger is None
    assert "jünger als 6 Jahre" in fingers.now_label.text()
    assert not fingers.capture_button.isVisible()
    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    assert "jünger als 10 Jahre" in signature.status_label.text()
    fee = go_next(qtbot, window, signature, "ausweis_fee")
    assert not fee.direct.isEnabled()
    assert "16 Jahren" in fee.why_not.text()
    settle(qtbot, kiosk)

    # a second kiosk on the same data (as after a crash) resumes at the fee step
    _kiosk2, window2 = make_kiosk(devices=kit.hub)
    login(qtbot, window2)
    dashboard = window2.navigator.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.case_list.count() == 1)
    dashboard.resume_button.click()
    qtbot.waitUntil(lambda: current(window2) == "ausweis_fee", timeout=10_000)
    resumed = window2.navigator.page("ausweis_fee")
    assert resumed.session.draft.cloud_code == "ABCD1234"
    assert resumed.session.draft.person["family_name"] == "Schmidt"
