"""A message line above the screen content (errors, notices); not modal."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class MessageBanner(QFrame):
    """Shows one message until closed or until it times out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("message_banner")
        self.text = QLabel(self)
        self.text.setProperty("role", "error")
        self.text.setWordWrap(True)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setText(self.tr("Schließen"))

    def show_message(self, message: str, seconds: float = 20.0) -> None:
        self.text.setText(message)
        self.show()
        self._timer.start(int(seconds * 1000))

    def message(self) -> str:
        return "" if self.isHidden() else self.text.text()
