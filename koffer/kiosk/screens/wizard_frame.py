"""The frame every wizard screen shares: the Meldeschein wizard and the
Personalausweis steps.

Top: "Schritt n von m: name" and the save state. Middle: :attr:`content`,
the page area the wizard fills (it takes the spare height). Below it
:attr:`step_actions`, the step's own buttons, which stay in view with the
navigation. Bottom: Zurück and the one primary button, Weiter. The frame owns
no case data; the wizard says which step it shows (:meth:`show_step`) and how
saving goes (:meth:`show_save_state`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from koffer.kiosk.controller import KioskController
from koffer.kiosk.screens.base import Screen


class WizardFrame(Screen):
    """Step line, save state, page area, step actions, Zurück / Weiter."""

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.step_label = QLabel(self)
        self.step_label.setProperty("role", "subtitle")
        self.step_label.setObjectName(f"{self.name}_step")
        self.save_label = QLabel(self)
        self.save_label.setProperty("role", "hint")
        self.save_label.setObjectName(f"{self.name}_saved")
        #: the page area: the wizard adds its pages (or its scrolling body) here
        self.content = QVBoxLayout()
        self.content.setContentsMargins(0, 0, 0, 0)
        self.content.setSpacing(12)
        #: the step's own actions (capture, confirm …): below the pages, above
        #: Zurück / Weiter, so they are always in view
        self.step_actions = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName(f"{self.name}_back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName(f"{self.name}_next")
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.proceed)
        top = QHBoxLayout()
        top.addWidget(self.step_label, 1)
        top.addWidget(self.save_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 16, 32, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(self.content, 1)
        layout.addLayout(self.step_actions)
        layout.addLayout(buttons)

    def show_step(self, position: int, count: int, name: str) -> None:
        """Show "Schritt ``position + 1`` von ``count``: ``name``"."""
        self.step_label.setText(
            self.tr("Schritt %1 von %2: %3")
            .replace("%1", str(position + 1))
            .replace("%2", str(count))
            .replace("%3", name)
        )

    def show_save_state(self, state: str) -> None:
        """``saving``, ``saved`` or ``failed`` (anything else clears the line)."""
        texts = {
            "saving": self.tr("Wird gespeichert …"),
            "saved": self.tr("✔ Gespeichert"),
            "failed": self.tr("⚠ Nicht gespeichert"),
        }
        self.save_label.setText(texts.get(state, ""))

    def show_navigation(self, *, last_label: str | None = None) -> None:
        """Zurück / Weiter; ``last_label`` replaces "Weiter" on the last step."""
        self.back_button.setText(self.tr("Zurück"))
        self.next_button.setText(last_label or self.tr("Weiter"))
