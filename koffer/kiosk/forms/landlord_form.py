"""Wohnungsgeberbestätigung (§ 19 BMG): the four items, or the Zuordnungsmerkmal.

Einzugsdatum, Anschrift der Wohnung and the names come from the case itself;
the clerk compares them with the paper and confirms with ``matches``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import din91379


class LandlordForm(Form):
    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        self._language = language
        super().__init__(2, parent)

    def build(self) -> None:
        text = din91379("B", self._language)
        self.add_text("landlord_name", text)
        self.add_text("owner_name", text)
        self.add_text("landlord_address", text, span=2)
        self.add_choice("matches", span=2)
        self.add_text("assignment_code", text, span=2)

    def retranslate(self) -> None:
        labels = {
            "landlord_name": self.tr("Name des Wohnungsgebers"),
            "owner_name": self.tr("Name des Eigentümers (falls abweichend)"),
            "landlord_address": self.tr("Anschrift des Wohnungsgebers"),
            "assignment_code": self.tr("oder: Zuordnungsmerkmal der elektronischen Bestätigung"),
        }
        for key, value in labels.items():
            self.fields[key].set_label(value)
        matches = self.choices["matches"]
        matches.label.setText(
            self.tr("Einzugsdatum, Anschrift der Wohnung und alle Namen stimmen überein")
        )
        matches.set_options(
            [
                ("", self.tr("– noch nicht geprüft –")),
                ("1", self.tr("Ja, die Bestätigung nennt sie genau so")),
                ("0", self.tr("Nein, sie weichen ab")),
            ]
        )
        super().retranslate()
