"""Step 1 of the Personalausweis / Reisepass application: applicant, address, representative.

The gesetzliche Vertretung (PAuswG § 9 for a Personalausweis under 16,
PassG § 6 for a Reisepass under 18) appears once the birth date shows that
the applicant needs one; the rules refuse the application without it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from koffer.casework.passport_draft import RepresentativeDraft
from koffer.kiosk.controller import KioskController
from koffer.kiosk.forms.id_address_form import IdAddressForm
from koffer.kiosk.forms.person_form import PersonForm
from koffer.kiosk.forms.representative_form import PREFIX, RepresentativeForm
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
        self.representative = QWidget(self.body)
        self.representative.setObjectName("representative_section")
        self.representative_heading = QLabel(self.representative)
        self.representative_heading.setProperty("role", "title")
        self.representative_hint = QLabel(self.representative)
        self.representative_hint.setWordWrap(True)
        self.representative_hint.setProperty("role", "hint")
        self.representative_form = RepresentativeForm(
            language, kiosk.context.today, self.representative
        )
        self.representative_form.changed.connect(self._representative_changed)
        self.other_parent = QCheckBox(self.representative)
        self.other_parent.setObjectName("representative_other_parent_consent")
        self.other_parent.toggled.connect(self._consent_toggled)
        section = QVBoxLayout(self.representative)
        section.setContentsMargins(0, 16, 0, 0)
        section.addWidget(self.representative_heading)
        section.addWidget(self.representative_hint)
        section.addWidget(self.representative_form)
        section.addWidget(self.other_parent)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(content)
        layout.addWidget(self.representative)
        self.retranslate()

    def _language(self) -> str:
        return self.kiosk.context.language

    def retranslate(self) -> None:
        super().retranslate()
        self.person_heading.setText(self.tr("Antragstellende Person"))
        self.address_heading.setText(self.tr("Anschrift (Hauptwohnung)"))
        self.representative_heading.setText(self.tr("Gesetzliche Vertretung"))
        self.other_parent.setText(
            self.tr("Der andere Elternteil hat zugestimmt (die Zustimmung liegt vor)")
        )
        self._show_representative()

    def show_draft(self) -> None:
        self._loading = True
        draft = self.session.draft
        self.person_form.load(draft.person)
        self.address_form.load(draft.address)
        first = draft.representatives[0].fields if draft.representatives else {}
        values = {PREFIX + key: value for key, value in first.items()}
        values[PREFIX + "custody"] = draft.custody
        self.representative_form.load(values)
        self.other_parent.setChecked(draft.other_parent_consent)
        self._loading = False
        self._show_representative()

    def _show_representative(self) -> None:
        draft = self.session.draft
        needed = draft.needs_representative(self.kiosk.context.today())
        self.representative.setVisible(needed or bool(draft.recorded_representatives()))
        law = self.tr("§ 6 PassG") if draft.is_passport else self.tr("§ 9 PAuswG")
        self.representative_hint.setText(
            self.tr(
                "Für Personen unter %1 Jahren stellen die Sorgeberechtigten den Antrag (%2). "
                "Bitte erfassen Sie die Person, die den Antrag stellt, und ihren Ausweis."
            )
            .replace("%1", str(draft.representative_age_limit()))
            .replace("%2", law)
        )

    def first_focus(self) -> QWidget | None:
        return self.person_form.first_input()

    def _person_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.session.draft.person[key] = value
        self.session.touch()
        if key == "birth_date":
            self._show_representative()

    def _representative_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        draft = self.session.draft
        name = key.removeprefix(PREFIX)
        if name == "custody":
            draft.custody = value
        else:
            if not draft.representatives:
                draft.representatives.append(RepresentativeDraft())
            draft.representatives[0].fields[name] = value
        self.session.touch()

    def _consent_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self.session.draft.other_parent_consent = on
        self.session.touch()

    def _address_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.session.draft.address[key] = value
        self.session.touch()

    def ready_to_continue(self) -> bool:
        person_ok = self.person_form.validate_all()
        address_ok = self.address_form.validate_all()
        if not self.representative.isHidden() and not self.representative_form.validate_all():
            return False
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
