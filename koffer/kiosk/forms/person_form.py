"""Person data (§ 3 Abs. 1 BMG): names validated inline against DIN 91379."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import date_field, din91379


class PersonForm(Form):
    """Names (type A), birth place (type B), birth date, sex, nationality."""

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
        name = din91379("A", self._language)
        other = din91379("B", self._language)
        self.add_text("family_name", name, required=True)
        self.add_text("given_names", name, required=True)
        self.add_text("birth_name", name)
        self.add_text("doctoral_degree", other)
        self.add_text(
            "birth_date",
            date_field(self._today, past_only=True),
            required=True,
            placeholder=lambda: self.tr("TT.MM.JJJJ"),
        )
        self.add_text("birth_place", other, required=True)
        self.add_choice("sex")
        self.add_text(
            "nationalities",
            other,
            placeholder=lambda: self.tr("z. B. deutsch"),
        )

    def retranslate(self) -> None:
        labels = {
            "family_name": self.tr("Familienname"),
            "given_names": self.tr("Vornamen"),
            "birth_name": self.tr("Geburtsname (falls abweichend)"),
            "doctoral_degree": self.tr("Doktorgrad"),
            "birth_date": self.tr("Geburtsdatum"),
            "birth_place": self.tr("Geburtsort"),
            "nationalities": self.tr("Staatsangehörigkeit(en)"),
        }
        for key, text in labels.items():
            self.fields[key].set_label(text)
        sex = self.choices["sex"]
        sex.label.setText(self.tr("Geschlecht"))
        sex.set_options(
            [
                ("", self.tr("– bitte wählen –")),
                ("w", self.tr("weiblich")),
                ("m", self.tr("männlich")),
                ("d", self.tr("divers")),
                ("x", self.tr("ohne Angabe")),
            ]
        )
        super().retranslate()
