"""Step 4: the signature — declaration on the pad, live ink on the clerk's screen.

The pad shows the declaration and its buttons (:meth:`SignaturePad.declaration`);
pen samples stream from the pad's worker (:class:`PenPump`) into an
:class:`InkView`. Löschen / Neu / Bestätigen work from the clerk's screen and
from the pad's own buttons. A trivial signature is refused with the German
message of :func:`check_signature`. Nobody under 10 signs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from koffer.casework.ausweis_draft import SIGNATURE_PNG, SIGNATURE_STROKES
from koffer.devices.interfaces import ButtonArea, DeviceKind, PenSample, SignaturePad
from koffer.devices.pipelines.signature import (
    CLEAR_BUTTONS,
    OK_BUTTONS,
    Signature,
    check_signature,
    render_png,
)
from koffer.errors import ValidationError
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.bridge import PenPump, QtDevices
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.widgets.ink_view import InkView

DECLARATION = "Ich beantrage einen Personalausweis und bestätige die Richtigkeit meiner Angaben."
PASSPORT_DECLARATION = "Ich beantrage einen Reisepass und bestätige die Richtigkeit meiner Angaben."


@dataclass(frozen=True)
class PadReady:
    size: tuple[int, int]
    buttons: tuple[ButtonArea, ...]


def prepare_pad(device: object, text: str = DECLARATION) -> PadReady:
    """Show the declaration and switch inking on (device thread)."""
    if not isinstance(device, SignaturePad):
        raise TypeError("not a signature pad")
    size = device.screen_size()
    screen = device.declaration(text)
    device.show(screen)
    device.set_inking(True)
    device.read_samples(0.001)  # drop reports from before the declaration
    return PadReady(size, tuple(screen.buttons))


def release_pad(device: object) -> None:
    if isinstance(device, SignaturePad):
        device.set_inking(False)
        device.clear()


def encode_signature(signature: Signature) -> dict[str, bytes]:
    """PNG for documents and the raw samples as JSON (CPU work, off the GUI thread)."""
    strokes = json.dumps(signature.to_json(), separators=(",", ":")).encode()
    return {SIGNATURE_PNG: render_png(signature), SIGNATURE_STROKES: strokes}


class AusweisSignatureScreen(AusweisStep):
    name = "ausweis_signature"
    step = "signature"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.devices = QtDevices.of(kiosk)
        self.pump = PenPump(self.devices, parent=self)
        self.pump.samples.connect(self.add_samples)
        self.pump.failed.connect(self._pad_failed)
        self.samples: list[PenSample] = []
        self.pad: PadReady | None = None
        self.preparing = False
        self.saving = False
        self._pen_down = False

        self.declaration_label = QLabel(self.body)
        self.declaration_label.setObjectName("signature_declaration")
        self.declaration_label.setWordWrap(True)
        self.declaration_label.setProperty("role", "title")
        self.ink = InkView(self.body)
        self.status_label = QLabel(self.body)
        self.status_label.setObjectName("signature_status")
        self.status_label.setWordWrap(True)
        self.clear_button = QPushButton(self.body)
        self.clear_button.setObjectName("signature_clear")
        self.clear_button.clicked.connect(self.clear)
        self.redo_button = QPushButton(self.body)
        self.redo_button.setObjectName("signature_redo")
        self.redo_button.clicked.connect(self.redo)
        self.confirm_button = QPushButton(self.body)
        self.confirm_button.setObjectName("signature_confirm")
        self.confirm_button.setProperty("role", "action")
        self.confirm_button.clicked.connect(self.confirm)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.redo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.declaration_label)
        layout.addWidget(self.ink, 1)
        layout.addWidget(self.status_label)
        self.step_actions.addLayout(buttons)
        self.retranslate()

    def declaration(self) -> str:
        """The declaration shown on the pad (German, as signed)."""
        return PASSPORT_DECLARATION if self.session.draft.is_passport else DECLARATION

    def show_declaration(self) -> None:
        shown = self.tr(self.declaration())
        self.declaration_label.setText(self.tr("Auf dem Pad: „%1“").replace("%1", shown))

    def retranslate(self) -> None:
        super().retranslate()
        self.show_declaration()
        self.clear_button.setText(self.tr("Löschen"))
        self.redo_button.setText(self.tr("Neu unterschreiben"))
        self.confirm_button.setText(self.tr("Unterschrift bestätigen"))
        self.ink.set_hint(self.tr("Live-Ansicht des Unterschriften-Pads"))
        self.show_draft()

    # -- state ---------------------------------------------------------------

    def exempt(self) -> bool:
        age = self.session.draft.age(self.kiosk.context.today())
        return age is not None and age < self.kiosk.context.rules.signature_min_age

    @property
    def confirmed(self) -> bool:
        return bool(self.session.draft.signature_attachments)

    def show_draft(self) -> None:
        self.show_declaration()
        exempt = self.exempt()
        confirmed = self.confirmed
        self.ink.setVisible(not exempt)
        self.clear_button.setVisible(not exempt and not confirmed)
        self.confirm_button.setVisible(not exempt and not confirmed)
        self.redo_button.setVisible(not exempt and confirmed)
        busy = self.preparing or self.saving
        self.confirm_button.setEnabled(not busy and self.pad is not None)
        self.clear_button.setEnabled(not busy)
        if exempt:
            self.status_label.setText(
                self.tr("Keine Unterschrift: die Person ist jünger als 10 Jahre.")
            )
        elif confirmed:
            self.status_label.setText(self.tr("✔ Unterschrift gespeichert."))
        elif self.preparing:
            self.status_label.setText(self.tr("Die Erklärung wird auf dem Pad angezeigt …"))
        elif self.pad is not None:
            self.status_label.setText(
                self.tr("Bitte unterschreiben Sie auf dem Pad und tippen Sie dort auf „OK“.")
            )

    def entered(self) -> None:
        if not self.exempt() and not self.confirmed:
            self.start_pad()
        self.show_draft()

    def left(self) -> None:
        self.stop_pad()

    # -- the pad -------------------------------------------------------------

    def start_pad(self) -> None:
        if self.preparing:
            return
        self.preparing = True
        self.pad = None
        self.samples.clear()
        self.ink.clear()
        self.pump.stop()
        text = self.declaration()
        self.devices.with_device(
            DeviceKind.SIGNATURE_PAD,
            lambda device: prepare_pad(device, text),
            on_success=self._pad_ready,
            on_error=self._pad_failed,
        )
        self.show_draft()

    def _pad_ready(self, ready: PadReady) -> None:
        self.preparing = False
        if not self._active:
            self._release()
            return
        self.pad = ready
        self.ink.set_pad_size(*ready.size)
        self.pump.start()
        self.show_draft()

    def _pad_failed(self, exc: BaseException) -> None:
        self.preparing = False
        self.pump.stop()
        self.pad = None
        self.kiosk.show_error(exc)
        self.status_label.setText(
            self.tr(
                "Das Unterschriften-Pad antwortet nicht. Bitte prüfen Sie das Kabel und "
                "tippen Sie auf „Löschen“, um es erneut zu versuchen."
            )
        )
        self.show_draft()

    def stop_pad(self) -> None:
        if self.pump.running or self.pad is not None:
            self.pump.stop()
            self.pad = None
            self._release()

    def _release(self) -> None:
        self.devices.with_device(
            DeviceKind.SIGNATURE_PAD,
            release_pad,
            on_success=lambda _r: None,
            on_error=lambda _e: None,
        )

    def add_samples(self, batch: Sequence[PenSample]) -> None:
        buttons = self.pad.buttons if self.pad is not None else ()
        ink: list[PenSample] = []
        for sample in batch:
            pressed = sample.touching and not self._pen_down
            self._pen_down = sample.touching
            button = next(
                (b.name for b in buttons if sample.touching and b.contains(sample.x, sample.y)),
                None,
            )
            if button is not None:
                if pressed and button in OK_BUTTONS:
                    self.add_ink(ink)
                    ink = []
                    self.confirm()
                elif pressed and button in CLEAR_BUTTONS:
                    ink = []
                    self.clear()
                continue
            ink.append(sample)
        self.add_ink(ink)

    def add_ink(self, samples: list[PenSample]) -> None:
        if samples:
            self.samples.extend(samples)
            self.ink.add_samples(samples)

    # -- actions ---------------------------------------------------------------

    def clear(self) -> None:
        """Forget the ink and show the declaration again."""
        self.samples.clear()
        self.ink.clear()
        self.start_pad()

    def redo(self) -> None:
        draft = self.session.draft
        names = list(draft.signature_attachments)
        draft.signature_attachments = []
        self.session.save_attachments({name: None for name in names})
        self.start_pad()

    def confirm(self) -> None:
        if self.pad is None or self.saving:
            return
        width, height = self.pad.size
        signature = Signature(tuple(self.samples), width, height)
        try:
            check_signature(signature)
        except ValidationError as exc:
            self.kiosk.show_error(exc)
            self.status_label.setText(self.tr(exc.message))
            return
        self.saving = True
        self.pump.stop()
        self.show_draft()
        self.kiosk.run_in_background(
            lambda: encode_signature(signature), self._encoded, self._encode_failed
        )

    def _encoded(self, files: dict[str, bytes]) -> None:
        self.saving = False
        self.store_signature(files)
        self.stop_pad()
        self.show_draft()

    def store_signature(self, files: dict[str, bytes]) -> None:
        """Record the confirmed signature in the draft and save its attachments."""
        self.session.draft.signature_attachments = [SIGNATURE_PNG, SIGNATURE_STROKES]
        self.session.save_attachments(dict(files))

    def _encode_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.kiosk.show_error(exc)
        self.pump.start()
        self.show_draft()

    def ready_to_continue(self) -> bool:
        if self.exempt() or self.confirmed:
            return True
        self.kiosk.message.emit(
            self.tr(
                "Bitte lassen Sie die Person unterschreiben und bestätigen Sie die Unterschrift."
            )
        )
        return False


SCREEN = AusweisSignatureScreen
