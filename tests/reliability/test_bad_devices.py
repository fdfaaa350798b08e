"""Bad devices during a draft case: the kiosk keeps running and the case stays intact.

A clerk has a Personalausweis draft open (person, address, photo) and captures
fingerprints and a signature while the devices misbehave: garbage bytes on the
serial line, corrupt frames, an image upload that breaks off and stalls, a
scanner that stops answering, a cable pulled mid-capture; on the pad garbage
reports, a stalled pad and an unplug while signing. The real drivers run
behind their transport seams (pyserial ``sim://`` URL for the R30x, the pyusb
backend for the STU pad) inside the real kiosk (offscreen Qt).

After every fault: either the capture recovered by itself or the clerk got a
German message; the window still answers; the case as stored (read back
through a second store connection) still has everything captured before the
fault; and once the fault is gone the next capture works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from koffer.cases import FingerCode
from koffer.casework.ausweis_draft import AusweisDraft, fingerprint_attachment
from koffer.casework.case_store import StoreGateway
from koffer.config import Config
from koffer.store import StoreSettings
from tests.gui.ausweis_helpers import (
    Kit,
    current,
    fill_person,
    go_next,
    signature_strokes,
    start_ausweis,
)
from tests.gui.conftest import (  # noqa: F401 - fixtures used by name
    ACCOUNT,
    PASSPHRASE,
    MakeKiosk,
    data_dir,
    login,
    make_kiosk,
    settle,
    store_settings,
    type_text,
)
from tests.reliability import report

GERMAN_HINTS = ("Scanner", "Fingerabdruck", "Gerät", "Verbindung", "Unterschrift", "Pad")


@pytest.fixture
def kit() -> Iterator[Kit]:
    kit = Kit()
    yield kit
    kit.close()


def stored_draft(
    directory: Path, settings: StoreSettings, case_id: str
) -> tuple[AusweisDraft, set[str]]:
    """The case as the store has it, read through a second connection."""
    gateway = StoreGateway(directory, Config(), settings)
    gateway.open()
    store = gateway.unlock(ACCOUNT, PASSPHRASE)
    try:
        stored = store.load_case(case_id)
        return AusweisDraft.from_payload(stored.payload), set(stored.attachment_names)
    finally:
        store.close()
        gateway.close()


def test_bad_devices_during_a_draft_case(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,  # noqa: F811
    kit: Kit,
    data_dir: Path,  # noqa: F811
    store_settings: StoreSettings,  # noqa: F811
) -> None:
    timer = report.Timer()
    kiosk, window = make_kiosk(devices=kit.hub)
    messages: list[str] = []
    kiosk.message.connect(messages.append)
    login(qtbot, window)
    person = start_ausweis(qtbot, window)
    fill_person(person)
    photo = go_next(qtbot, window, person, "ausweis_photo")
    photo.source_code.click()
    type_text(photo.code_edit, "ABCD1234")
    fingers = go_next(qtbot, window, photo, "ausweis_fingerprints")
    case_id = fingers.session.case_id
    assert case_id is not None
    scanner = kit.scanner

    def intact(expected_fingers: set[str]) -> None:
        settle(qtbot, kiosk)
        draft, names = stored_draft(data_dir, store_settings, case_id)
        assert draft.person["family_name"] == "Schmidt"
        assert draft.cloud_code == "ABCD1234"
        assert {f.finger for f in draft.fingers} == expected_fingers
        for finger in expected_fingers:
            assert fingerprint_attachment(FingerCode(finger)) in names

    outcomes: list[str] = []

    def scanner_fault(name: str, inject: Callable[[], None], clear: Callable[[], None]) -> None:
        before = len(messages)
        done = {f.finger for f in fingers.session.draft.fingers}
        inject()
        fingers.capture_button.click()
        qtbot.waitUntil(lambda: fingers.capturing, timeout=5_000)
        qtbot.waitUntil(lambda: not (fingers.capturing or fingers.encoding), timeout=30_000)
        window.repaint()  # the GUI thread still answers
        assert current(window) == "ausweis_fingerprints"
        now = {f.finger for f in fingers.session.draft.fingers}
        if now == done:
            assert len(messages) > before, f"{name}: neither a capture nor a message"
            assert any(h in messages[-1] for h in GERMAN_HINTS), messages[-1]
            outcomes.append(f"{name}: message")
        else:
            outcomes.append(f"{name}: recovered")
        intact(now)
        clear()

    scanner_fault(
        "garbage bytes",
        lambda: scanner.configure(garbage_before_next=b"\x00\xffnot a packet\xef\x01"),
        lambda: scanner.configure(garbage_before_next=b""),
    )
    scanner_fault(
        "corrupt frames",
        lambda: scanner.configure(corrupt_next=3),
        lambda: scanner.configure(corrupt_next=0),
    )
    scanner_fault(
        "upload breaks off",
        lambda: scanner.configure(stall_after_packets=5),
        lambda: (scanner.plug(), scanner.configure(stall_after_packets=-1)),
    )
    scanner_fault(
        "stalled scanner",
        lambda: scanner.configure(stalled=True),
        lambda: scanner.plug(),
    )

    def pull_cable() -> None:
        scanner.configure(finger_present=False)

        def unplug_soon() -> None:
            scanner.unplug()

        from PySide6.QtCore import QTimer

        QTimer.singleShot(150, unplug_soon)

    scanner_fault(
        "cable pulled mid-capture",
        pull_cable,
        lambda: (scanner.plug(), scanner.configure(finger_present=True)),
    )
    assert any(o.endswith("message") for o in outcomes)
    # after all that, both fingers are captured
    while not fingers.session.draft.fingerprints_done(kiosk.context.today()):
        count = len(fingers.session.draft.fingers)
        fingers.capture_button.click()
        qtbot.waitUntil(lambda c=count: len(fingers.session.draft.fingers) > c, timeout=20_000)
    captured = {f.finger for f in fingers.session.draft.fingers}
    intact(captured)

    signature = go_next(qtbot, window, fingers, "ausweis_signature")
    qtbot.waitUntil(lambda: signature.pad is not None, timeout=5_000)
    pad = kit.pad
    # garbage reports in the pen stream are dropped, the signature still comes through
    pad.send_garbage(20)
    duration = pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: signature.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    outcomes.append("pad garbage reports: recovered")
    # the pad's cable is pulled before the clerk confirms
    before = len(messages)
    pad.unplug()
    qtbot.waitUntil(lambda: len(messages) > before or signature.pad is None, timeout=15_000)
    window.repaint()
    assert current(window) == "ausweis_signature"
    assert not signature.session.draft.signature_attachments
    if len(messages) > before:
        assert any(h in messages[-1] for h in GERMAN_HINTS), messages[-1]
    outcomes.append(
        "pad unplugged while signing: " + ("message" if len(messages) > before else "closed")
    )
    intact(captured)
    pad.replug()
    signature.clear_button.click()
    qtbot.waitUntil(lambda: signature.pad is not None and not signature.samples, timeout=15_000)
    duration = pad.sign(signature_strokes())
    qtbot.waitUntil(
        lambda: signature.ink.touching_samples >= 120, timeout=int(duration * 1000) + 5_000
    )
    signature.confirm_button.click()
    qtbot.waitUntil(lambda: bool(signature.session.draft.signature_attachments), timeout=5_000)
    settle(qtbot, kiosk)
    _draft, names = stored_draft(data_dir, store_settings, case_id)
    assert {"signature.png", "signature-strokes.json"} <= names

    report.record(
        "bad devices",
        "Personalausweis draft: scanner garbage, corrupt frames, broken upload, stall, "
        "unplug; pad garbage and unplug (real drivers, wire simulators, kiosk offscreen)",
        iterations=len(outcomes),
        faults=len(outcomes),
        seconds=timer.seconds,
        note="; ".join(outcomes) + "; draft intact in the store after each fault",
    )
