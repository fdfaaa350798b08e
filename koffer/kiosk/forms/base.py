"""A form of validated text fields and choice boxes laid out in a grid.

Subclasses declare their fields in :meth:`Form.build`; every change emits
:attr:`Form.changed` ``(key, value)`` immediately, so the wizard can save it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from koffer.kiosk.validation import Validator, required_message
from koffer.kiosk.widgets.field import ValidatedField


class ChoiceField(QWidget):
    """A labelled combo box whose values are stable codes."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.label = QLabel(self)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"field_{key}")
        self.label.setBuddy(self.combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.combo)
        layout.addStretch(1)

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        """``options``: (code, label) pairs; keeps the current code."""
        current = self.value()
        self.combo.blockSignals(True)
        self.combo.clear()
        for code, label in options:
            self.combo.addItem(label, code)
        self.combo.blockSignals(False)
        if current:
            self.set_value(current)

    def value(self) -> str:
        data = self.combo.currentData()
        return data if isinstance(data, str) else ""

    def set_value(self, code: str) -> None:
        index = self.combo.findData(code)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)


class Form(QWidget):
    """Grid of fields; texts in :meth:`retranslate`."""

    changed = Signal(str, str)

    def __init__(self, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, ValidatedField] = {}
        self.choices: dict[str, ChoiceField] = {}
        self._order: list[QWidget] = []
        self._placeholders: dict[str, Callable[[], str]] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(12)
        self._columns = columns
        self._cell = 0
        self.build()
        for column in range(columns):
            self._grid.setColumnStretch(column, 1)
        self._grid.setRowStretch(self._grid.rowCount(), 1)
        previous: QWidget | None = None
        for widget in self._order:
            if previous is not None:
                QWidget.setTabOrder(previous, widget)
            previous = widget
        self.retranslate()

    def build(self) -> None:
        """Add the fields (subclasses)."""

    def retranslate(self) -> None:
        """Set labels and options (subclasses call this at their end)."""
        self.apply_placeholders()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for field in self.fields.values():
                if field.text():
                    field.validate()
        super().changeEvent(event)

    def _place(self, widget: QWidget, span: int) -> None:
        if self._cell % self._columns + span > self._columns:
            self._cell += self._columns - self._cell % self._columns
        row, column = divmod(self._cell, self._columns)
        self._grid.addWidget(widget, row, column, 1, span)
        self._cell += span

    def add_text(
        self,
        key: str,
        validator: Validator | None = None,
        *,
        required: bool = False,
        span: int = 1,
        placeholder: Callable[[], str] | None = None,
    ) -> ValidatedField:
        field = ValidatedField(key, validator, required=required, parent=self)
        field.set_required_message(required_message)
        field.edited.connect(lambda text, k=key: self.changed.emit(k, text))
        self.fields[key] = field
        self._order.append(field.edit)
        self._place(field, span)
        if placeholder is not None:
            self._placeholders[key] = placeholder
        return field

    def apply_placeholders(self) -> None:
        for key, text in self._placeholders.items():
            self.fields[key].edit.setPlaceholderText(text())

    def add_choice(self, key: str, *, span: int = 1) -> ChoiceField:
        choice = ChoiceField(key, self)
        choice.combo.currentIndexChanged.connect(
            lambda _index, k=key, c=choice: self.changed.emit(k, c.value())
        )
        self.choices[key] = choice
        self._order.append(choice.combo)
        self._place(choice, span)
        return choice

    def load(self, values: Mapping[str, str]) -> None:
        """Show ``values`` without emitting :attr:`changed`."""
        for key, field in self.fields.items():
            field.set_text(values.get(key, ""))
            if not values.get(key):
                field.validate()
        for key, choice in self.choices.items():
            choice.set_value(values.get(key, ""))

    def values(self) -> dict[str, str]:
        result = {key: field.text() for key, field in self.fields.items()}
        result.update({key: choice.value() for key, choice in self.choices.items()})
        return result

    def validate_all(self) -> bool:
        """Check every field, including required ones; focus the first problem."""
        first: ValidatedField | None = None
        for field in self.fields.values():
            if not field.validate(final=True) and first is None:
                first = field
        if first is not None:
            first.edit.setFocus()
        return first is None

    def first_input(self) -> QWidget | None:
        return self._order[0] if self._order else None
