"""A form with a single choice (the kind of Anmeldung, the signer)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form


class ChoiceForm(Form):
    """One labelled choice under ``key``; its options are set by the screen."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        self._key = key
        super().__init__(1, parent)

    def build(self) -> None:
        self.add_choice(self._key)
