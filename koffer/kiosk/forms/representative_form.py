"""The gesetzliche Vertretung of a minor applicant (PAuswG § 9, PassG § 6).

Keys are ``rep_`` + the draft's representative fields
(:data:`koffer.casework.passport_draft.REPRESENTATIVE_FIELDS`) and
``rep_custody``; the wizard stores them without the prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from koffer.kiosk.forms.base import Form
from koffer.kiosk.forms.id_document_form import serial_number
from koffer.kiosk.validation import date_field, din91379

PREFIX = "rep_"


class RepresentativeForm(Form):
    """Relationship, names, birth date, identity document and custody."""

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
        self.add_choice("rep_relationship")
        self.add_choice("rep_custody")
        self.add_text("rep_family_name", name)
        self.add_text("rep_given_names", name)
        self.add_text(
            "rep_birth_date",
            date_field(self._today, past_only=True),
            placeholder=lambda: self.tr("TT.MM.JJJJ"),
        )
        self.add_choice("rep_id_kind")
        self.add_text("rep_id_serial", serial_number())

    def retranslate(self) -> None:
        labels = {
            "rep_family_name": self.tr("Familienname"),
            "rep_given_names": self.tr("Vornamen"),
            "rep_birth_date": self.tr("Geburtsdatum"),
            "rep_id_serial": self.tr("Seriennummer des Ausweises"),
        }
        for key, text in labels.items():
            self.fields[key].set_label(text)
        relationship = self.choices["rep_relationship"]
        relationship.label.setText(self.tr("Verhältnis zur antragstellenden Person"))
        relationship.set_options(
            [
                ("", self.tr("– bitte wählen –")),
                ("mutter", self.tr("Mutter")),
                ("vater", self.tr("Vater")),
                ("vormund", self.tr("Vormund")),
                ("betreuer", self.tr("Betreuer/in")),
                ("pfleger", self.tr("Pfleger/in")),
                ("sonstige", self.tr("andere sorgeberechtigte Person")),
            ]
        )
        custody = self.choices["rep_custody"]
        custody.label.setText(self.tr("Elterliche Sorge"))
        custody.set_options(
            [
                ("", self.tr("– bitte wählen –")),
                ("gemeinsam", self.tr("gemeinsam")),
                ("allein", self.tr("allein")),
            ]
        )
        kind = self.choices["rep_id_kind"]
        kind.label.setText(self.tr("Vorgelegter Ausweis"))
        kind.set_options(
            [
                ("", self.tr("– bitte wählen –")),
                ("PA", self.tr("Personalausweis")),
                ("RP", self.tr("Reisepass")),
                ("SONST", self.tr("anderes Dokument")),
            ]
        )
        super().retranslate()
