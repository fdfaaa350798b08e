"""The header: screen title, logged-in account, connectivity, quick settings."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from koffer.kiosk.device_status import Connectivity


class Header(QFrame):
    language_clicked = Signal()
    contrast_clicked = Signal()
    lock_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "header")
        self.setObjectName("header")
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.title.setObjectName("header_title")
        self.account = QLabel(self)
        self.account.setObjectName("header_account")
        self.online = QLabel(self)
        self.online.setObjectName("header_connectivity")
        self.language = QPushButton(self)
        self.language.setObjectName("header_language")
        self.contrast = QPushButton(self)
        self.contrast.setObjectName("header_contrast")
        self.contrast.setCheckable(True)
        self.lock = QPushButton(self)
        self.lock.setObjectName("header_lock")
        self.language.clicked.connect(self.language_clicked)
        self.contrast.clicked.connect(self.contrast_clicked)
        self.lock.clicked.connect(self.lock_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 12, 8)
        layout.setSpacing(16)
        layout.addWidget(self.title, 1)
        layout.addWidget(self.online)
        layout.addWidget(self.account)
        layout.addWidget(self.language)
        layout.addWidget(self.contrast)
        layout.addWidget(self.lock)
        self._account_name = ""
        self._connectivity = Connectivity.UNKNOWN
        self._language = "de"
        self.retranslate()

    def set_language(self, language: str) -> None:
        self._language = language
        self.retranslate()

    def set_account(self, name: str) -> None:
        self._account_name = name
        self.lock.setVisible(bool(name))
        self.retranslate()

    def set_connectivity(self, state: Connectivity) -> None:
        self._connectivity = state
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.account.setText(
            self.tr("Angemeldet: %1").replace("%1", self._account_name)
            if self._account_name
            else self.tr("Nicht angemeldet")
        )
        texts = {
            Connectivity.ONLINE: self.tr("● Verbunden"),
            Connectivity.OFFLINE: self.tr("○ Offline"),
            Connectivity.UNKNOWN: self.tr("○ Verbindung unbekannt"),
        }
        self.online.setText(texts[self._connectivity])
        # the button names the language it switches *to*, in that language
        self.language.setText("Deutsch" if self._language == "en" else "English")
        self.language.setToolTip(self.tr("Sprache der Oberfläche wechseln"))
        self.contrast.setText(self.tr("Kontrast"))
        self.contrast.setToolTip(self.tr("Hoher Kontrast ein/aus"))
        self.lock.setText(self.tr("Sperren"))
