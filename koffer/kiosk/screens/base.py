"""The base class of every screen and its keyboard conventions.

- Enter in a text field moves to the next field; on the last field, or on a
  button, Enter continues (:meth:`Screen.proceed`, or clicks the button).
- Escape goes back (:meth:`Screen.go_back`) unless the screen forbids it.
- Texts are set in :meth:`Screen.retranslate`, which runs again whenever the
  UI language changes.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QWidget,
)

from koffer.kiosk.accessibility import name_widgets
from koffer.kiosk.controller import KioskController
from koffer.kiosk.controller import Params as Params


class Screen(QWidget):
    """A full page in the navigator."""

    #: unique key used by the navigator
    name: ClassVar[str] = ""
    #: Escape returns to the previous screen
    escape_goes_back: ClassVar[bool] = True
    #: only reachable with someone logged in
    needs_session: ClassVar[bool] = True

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.setObjectName(f"screen_{self.name}")

    # -- life cycle ------------------------------------------------------

    def title(self) -> str:
        """Shown in the header."""
        return ""

    def enter(self, params: Params) -> None:
        """Called each time the screen is shown."""
        del params

    def leave(self) -> None:
        """Called when another screen is shown."""

    def retranslate(self) -> None:
        """Set every visible text (again)."""

    def state(self) -> Params:
        """Parameters that bring this screen back after a screen lock."""
        return {}

    # -- keyboard --------------------------------------------------------

    def proceed(self) -> None:
        """The screen's main action (Enter)."""

    def go_back(self) -> None:
        self.kiosk.back()

    def first_focus(self) -> QWidget | None:
        """The widget that gets the keyboard focus on entry."""
        return None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.name_for_assistive_technology()
        super().changeEvent(event)

    def name_for_assistive_technology(self) -> None:
        """Give every interactive widget an accessible name and description (again)."""
        name_widgets(self, self.title())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            elif isinstance(focus, QLineEdit | QComboBox | QDateEdit | QCheckBox):
                if not self._focus_next_input(focus):
                    self.proceed()
            else:
                self.proceed()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and self.escape_goes_back:
            self.go_back()
            event.accept()
            return
        super().keyPressEvent(event)

    def _focus_next_input(self, current: QWidget) -> bool:
        """Move to the next input field after ``current``; False if it is the last."""
        widget = current.nextInFocusChain()
        while widget is not None and widget is not current:
            if not self.isAncestorOf(widget):
                return False
            if (
                isinstance(widget, QLineEdit | QComboBox | QDateEdit | QCheckBox)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            widget = widget.nextInFocusChain()
        return False
