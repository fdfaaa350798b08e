"""The applicant's address (Hauptwohnung) for a Personalausweis application."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import all_of, din91379, postcode


class IdAddressForm(Form):
    """Street, number, postcode, city and the dwelling's status."""

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        self._language = language
        super().__init__(2, parent)

    def build(self) -> None:
        address = din91379("B", self._language)
        self.add_text("street", address, required=True)
        self.add_text("house_number", address, required=True)
        self.add_text("addition", address)
        self.add_text("floor_or_flat", address)
        self.add_text("postcode", all_of(address, postcode()), required=True)
        self.add_text("city", address, required=True)
        self.add_choice("status")

    def retranslate(self) -> None:
        labels = {
            "street": self.tr("Straße"),
            "house_number": self.tr("Hausnummer"),
            "addition": self.tr("Zusatz"),
            "floor_or_flat": self.tr("Stockwerk / Wohnung"),
            "postcode": self.tr("Postleitzahl"),
            "city": self.tr("Ort"),
        }
        for key, text in labels.items():
            self.fields[key].set_label(text)
        status = self.choices["status"]
        status.label.setText(self.tr("Die Wohnung ist"))
        status.set_options(
            [
                ("alleinige", self.tr("alleinige Wohnung")),
                ("haupt", self.tr("Hauptwohnung")),
                ("neben", self.tr("Nebenwohnung")),
            ]
        )
        super().retranslate()
