"""Step 1 of the Personalausweis application: the applicant and their address."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from koffer.kiosk.controller import KioskController
from koffer.kiosk.forms.id_address_form import IdAddressForm
from koffer.kiosk.forms.person_form import PersonForm
from koffer.kiosk.screens.ausweis_base import AusweisStep


class AusweisPersonScreen(AusweisStep):
    name = "ausweis_person"
    step = "person"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self._loading = False
        language = self._language
        self.person_heading = QLabel(self.body)
        self.person_heading.setProperty("role", "title")
        self.person_form = PersonForm(language, kiosk.context.today, self.body)
        self.person_form.changed.connect(self._person_changed)
        self.address_heading = QLabel(self.body)
        self.address_heading.setProperty("role", "title")
        self.address_form = IdAddressForm(language, self.body)
        self.address_form.changed.connect(self._address_changed)
        content = QWidget(self.body)
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(32)
        left = QVBoxLayout()
        left.addWidget(self.person_heading)
        left.addWidget(self.person_form, 1)
        right = QVBoxLayout()
        right.addWidget(self.address_heading)
        right.addWidget(self.address_form, 1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        self.retranslate()

    def _language(self) -> str:
        return self.kiosk.context.language

    def retranslate(self) -> None:
        super().retranslate()
        self.person_heading.setText(self.tr("Antragstellende Person"))
        self.address_heading.setText(self.tr("Anschrift (Hauptwohnung)"))

    def show_draft(self) -> None:
        self._loading = True
        draft = self.session.draft
        self.person_form.load(draft.person)
        self.address_form.load(draft.address)
        self._loading = False

    def first_focus(self) -> QWidget | None:
        return self.person_form.first_input()

    def _person_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.session.draft.person[key] = value
        self.session.touch()

    def _address_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.session.draft.address[key] = value
        self.session.touch()

    def ready_to_continue(self) -> bool:
        person_ok = self.person_form.validate_all()
        address_ok = self.address_form.validate_all()
        if person_ok and not self.person_form.choices["sex"].value():
            self.kiosk.message.emit(self.tr("Bitte wählen Sie das Geschlecht aus."))
            self.person_form.choices["sex"].combo.setFocus()
            return False
        if person_ok and address_ok:
            draft = self.session.draft
            draft.address.setdefault("status", self.address_form.choices["status"].value())
            return True
        return False


SCREEN = AusweisPersonScreen
