"""The device status bar: one entry per configured device kind.

Each entry reads "✔ Kamera: bereit". When the entries do not fit the
window's width in one row (six devices on a 1280 px screen), they show the
symbol and the device only ("✔ Kamera", "✖ Kamera": symbol and colour tell
the state); the full text stays the entry's tooltip and accessible name.
The bar never widens the window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from koffer.devices.interfaces import DeviceKind
from koffer.kiosk.device_status import DeviceState


def kind_label(kind: DeviceKind) -> str:
    names = {
        DeviceKind.FINGERPRINT: QCoreApplication.translate("DeviceNames", "Fingerabdruckscanner"),
        DeviceKind.SIGNATURE_PAD: QCoreApplication.translate("DeviceNames", "Unterschriften-Pad"),
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
        self._compact = False
        self._row = layout = QHBoxLayout(self)
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
        """The entry's full text (as a screen reader announces it)."""
        return self._labels[kind].accessibleName()

    def _full_width(self, compact: bool) -> int:
        layout = self._row
        margins = layout.contentsMargins()
        metrics = self.fontMetrics()
        texts = [self._entry(kind, compact=compact) for kind in self._labels]
        spacing = layout.spacing() * max(0, len(texts) - 1)
        extra = margins.left() + margins.right() + spacing
        # bold state labels: measure generously (10 %)
        return extra + sum(int(metrics.horizontalAdvance(t) * 1.1) + 4 for t in texts)

    def _entry(self, kind: DeviceKind, *, compact: bool) -> str:
        state = self._states[kind]
        if compact:
            return f"{_SYMBOL[state]} {kind_label(kind)}"
        return f"{_SYMBOL[state]} {kind_label(kind)}: {state_label(state)}"

    def resizeEvent(self, event: QResizeEvent) -> None:
        compact = self._full_width(compact=False) > event.size().width()
        if compact != self._compact:
            self._compact = compact
            self.retranslate()
        super().resizeEvent(event)

    def _render(self, kind: DeviceKind) -> None:
        label = self._labels[kind]
        state = self._states[kind]
        full = self._entry(kind, compact=False)
        compact = self._entry(kind, compact=True)
        label.setText(self._entry(kind, compact=self._compact))
        # the bar may shrink to the compact texts; narrower, it switches to them
        label.setMinimumWidth(int(label.fontMetrics().horizontalAdvance(compact) * 1.1) + 4)
        label.setToolTip(full)
        label.setAccessibleName(full)
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
