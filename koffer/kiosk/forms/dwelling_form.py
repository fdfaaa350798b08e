"""The new dwelling: the address form with its move-in date (DIN 91379 type B)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.address_form import AddressForm


class DwellingForm(AddressForm):
    """Street … Gemeindeteil, the status of the new dwelling and the move-in date."""

    def __init__(
        self,
        language: Callable[[], str],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            language,
            today,
            date_key="move_in_date",
            date_label=lambda: self.tr("Einzugsdatum"),
            parent=parent,
        )

    def retranslate(self) -> None:
        super().retranslate()
        self.choices["status"].label.setText(self.tr("Die neue Wohnung ist"))
