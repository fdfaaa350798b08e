"""In English, the dashboard, outbox and completion screens show no German text.

The test walks every visible widget text of the three screens (labels,
buttons, list and table items, table headers, the header's title) with real
data: a transmitted case, one waiting with a transmission error, a draft, a
completed case that is sealed and printed on the completion screen.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, case_to_dict, sample_case
from koffer.casework.drafts import RegistrationDraft
from koffer.enrollment import device
from koffer.kiosk.demo.embedded_backend import EmbeddedBackend
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.dashboard import DashboardScreen
from koffer.kiosk.screens.outbox import OutboxScreen
from koffer.queue.outbox import Outbox
from koffer.queue.transmitter import Transmitter
from koffer.store import Store, StoreSettings
from tests.gui.conftest import ACCOUNT, PASSPHRASE, TODAY, MakeKiosk, login, settle
from tests.gui.registration_helpers import backend, enrolled, use_simulated_printer

__all__ = ["backend", "enrolled"]

#: umlauts, ß and frequent German words of the interface
GERMAN = re.compile(
    r"[äöüÄÖÜß]|\b(der|die|das|den|und|nicht|ist|sind|wird|werden|wurde|Bitte|Sie|Ihre|"
    r"Vorgang|Vorgänge|Postausgang|Gegenstelle|versiegelt|gesendet|übertragen|warten|"
    r"Versand|Fertig|Heute|Dokument|gedruckt|Anmeldung|Abmeldung|Meldebestätigung|"
    r"Antragsquittung|Personalausweis|abgeschlossen|Entwurf|Bearbeitung|Zurück|Jetzt|"
    r"senden|erreichbar|Übersicht|Abschluss|Quittung|Fehler|Verwaltung)\b"
)


def texts(root: QWidget) -> list[str]:
    """Every visible text of ``root`` and its children."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QLineEdit):
            found += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QListWidget):
            found += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                found.append("" if header is None else header.text())
                for row in range(widget.rowCount()):
                    item = widget.item(row, column)
                    found.append("" if item is None else item.text())
    return [t for t in found if t.strip()]


def german(root: QWidget) -> list[str]:
    return [t for t in texts(root) if GERMAN.search(t)]


def _prepare(data_dir: Path, settings: StoreSettings) -> str:
    """A transmitted case, a waiting one, a draft; returns a completed, unsealed case."""
    today = datetime.now(UTC).date()
    with Store.open(data_dir, settings) as store, store.unlock(ACCOUNT, PASSPHRASE) as u:
        creds = device.require_credentials(u)
        outbox = Outbox(u)
        for seed in (1, 2):
            case = sample_case(CaseType.ANMELDUNG, seed, today)
            case_id = u.create_case("anmeldung", case_to_dict(case), {}, state="completed")
            outbox.seal_case(case_id, creds)
            if seed == 1:
                with Transmitter(creds) as tx:
                    assert outbox.sync_once(tx).sent == 1
        u.create_case("anmeldung", RegistrationDraft().to_payload(), {})
        case = sample_case(CaseType.ABMELDUNG, 3, TODAY)  # the kiosk's (fixed) today
        return u.create_case("abmeldung", case_to_dict(case), {}, state="draft")


def test_english_screens_show_no_german(
    qtbot: QtBot,
    make_kiosk: MakeKiosk,
    enrolled: Path,
    store_settings: StoreSettings,
    backend: EmbeddedBackend,
) -> None:
    to_complete = _prepare(enrolled, store_settings)
    backend.stop()  # the waiting case fails: its reason must be English too
    kiosk, window = make_kiosk(language="en")
    use_simulated_printer(kiosk)
    login(qtbot, window)

    dashboard = window.navigator.page("dashboard")
    assert isinstance(dashboard, DashboardScreen)
    qtbot.waitUntil(
        lambda: (
            dashboard.outbox_counts is not None
            and dashboard.send_status is not None
            and dashboard.send_status.report.stopped is not None
            and len(dashboard.cases) == 2  # the drafts (the fixed today is past)
        ),
        timeout=15_000,
    )
    assert "Sending interrupted" in dashboard.outbox_label.text()
    assert german(dashboard) == []
    assert german(window.header) == []

    kiosk.go("outbox")
    outbox = window.navigator.page("outbox")
    assert isinstance(outbox, OutboxScreen)
    qtbot.waitUntil(
        lambda: (
            len(outbox.entries) == 2
            and any(e.last_error for e in outbox.entries)
            and outbox.last_report is not None
        ),
        timeout=15_000,
    )
    assert "not reachable" in outbox.summary.text()
    assert german(outbox) == []
    assert german(window.header) == []

    kiosk.go("completion", {"case_id": to_complete})
    completion = window.navigator.page("completion")
    assert isinstance(completion, CompletionScreen)
    qtbot.waitUntil(lambda: completion.phase in ("done", "failed"), timeout=15_000)
    assert completion.phase == "done", completion.error
    assert any(t.startswith("✔ Confirmation of registration") for t in texts(completion))
    assert german(completion) == []
    assert german(window.header) == []
    settle(qtbot, kiosk)


def _device_texts() -> list[tuple[str, str]]:
    """Texts that reach the Ausweis screens at run time from the device layer."""
    from PIL import Image

    from koffer.devices.pipelines import fingerprint, photo, quality
    from koffer.drivers.r30x import driver as r30x

    found = [("AusweisPhotoScreen", photo.LABEL)]
    # a black frame: no face, too dark; a face-coloured block: off-centre, too small
    black = Image.new("RGB", (320, 400), (0, 0, 0))
    block = Image.new("RGB", (320, 400), (120, 120, 120))
    block.paste(Image.new("RGB", (40, 60), (200, 150, 120)), (10, 10))
    big = Image.new("RGB", (320, 400), (200, 150, 120))
    for image in (black, block, big):
        found += [("AusweisPhotoScreen", p) for p in photo.check_photo(image).problems]
    screen = "AusweisFingerprintsScreen"
    found += [(screen, quality.ESTIMATE_METHOD), (screen, r30x.PLACE_FINGER)]
    found.append((screen, r30x.LIFT_FINGER))
    for name in fingerprint.FINGER_NAMES.values():
        found += [
            (screen, f"Bitte legen Sie den {name} auf."),
            (screen, f"Bitte legen Sie den {name} auf (erneut)."),
        ]
    return found


def test_device_texts_shown_at_run_time_are_translated(make_kiosk: MakeKiosk) -> None:
    """Photo hints, finger prompts and the quality method pass through tr() with a
    variable; each must have an English entry in the catalogue."""
    from PySide6.QtCore import QCoreApplication

    make_kiosk(language="en")
    texts = _device_texts()
    problems = {text for context, text in texts if context == "AusweisPhotoScreen"}
    assert len(problems) >= 5  # the label and at least four different hints
    untranslated = [
        text for context, text in texts if GERMAN.search(QCoreApplication.translate(context, text))
    ]
    assert untranslated == []
