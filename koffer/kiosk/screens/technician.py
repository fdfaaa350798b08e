"""Technician: device self-test with results, device settings, log view.

The self-test (:func:`koffer.devices.selftest.run_selftest`) runs in the
background. The log view shows the kiosk's own log records, which by policy
carry no personal data (error types and code locations only).
"""

from __future__ import annotations

import collections
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.theme import MIN_TARGET
from koffer.kiosk.widgets.scrolling import scrolled

if TYPE_CHECKING:
    from koffer.devices.config import DeviceSettings
    from koffer.devices.selftest import SelfTestResult


class RingLog(logging.Handler):
    """The last ``size`` log lines of the ``koffer`` loggers, in memory only."""

    def __init__(self, size: int = 500) -> None:
        super().__init__(logging.INFO)
        self.lines: collections.deque[str] = collections.deque(maxlen=size)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a log record must never break the kiosk
            self.handleError(record)


_RING: RingLog | None = None


def ring_log() -> RingLog:
    """The process-wide ring buffer (installed on the ``koffer`` logger once)."""
    global _RING
    if _RING is None:
        _RING = RingLog()
        logger = logging.getLogger("koffer")
        logger.addHandler(_RING)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    return _RING


def device_settings(kiosk: KioskController) -> DeviceSettings:
    from koffer.devices.config import DeviceSettings

    demo = kiosk.context.mode == "demo"
    return DeviceSettings.from_config(kiosk.context.config, simulate=demo, validate=False)


class TechnicianScreen(Screen):
    name = "technician"
    escape_goes_back = False

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.results: list[SelfTestResult] = []
        self.running = False
        self.log = ring_log()
        self.results_heading = QLabel(self)
        self.results_heading.setProperty("role", "title")
        self.summary = QLabel(self)
        self.summary.setObjectName("technician_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("technician_results")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setMinimumSectionSize(MIN_TARGET)
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        for column in (0, 1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # details and model wrap inside the width that is left: nothing hides
        # behind a horizontal scrollbar
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.settings_heading = QLabel(self)
        self.settings_heading.setProperty("role", "title")
        self.settings_view = QLabel(self)
        self.settings_view.setObjectName("technician_settings")
        self.settings_view.setWordWrap(True)
        self.log_heading = QLabel(self)
        self.log_heading.setProperty("role", "title")
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("technician_log")
        self.log_view.setReadOnly(True)
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("technician_run")
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(self.run_selftest)
        self.outbox_button = QPushButton(self)
        self.outbox_button.setObjectName("technician_outbox")
        self.outbox_button.clicked.connect(lambda: self.kiosk.go("outbox"))
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self._render_log)
        self.home_button = QPushButton(self)
        self.home_button.setObjectName("technician_home")
        self.home_button.clicked.connect(lambda: self.kiosk.go(self.kiosk.home()))
        # results across the full width; settings and the log side by side below
        settings = QVBoxLayout()
        settings.addWidget(self.settings_heading)
        settings.addWidget(self.settings_view)
        settings.addStretch(1)
        log_box = QVBoxLayout()
        log_box.addWidget(self.log_heading)
        log_box.addWidget(self.log_view, 1)
        log_box.addWidget(self.refresh_button)
        below = QHBoxLayout()
        below.setSpacing(24)
        below.addLayout(settings, 2)
        below.addLayout(log_box, 3)
        content = QWidget(self)
        stacked = QVBoxLayout(content)
        stacked.setContentsMargins(0, 0, 0, 0)
        stacked.addWidget(self.results_heading)
        stacked.addWidget(self.summary)
        stacked.addWidget(self.table, 3)
        stacked.addLayout(below, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.home_button)
        buttons.addWidget(self.outbox_button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addWidget(scrolled(content, self), 1)
        layout.addLayout(buttons)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Technik")

    def retranslate(self) -> None:
        self.results_heading.setText(self.tr("Selbsttest der Geräte"))
        self.settings_heading.setText(self.tr("Geräte-Einstellungen"))
        self.log_heading.setText(self.tr("Protokoll (ohne personenbezogene Daten)"))
        self.run_button.setText(self.tr("Selbsttest starten"))
        self.outbox_button.setText(self.tr("Postausgang"))
        self.refresh_button.setText(self.tr("Protokoll aktualisieren"))
        self.home_button.setText(self.tr("Zur Übersicht"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Gerät"),
                self.tr("Ergebnis"),
                self.tr("Details"),
                self.tr("Modell"),
                self.tr("Dauer"),
            ]
        )
        self._render()

    def enter(self, params: Params) -> None:
        del params
        # a technician's start screen is this one: no way "back" to offer
        self.home_button.setVisible(self.kiosk.home() != self.name)
        self._render_settings()
        self._render_log()

    def first_focus(self) -> QWidget | None:
        return self.run_button

    def _render_settings(self) -> None:
        from koffer.devices.registry import KIND_NAMES

        try:
            settings = device_settings(self.kiosk)
        except Exception as exc:
            self.settings_view.setText(str(getattr(exc, "message", type(exc).__name__)))
            return
        lines = []
        for device in settings.devices:
            required = self.tr("erforderlich") if device.required else self.tr("optional")
            lines.append(
                f"{KIND_NAMES.get(device.kind, device.kind.value)}: {device.type} ({required})"
            )
        self.settings_view.setText("\n".join(lines) or self.tr("Keine Geräte eingerichtet."))

    def _render_log(self) -> None:
        self.log_view.setPlainText("\n".join(self.log.lines))
        bar = self.log_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    def run_selftest(self) -> None:
        if self.running:
            return
        self.running = True
        self._render()
        kiosk = self.kiosk

        def op() -> list[SelfTestResult]:
            from koffer.devices.selftest import run_selftest

            return run_selftest(device_settings(kiosk), step_timeout=15.0)

        self.kiosk.run_in_background(op, self._done, self._failed)

    def _done(self, results: list[SelfTestResult]) -> None:
        self.running = False
        self.results = results
        # the technician reads this line on the screen: German, no personal data
        logging.getLogger(__name__).info(
            "Selbsttest: %d von %d Geräten in Ordnung", sum(r.ok for r in results), len(results)
        )
        self._render()
        self._render_log()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self._render()
        self.kiosk.show_error(exc)

    def _render(self) -> None:
        from koffer.devices.interfaces import DeviceKind
        from koffer.devices.registry import KIND_NAMES

        self.table.setRowCount(len(self.results))
        for row, result in enumerate(self.results):
            try:
                kind = KIND_NAMES[DeviceKind(result.kind)]
            except (KeyError, ValueError):
                kind = result.kind
            verdict = self.tr("✔ in Ordnung") if result.ok else self.tr("✖ Fehler")
            values = [kind, verdict, result.detail, result.model, f"{result.duration_ms} ms"]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        if self.running:
            text = self.tr("Der Selbsttest läuft …")
        elif not self.results:
            text = self.tr("Noch kein Selbsttest in dieser Sitzung.")
        else:
            failed = [r for r in self.results if not r.ok and r.required]
            text = (
                self.tr("Alle erforderlichen Geräte sind einsatzbereit.")
                if not failed
                else self.tr("%1 erforderliche Geräte haben Fehler.").replace(
                    "%1", str(len(failed))
                )
            )
        self.summary.setText(text)
        self.run_button.setEnabled(not self.running)


SCREEN = TechnicianScreen
