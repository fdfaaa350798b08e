"""Widersprüche at the Anmeldung (§ 42 Abs. 3, § 50 Abs. 5 BMG), per person.

The Meldebehörde points the citizen to these objection rights at the
Anmeldung (§ 17 Abs. 1 BMG); the notice above the choices says what each one
stops. An objection becomes an Übermittlungssperre in the case, on the
printout and in the export. Values are "1" (Widerspruch) or "" (none).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from koffer.cases import TransferObjection
from koffer.casework.drafts import OBJECTION_FIELDS
from koffer.kiosk.forms.base import Form


class ObjectionsForm(Form):
    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        self._language = language
        super().__init__(1, parent)

    def build(self) -> None:
        for key in OBJECTION_FIELDS.values():
            # the labels name the paragraph: long, so they wrap on a narrow screen
            self.add_choice(key).label.setWordWrap(True)

    def retranslate(self) -> None:
        english = self._language() == "en"
        for code, key in OBJECTION_FIELDS.items():
            objection = TransferObjection(code)
            choice = self.choices[key]
            choice.label.setText(objection.label_en if english else objection.label)
            choice.set_options(
                [
                    ("", self.tr("kein Widerspruch")),
                    ("1", self.tr("Widerspruch")),
                ]
            )
        super().retranslate()
