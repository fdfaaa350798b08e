"""Step 2: the biometric photo — live preview, still, basic checks, or a studio code.

The preview runs at a few frames per second: each frame is fetched and
converted on the camera's own worker thread, and a new one is requested only
when the last has arrived. The checks are heuristics and are labelled
"keine zertifizierte Qualitätsprüfung".
"""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from koffer.cases import PhotoSource
from koffer.casework.ausweis_draft import PHOTO_ATTACHMENT
from koffer.devices.interfaces import Camera, DeviceKind
from koffer.devices.pipelines.photo import LABEL, PhotoResult, capture_photo
from koffer.kiosk.controller import KioskController
from koffer.kiosk.devices.bridge import QtDevices
from koffer.kiosk.screens.ausweis_base import AusweisStep
from koffer.kiosk.widgets.photo_preview import PhotoPreview, to_qimage

PREVIEW_INTERVAL_MS = 250  # 4 frames per second


def _camera(device: object) -> Camera:
    if not isinstance(device, Camera):
        raise TypeError("not a camera")
    return device


def grab_preview(device: object) -> QImage:
    """One preview frame as a QImage (device thread)."""
    return to_qimage(_camera(device).frame())


def take_still(device: object) -> tuple[PhotoResult, QImage]:
    """A checked still and its image for the screen (device thread)."""
    result = capture_photo(_camera(device))
    with Image.open(io.BytesIO(result.jpeg)) as image:
        return result, to_qimage(image)


class AusweisPhotoScreen(AusweisStep):
    name = "ausweis_photo"
    step = "photo"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.devices = QtDevices.of(kiosk)
        self._frame_job: int | None = None
        self._capturing = False
        self.preview = PhotoPreview(self.body)
        self.source_group = QButtonGroup(self)
        self.source_authority = QRadioButton(self.body)
        self.source_authority.setObjectName("photo_source_authority")
        self.source_code = QRadioButton(self.body)
        self.source_code.setObjectName("photo_source_code")
        self.source_group.addButton(self.source_authority)
        self.source_group.addButton(self.source_code)
        self.source_authority.toggled.connect(self._source_changed)
        self.capture_button = QPushButton(self.body)
        self.capture_button.setObjectName("photo_capture")
        self.capture_button.setMinimumHeight(64)
        self.capture_button.clicked.connect(self.capture)
        self.retake_button = QPushButton(self.body)
        self.retake_button.setObjectName("photo_retake")
        self.retake_button.clicked.connect(self.retake)
        self.checks_heading = QLabel(self.body)
        self.checks_heading.setProperty("role", "title")
        self.checks_label = QLabel(self.body)
        self.checks_label.setObjectName("photo_checks")
        self.checks_label.setWordWrap(True)
        self.certified_label = QLabel(self.body)
        self.certified_label.setObjectName("photo_not_certified")
        self.certified_label.setProperty("role", "hint")
        self.certified_label.setWordWrap(True)
        self.code_label = QLabel(self.body)
        self.code_edit = QLineEdit(self.body)
        self.code_edit.setObjectName("photo_cloud_code")
        self.code_edit.textEdited.connect(self._code_changed)
        self.code_label.setBuddy(self.code_edit)
        side = QVBoxLayout()
        side.setSpacing(10)
        side.addWidget(self.source_authority)
        side.addWidget(self.source_code)
        side.addSpacing(8)
        side.addWidget(self.capture_button)
        side.addWidget(self.retake_button)
        side.addSpacing(8)
        side.addWidget(self.checks_heading)
        side.addWidget(self.checks_label)
        side.addWidget(self.certified_label)
        side.addSpacing(8)
        side.addWidget(self.code_label)
        side.addWidget(self.code_edit)
        side.addStretch(1)
        layout = QHBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(32)
        layout.addWidget(self.preview, 3)
        layout.addLayout(side, 2)
        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_INTERVAL_MS)
        self.timer.timeout.connect(self._request_frame)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.source_authority.setText(self.tr("Foto hier aufnehmen (Gebühr 6,00 EUR)"))
        self.source_code.setText(self.tr("Lichtbild-Code des Fotostudios"))
        self.capture_button.setText(self.tr("Foto aufnehmen"))
        self.retake_button.setText(self.tr("Neues Foto"))
        self.checks_heading.setText(self.tr("Prüfung des Fotos"))
        self.certified_label.setText(
            self.tr("Hinweis: %1. Bitte sehen Sie sich das Foto selbst an.").replace(
                "%1", self.tr(LABEL)
            )
        )
        self.code_label.setText(self.tr("Lichtbild-Code (DataMatrix)"))
        self.render_checks()

    # -- state ---------------------------------------------------------------

    @property
    def authority(self) -> bool:
        return self.session.draft.photo_source == PhotoSource.AUTHORITY_CAPTURE.value

    def show_draft(self) -> None:
        draft = self.session.draft
        self.source_authority.blockSignals(True)
        self.source_authority.setChecked(self.authority)
        self.source_code.setChecked(not self.authority)
        self.source_authority.blockSignals(False)
        self.code_edit.setText(draft.cloud_code)
        self._update_controls()
        self.render_checks()
        if draft.photo_attachment and not self.preview.has_image():
            self._load_still()

    def _update_controls(self) -> None:
        authority = self.authority
        captured = bool(self.session.draft.photo_attachment)
        self.capture_button.setVisible(authority and not captured)
        self.retake_button.setVisible(authority and captured)
        self.capture_button.setEnabled(not self._capturing)
        self.preview.setVisible(authority)
        for widget in (self.checks_heading, self.checks_label, self.certified_label):
            widget.setVisible(authority)
        self.code_label.setVisible(not authority)
        self.code_edit.setVisible(not authority)
        live = authority and not captured and self._active
        if live and not self.timer.isActive():
            self.timer.start()
        elif not live:
            self.timer.stop()
        self.preview.set_caption("" if captured else self.tr("Live-Vorschau"))

    def render_checks(self) -> None:
        draft = self.session.draft
        if not draft.photo_attachment:
            self.checks_label.setText(self.tr("Noch kein Foto aufgenommen."))
        elif draft.photo_problems:
            self.checks_label.setText("\n".join(f"⚠ {self.tr(p)}" for p in draft.photo_problems))
        else:
            self.checks_label.setText(
                self.tr("✔ Gesicht erkannt, mittig, Größe und Helligkeit in Ordnung.")
            )

    def entered(self) -> None:
        self._update_controls()

    def left(self) -> None:
        self.timer.stop()
        if self._frame_job is not None:
            self.devices.forget(self._frame_job)
            self._frame_job = None

    # -- preview -------------------------------------------------------------

    def _request_frame(self) -> None:
        if self._frame_job is not None or self._capturing:
            return
        self._frame_job = self.devices.with_device(
            DeviceKind.CAMERA, grab_preview, on_success=self._frame, on_error=self._frame_failed
        )

    def _frame(self, image: QImage) -> None:
        self._frame_job = None
        if self.timer.isActive():
            self.preview.set_image(image)

    def _frame_failed(self, exc: BaseException) -> None:
        self._frame_job = None
        self.timer.stop()
        self.kiosk.show_error(exc)
        self.capture_button.setText(self.tr("Erneut versuchen"))

    # -- capture -------------------------------------------------------------

    def capture(self) -> None:
        if self._capturing:
            return
        self._capturing = True
        self.timer.stop()
        self.capture_button.setEnabled(False)
        self.devices.with_device(
            DeviceKind.CAMERA, take_still, on_success=self._captured, on_error=self._capture_failed
        )

    def _captured(self, result: tuple[PhotoResult, QImage]) -> None:
        photo, image = result
        self._capturing = False
        self.preview.set_image(image)
        draft = self.session.draft
        draft.photo_source = PhotoSource.AUTHORITY_CAPTURE.value
        draft.photo_attachment = PHOTO_ATTACHMENT
        draft.photo_problems = list(photo.check.problems)
        self.session.save_attachments({PHOTO_ATTACHMENT: photo.jpeg})
        self.capture_button.setText(self.tr("Foto aufnehmen"))
        self._update_controls()
        self.render_checks()

    def _capture_failed(self, exc: BaseException) -> None:
        self._capturing = False
        self.kiosk.show_error(exc)
        self.capture_button.setText(self.tr("Erneut versuchen"))
        self._update_controls()

    def retake(self) -> None:
        draft = self.session.draft
        draft.photo_attachment = ""
        draft.photo_problems = []
        self.session.save_attachments({PHOTO_ATTACHMENT: None})
        self.preview.clear()
        self._update_controls()
        self.render_checks()

    def _load_still(self) -> None:
        from koffer.casework.case_store import load_attachment

        session = self.kiosk.session
        case_id = self.session.case_id
        if session is None or case_id is None:
            return
        store = session.store

        def op() -> QImage:
            data = load_attachment(store, case_id, PHOTO_ATTACHMENT)
            with Image.open(io.BytesIO(data)) as image:
                return to_qimage(image)

        self.kiosk.run_in_store(op, self.preview.set_image, lambda _exc: None)

    # -- source --------------------------------------------------------------

    def _source_changed(self, authority: bool) -> None:
        draft = self.session.draft
        draft.photo_source = (
            PhotoSource.AUTHORITY_CAPTURE.value
            if authority
            else PhotoSource.PROVIDER_CLOUD_CODE.value
        )
        self.session.touch()
        self._update_controls()

    def _code_changed(self, text: str) -> None:
        self.session.draft.cloud_code = text
        self.session.touch()

    def ready_to_continue(self) -> bool:
        draft = self.session.draft
        if self.authority and not draft.photo_attachment:
            self.kiosk.message.emit(self.tr("Bitte nehmen Sie zuerst das Foto auf."))
            return False
        if not self.authority and not draft.cloud_code.strip():
            self.kiosk.message.emit(
                self.tr("Bitte scannen Sie den Lichtbild-Code des Fotostudios.")
            )
            self.code_edit.setFocus()
            return False
        return True


SCREEN = AusweisPhotoScreen
