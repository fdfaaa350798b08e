"""An address with its status: previous dwelling, other dwellings, dwelling given up.

Reuses the field set of the new dwelling (DIN 91379 type B); the status
options and the optional date field depend on where the form is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import all_of, date_field, din91379, postcode

#: status codes a form may offer
STATUS_CODES: tuple[str, ...] = ("alleinige", "haupt", "neben")


class AddressForm(Form):
    """Street … Gemeindeteil, a status choice and optionally one date field.

    ``date_key`` names the date field (e.g. ``"move_out_date"``) or is empty.
    """

    def __init__(
        self,
        language: Callable[[], str],
        today: Callable[[], date],
        *,
        statuses: Sequence[str] = STATUS_CODES,
        date_key: str = "",
        date_label: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._language = language
        self._today = today
        self._statuses = tuple(statuses)
        self._date_key = date_key
        self._date_label = date_label
        super().__init__(2, parent)

    def build(self) -> None:
        address = din91379("B", self._language)
        self.add_text("street", address, required=True)
        self.add_text("house_number", address, required=True)
        self.add_text("addition", address)
        self.add_text("floor_or_flat", address)
        self.add_text("postcode", all_of(address, postcode()), required=True)
        self.add_text("city", address, required=True)
        self.add_text("district", address)
        if self._statuses:
            self.add_choice("status")
        if self._date_key:
            self.add_text(
                self._date_key,
                date_field(self._today),
                required=True,
                placeholder=lambda: self.tr("TT.MM.JJJJ"),
            )

    def retranslate(self) -> None:
        labels = {
            "street": self.tr("Straße"),
            "house_number": self.tr("Hausnummer"),
            "addition": self.tr("Zusatz (z. B. Hinterhaus)"),
            "floor_or_flat": self.tr("Stockwerk / Wohnung"),
            "postcode": self.tr("Postleitzahl"),
            "city": self.tr("Ort"),
            "district": self.tr("Gemeindeteil"),
        }
        for key, text in labels.items():
            self.fields[key].set_label(text)
        if self._date_key and self._date_label is not None:
            self.fields[self._date_key].set_label(self._date_label())
        if "status" in self.choices:
            names = {
                "alleinige": self.tr("alleinige Wohnung"),
                "haupt": self.tr("Hauptwohnung"),
                "neben": self.tr("Nebenwohnung"),
            }
            status = self.choices["status"]
            status.label.setText(self.tr("Art der Wohnung"))
            status.set_options([(code, names[code]) for code in self._statuses])
        super().retranslate()
