"""Accessible names and descriptions for every interactive widget (BITV 2.0 / WCAG 4.1.2).

One generic rule instead of a call per widget: after a screen's texts are set
(:meth:`Screen.retranslate`, :meth:`Screen.enter`) and whenever a widget gets
the focus, :func:`name_widgets` gives each interactive widget that has no
explicit name

- a button, check box or radio button: its text without symbols (✔, ▼, →);
- a text field, choice box, date field, list or table: the text of the label
  whose buddy it is, else the label just before it in its layout (the
  heading), else its placeholder;
- else its tool tip.

The description is the tool tip, else the placeholder, else the page the
widget is on. Names and descriptions set explicitly in code (an icon-only
button, the hand diagram) are kept: the rule only replaces what it set itself.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: dynamic properties remembering what this module set (so explicit texts win)
_AUTO_NAME = "a11y_auto_name"
_AUTO_DESCRIPTION = "a11y_auto_description"

_INPUTS = (
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def plain_text(text: str) -> str:
    """``text`` without symbols, mnemonics, the required-field star and a trailing colon."""
    kept = "".join(
        ch
        for ch in text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not unicodedata.category(ch).startswith("S") or ch in "€%+"
    )
    words = " ".join(kept.split())
    words = words.removesuffix("*").strip().removesuffix(":").strip()
    return words


def interactive(widget: QWidget) -> bool:
    """Whether a person can operate ``widget`` (it takes the focus)."""
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or isinstance(
        widget, QAbstractButton
    )


def _buddy_label(widget: QWidget, labels: list[QLabel]) -> str:
    for label in labels:
        if label.buddy() is widget and label.text():
            return plain_text(label.text())
    return ""


def _heading(widget: QWidget) -> str:
    """The text of the label laid out just before ``widget`` (or its container)."""
    current: QWidget | None = widget
    for _ in range(5):  # the widget and the containers around it
        if current is None:
            return ""
        parent = current.parentWidget()
        layout = parent.layout() if parent is not None else None
        if parent is not None and layout is not None:
            index = layout.indexOf(current)
            for position in range(index - 1, -1, -1):
                item = layout.itemAt(position)
                before = item.widget() if item is not None else None
                if isinstance(before, QLabel) and before.text() and before.buddy() is None:
                    return plain_text(before.text())
        current = parent
    return ""


def _auto_name(widget: QWidget, labels: list[QLabel], page: str) -> str:
    combo = widget.parentWidget()
    while combo is not None and not isinstance(combo, QComboBox):
        combo = combo.parentWidget()
    if combo is not None:  # the list a choice box opens
        return combo.accessibleName() or _auto_name(combo, labels, page)
    if widget.objectName() == "qt_tableview_cornerbutton":
        return QCoreApplication.translate("Accessibility", "Alle auswählen")
    if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, _INPUTS):
        return QCoreApplication.translate("Accessibility", "Inhalt der Seite")
    if isinstance(widget, QAbstractButton):
        name = plain_text(widget.text())
        if name:
            return name
    elif isinstance(widget, _INPUTS):
        name = _buddy_label(widget, labels) or _heading(widget)
        if name:
            return name
        placeholder = getattr(widget, "placeholderText", None)
        if callable(placeholder) and placeholder():
            return plain_text(str(placeholder()))
    return plain_text(widget.toolTip()) or _heading(widget) or page


def _auto_description(widget: QWidget, page: str) -> str:
    if widget.toolTip():
        return plain_text(widget.toolTip())
    placeholder = getattr(widget, "placeholderText", None)
    if callable(placeholder) and placeholder():
        return plain_text(str(placeholder()))
    if page:
        return QCoreApplication.translate("Accessibility", "Seite: %1").replace("%1", page)
    return QCoreApplication.translate("Accessibility", "Bürgerservice-Koffer")


def name_widget(widget: QWidget, page: str = "", labels: list[QLabel] | None = None) -> None:
    """Name and describe one widget, unless code set its texts explicitly."""
    if labels is None:
        window = widget.window()
        labels = window.findChildren(QLabel) if window is not None else []
    owned_name = widget.property(_AUTO_NAME)
    if not widget.accessibleName() or widget.accessibleName() == owned_name:
        name = _auto_name(widget, labels, page)
        widget.setAccessibleName(name)
        widget.setProperty(_AUTO_NAME, name)
    owned_description = widget.property(_AUTO_DESCRIPTION)
    description = widget.accessibleDescription()
    if not description or description == owned_description:
        text = _auto_description(widget, page)
        widget.setAccessibleDescription(text)
        widget.setProperty(_AUTO_DESCRIPTION, text)


def name_widgets(root: QWidget, page: str = "") -> None:
    """Name and describe every interactive widget under ``root`` (``page``: its title)."""
    labels = root.findChildren(QLabel)
    for widget in root.findChildren(QWidget):
        if interactive(widget):
            name_widget(widget, page, labels)


#: names of the drawn widgets the generic rule cannot know (set by class)
def _drawn_names() -> dict[str, tuple[str, str]]:
    return {
        "HandDiagram": (
            QCoreApplication.translate("Accessibility", "Handskizze"),
            QCoreApplication.translate(
                "Accessibility",
                "Zeigt, welche Finger erfasst sind. Tippen Sie auf einen Finger, um ihn zu wählen.",
            ),
        ),
        "InkView": (
            QCoreApplication.translate("Accessibility", "Unterschriftsfeld"),
            QCoreApplication.translate(
                "Accessibility", "Zeigt die Unterschrift, während Sie auf dem Pad schreiben."
            ),
        ),
        "PhotoPreview": (
            QCoreApplication.translate("Accessibility", "Passbild-Vorschau"),
            QCoreApplication.translate(
                "Accessibility", "Zeigt das Lichtbild im Format 35 × 45 mm."
            ),
        ),
    }


class DrawnWidgetNames(QObject):
    """Keeps the names of drawn widgets in the active language (an event filter)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        widget.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        name, description = _drawn_names()[type(self._widget).__name__]
        self._widget.setAccessibleName(name)
        self._widget.setAccessibleDescription(description)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.LanguageChange:
            self.apply()
        return False
