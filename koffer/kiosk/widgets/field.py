"""A labelled text field that validates as you type and explains the problem."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

#: returns None when the text is acceptable, else the message to show
Validator = Callable[[str], str | None]


class ValidatedField(QWidget):
    """Label, line edit and an inline error line under the field.

    ``edited(text)`` is emitted on every change (for continuous saving), also
    when the text is invalid: nothing typed is ever dropped.
    """

    edited = Signal(str)

    def __init__(
        self,
        key: str,
        validator: Validator | None = None,
        *,
        required: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self._validator = validator
        self._required = required
        self._required_message: Callable[[], str] = lambda: ""
        self.label = QLabel(self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"field_{key}")
        self.label.setBuddy(self.edit)
        self.error = QLabel(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setObjectName(f"error_{key}")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.edit.textEdited.connect(self._on_edited)

    def set_label(self, text: str) -> None:
        self.label.setText(text + (" *" if self._required else ""))
        self.edit.setAccessibleName(text)

    def set_required_message(self, message: Callable[[], str]) -> None:
        self._required_message = message

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        """Set the value without emitting :attr:`edited` (loading a draft)."""
        self.edit.setText(text)
        self.validate()

    def error_text(self) -> str | None:
        return self.error.text() if self.error.isVisibleTo(self) else None

    def validate(self, *, final: bool = False) -> bool:
        """Check the text; ``final`` also reports a missing required value."""
        text = self.edit.text()
        message: str | None = None
        if not text.strip():
            if final and self._required:
                message = self._required_message()
        elif self._validator is not None:
            message = self._validator(text)
        self._show(message)
        return message is None

    def _show(self, message: str | None) -> None:
        invalid = message is not None
        self.error.setText(message or "")
        self.error.setVisible(invalid)
        self.edit.setAccessibleDescription(message or "")
        if self.edit.property("invalid") != invalid:
            self.edit.setProperty("invalid", invalid)
            style = self.edit.style()
            style.unpolish(self.edit)
            style.polish(self.edit)

    def _on_edited(self, text: str) -> None:
        self.validate()
        self.edited.emit(text)
