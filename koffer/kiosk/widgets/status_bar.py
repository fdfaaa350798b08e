"""The device status bar: one entry per configured device kind."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from koffer.devices.interfaces import DeviceKind
from koffer.kiosk.device_status import DeviceState


def kind_label(kind: DeviceKind) -> str:
    names = {
        DeviceKind.FINGERPRINT: QCoreApplication.translate("DeviceNames", "Fingerabdruck"),
        DeviceKind.SIGNATURE_PAD: QCoreApplication.translate("DeviceNames", "Unterschrift"),
        DeviceKind.RECEIPT_PRINTER: QCoreApplication.translate("DeviceNames", "Bondrucker"),
        DeviceKind.DOCUMENT_PRINTER: QCoreApplication.translate("DeviceNames", "A4-Drucker"),
        DeviceKind.CAMERA: QCoreApplication.translate("DeviceNames", "Kamera"),
        DeviceKind.PAYMENT_TERMINAL: QCoreApplication.translate("DeviceNames", "Kartenterminal"),
    }
    return names[kind]


def state_label(state: DeviceState) -> str:
    names = {
        DeviceState.OK: QCoreApplication.translate("DeviceNames", "bereit"),
        DeviceState.MISSING: QCoreApplication.translate("DeviceNames", "fehlt"),
        DeviceState.ERROR: QCoreApplication.translate("DeviceNames", "Fehler"),
        DeviceState.UNKNOWN: QCoreApplication.translate("DeviceNames", "prüfe …"),
    }
    return names[state]


_SYMBOL = {
    DeviceState.OK: "✔",
    DeviceState.MISSING: "✖",
    DeviceState.ERROR: "⚠",
    DeviceState.UNKNOWN: "…",
}


class DeviceStatusBar(QFrame):
    def __init__(self, kinds: list[DeviceKind], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "statusbar")
        self.setObjectName("device_status_bar")
        self._labels: dict[DeviceKind, QLabel] = {}
        self._states: dict[DeviceKind, DeviceState] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 6, 20, 6)
        layout.setSpacing(28)
        for kind in kinds:
            label = QLabel(self)
            label.setObjectName(f"device_{kind.value}")
            self._labels[kind] = label
            self._states[kind] = DeviceState.UNKNOWN
            layout.addWidget(label)
        layout.addStretch(1)
        self.retranslate()

    def set_state(self, kind: str, state: str) -> None:
        device = DeviceKind(kind)
        if device not in self._labels:
            return
        self._states[device] = DeviceState(state)
        self._render(device)

    def text(self, kind: DeviceKind) -> str:
        return self._labels[kind].text()

    def _render(self, kind: DeviceKind) -> None:
        label = self._labels[kind]
        state = self._states[kind]
        label.setText(f"{_SYMBOL[state]} {kind_label(kind)}: {state_label(state)}")
        label.setProperty("state", state.value)
        label.style().unpolish(label)
        label.style().polish(label)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for kind in self._labels:
            self._render(kind)
