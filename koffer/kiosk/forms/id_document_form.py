"""One identity document of a person (Meldeschein: PA/RP/KRP …, § 3 Abs. 1 Nr. 17 BMG)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import Validator, date_field, din91379


def serial_number() -> Validator:
    def check(text: str) -> str | None:
        value = text.strip().upper()
        if 4 <= len(value) <= 20 and value.isascii() and value.isalnum():
            return None
        return QCoreApplication.translate(
            "Validation", "Die Seriennummer besteht aus 4 bis 20 Großbuchstaben und Ziffern."
        )

    return check


class IdDocumentForm(Form):
    """Kind, serial number, issuing authority, issue and expiry date (all optional)."""

    def __init__(
        self,
        language: Callable[[], str],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        self._language = language
        self._today = today
        super().__init__(2, parent)

    def build(self) -> None:
        self.add_choice("kind")
        self.add_text("serial", serial_number())
        self.add_text("authority", din91379("B", self._language), span=2)
        self.add_text(
            "issued",
            date_field(self._today, past_only=True),
            placeholder=lambda: self.tr("TT.MM.JJJJ"),
        )
        self.add_text("expires", date_field(self._today), placeholder=lambda: self.tr("TT.MM.JJJJ"))

    def retranslate(self) -> None:
        labels = {
            "serial": self.tr("Seriennummer"),
            "authority": self.tr("Ausstellende Behörde"),
            "issued": self.tr("Ausgestellt am"),
            "expires": self.tr("Gültig bis"),
        }
        for key, text in labels.items():
            self.fields[key].set_label(text)
        kind = self.choices["kind"]
        kind.label.setText(self.tr("Ausweisdokument"))
        kind.set_options(
            [
                ("PA", self.tr("Personalausweis")),
                ("RP", self.tr("Reisepass")),
                ("KRP", self.tr("Kinderreisepass")),
                ("VPA", self.tr("vorläufiger Personalausweis")),
                ("PEP", self.tr("Passersatzpapier")),
                ("SONST", self.tr("sonstiges Dokument")),
            ]
        )
        super().retranslate()
