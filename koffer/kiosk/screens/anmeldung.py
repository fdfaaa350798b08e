"""The registration wizards: Anmeldung (and, as subclasses, Abmeldung and Wechsel
der Hauptwohnung).

Steps of an Anmeldung: persons moving together (with one ID document each) →
new dwelling with Einzugsdatum and status → previous dwelling and kind of
Anmeldung → other dwellings (only when the new one is not the alleinige
Wohnung) → Wohnungsgeberbestätigung → check (every finding of
:func:`koffer.cases.check`, signer) → citizen review.

Every key press is kept in a :class:`~koffer.casework.registration.MeldeDraft`
and saved (encrypted) right away, so a crash loses nothing; opening the screen
with ``case_id`` resumes the saved draft. The draft becomes a domain case on
the check step; warnings (late registration …) are shown but do not block.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from koffer.cases import Finding
from koffer.casework.registration import MeldeDraft, draft_to_case, step_of
from koffer.kiosk.controller import KioskController
from koffer.kiosk.drafting import DraftSaver
from koffer.kiosk.forms.address_form import AddressForm
from koffer.kiosk.forms.base import Form
from koffer.kiosk.forms.dwelling_form import DwellingForm
from koffer.kiosk.forms.id_document_form import IdDocumentForm
from koffer.kiosk.forms.landlord_form import LandlordForm
from koffer.kiosk.forms.objections_form import ObjectionsForm
from koffer.kiosk.forms.person_form import PersonForm
from koffer.kiosk.screens.base import Params, Screen
from koffer.kiosk.widgets.scrolling import scrolled

#: steps of the Anmeldung (kept for callers of the first version)
STEPS: tuple[str, ...] = MeldeDraft(case_type="anmeldung").steps


class ChoiceForm(Form):
    """A form with a single choice (kind of Anmeldung, signer)."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        self._key = key
        super().__init__(1, parent)

    def build(self) -> None:
        self.add_choice(self._key)


class RegistrationWizard(Screen):
    """One Meldeschein; :attr:`case_type` picks the steps."""

    name = "anmeldung"
    case_type: ClassVar[str] = "anmeldung"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.draft = MeldeDraft(case_type=self.case_type)
        self.case_id: str | None = None
        self.case_number = ""
        self.person_index = 0
        self.other_index = 0
        self.findings: list[Finding] = []
        self._checked = False
        self._loading = False
        self.saver = DraftSaver(kiosk, self.draft_payload, parent=self)
        self.saver.state_changed.connect(self._save_state)
        kiosk.session_changed.connect(self._session_changed)
        language = self._language
        today = kiosk.context.today

        self.step_label = QLabel(self)
        self.step_label.setProperty("role", "subtitle")
        self.step_label.setObjectName(f"{self.name}_step")
        self.save_label = QLabel(self)
        self.save_label.setObjectName(f"{self.name}_saved")
        self.save_label.setProperty("role", "hint")
        self.step_findings = QLabel(self)
        self.step_findings.setObjectName(f"{self.name}_step_findings")
        self.step_findings.setWordWrap(True)
        self.step_findings.setVisible(False)

        self.pages = QStackedWidget(self)
        self.page_index: dict[str, int] = {}

        # persons (+ one ID document each)
        self.persons_page = QWidget(self)
        self.person_list = QListWidget(self.persons_page)
        self.person_list.setObjectName(f"{self.name}_persons")
        self.person_list.setMaximumWidth(300)
        self.person_list.currentRowChanged.connect(self._select_person)
        self.add_person_button = QPushButton(self.persons_page)
        self.add_person_button.setObjectName(f"{self.name}_add_person")
        self.add_person_button.clicked.connect(self.add_person)
        self.remove_person_button = QPushButton(self.persons_page)
        self.remove_person_button.setObjectName(f"{self.name}_remove_person")
        self.remove_person_button.clicked.connect(self.remove_person)
        self.person_heading = QLabel(self.persons_page)
        self.person_heading.setProperty("role", "title")
        person_box = QWidget(self.persons_page)
        self.person_form = PersonForm(language, today, person_box)
        self.person_form.changed.connect(self._person_changed)
        self.document_heading = QLabel(person_box)
        self.document_heading.setProperty("role", "subtitle")
        self.document_form = IdDocumentForm(language, today, person_box)
        self.document_form.changed.connect(self._document_changed)
        # the objection rights the citizen is told about at an Anmeldung
        self.objections_heading = QLabel(person_box)
        self.objections_heading.setProperty("role", "subtitle")
        self.objections_notice = QLabel(person_box)
        self.objections_notice.setObjectName(f"{self.name}_objections_notice")
        self.objections_notice.setWordWrap(True)
        self.objections_notice.setProperty("role", "hint")
        self.objections_form = ObjectionsForm(language, person_box)
        self.objections_form.changed.connect(self._person_changed)
        box = QVBoxLayout(person_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.person_form)
        box.addSpacing(12)
        box.addWidget(self.document_heading)
        box.addWidget(self.document_form)
        box.addSpacing(12)
        box.addWidget(self.objections_heading)
        box.addWidget(self.objections_notice)
        box.addWidget(self.objections_form)
        for widget in (self.objections_heading, self.objections_notice, self.objections_form):
            widget.setVisible(self.case_type == "anmeldung")
        side = QVBoxLayout()
        side.addWidget(self.person_list, 1)
        side.addWidget(self.add_person_button)
        side.addWidget(self.remove_person_button)
        main = QVBoxLayout()
        main.addWidget(self.person_heading)
        main.addWidget(scrolled(person_box, self.persons_page), 1)
        persons_layout = QHBoxLayout(self.persons_page)
        persons_layout.setContentsMargins(0, 0, 0, 0)
        persons_layout.setSpacing(24)
        persons_layout.addLayout(side)
        persons_layout.addLayout(main, 1)
        self._add_page("persons", self.persons_page)

        # the new dwelling (Anmeldung) / the new Hauptwohnung
        self.dwelling_page = QWidget(self)
        self.dwelling_heading = QLabel(self.dwelling_page)
        self.dwelling_heading.setProperty("role", "title")
        self.dwelling_form = DwellingForm(language, today, self.dwelling_page)
        self.dwelling_form.changed.connect(self._dwelling_changed)
        dwelling_layout = QVBoxLayout(self.dwelling_page)
        dwelling_layout.setContentsMargins(0, 0, 0, 0)
        dwelling_layout.addWidget(self.dwelling_heading)
        dwelling_layout.addWidget(scrolled(self.dwelling_form, self.dwelling_page), 1)
        self._add_page("dwelling", self.dwelling_page)

        # the previous dwelling (Anmeldung) / the dwelling given up (Abmeldung)
        self.previous_page = QWidget(self)
        self.previous_heading = QLabel(self.previous_page)
        self.previous_heading.setProperty("role", "title")
        self.kind_form = ChoiceForm("anmeldung_kind", self.previous_page)
        self.kind_form.changed.connect(self._kind_changed)
        self.kind_form.setVisible(self.case_type == "anmeldung")
        self.previous_form = AddressForm(
            language,
            today,
            date_key="move_out_date" if self.case_type == "abmeldung" else "",
            date_label=lambda: self.tr("Auszugsdatum"),
            parent=self.previous_page,
        )
        self.previous_form.changed.connect(self._previous_changed)
        self.previous_hint = QLabel(self.previous_page)
        self.previous_hint.setProperty("role", "hint")
        self.previous_hint.setWordWrap(True)
        previous_layout = QVBoxLayout(self.previous_page)
        previous_layout.setContentsMargins(0, 0, 0, 0)
        previous_layout.addWidget(self.previous_heading)
        previous_layout.addWidget(self.kind_form)
        previous_layout.addWidget(self.previous_hint)
        previous_layout.addWidget(scrolled(self.previous_form, self.previous_page), 1)
        self._add_page("previous", self.previous_page)

        # other dwellings (Beiblatt)
        self.others_page = QWidget(self)
        self.others_heading = QLabel(self.others_page)
        self.others_heading.setProperty("role", "title")
        self.others_hint = QLabel(self.others_page)
        self.others_hint.setProperty("role", "hint")
        self.others_hint.setWordWrap(True)
        self.other_list = QListWidget(self.others_page)
        self.other_list.setObjectName(f"{self.name}_others")
        self.other_list.setMaximumWidth(300)
        self.other_list.currentRowChanged.connect(self._select_other)
        self.add_other_button = QPushButton(self.others_page)
        self.add_other_button.setObjectName(f"{self.name}_add_other")
        self.add_other_button.clicked.connect(self.add_other)
        self.remove_other_button = QPushButton(self.others_page)
        self.remove_other_button.setObjectName(f"{self.name}_remove_other")
        self.remove_other_button.clicked.connect(self.remove_other)
        self.other_form = AddressForm(
            language, today, statuses=("haupt", "neben"), parent=self.others_page
        )
        self.other_form.changed.connect(self._other_changed)
        other_side = QVBoxLayout()
        other_side.addWidget(self.other_list, 1)
        other_side.addWidget(self.add_other_button)
        other_side.addWidget(self.remove_other_button)
        other_main = QHBoxLayout()
        other_main.setSpacing(24)
        other_main.addLayout(other_side)
        other_main.addWidget(scrolled(self.other_form, self.others_page), 1)
        others_layout = QVBoxLayout(self.others_page)
        others_layout.setContentsMargins(0, 0, 0, 0)
        others_layout.addWidget(self.others_heading)
        others_layout.addWidget(self.others_hint)
        others_layout.addLayout(other_main, 1)
        self._add_page("others", self.others_page)

        # Wohnungsgeberbestätigung
        self.landlord_page = QWidget(self)
        self.landlord_heading = QLabel(self.landlord_page)
        self.landlord_heading.setProperty("role", "title")
        self.landlord_hint = QLabel(self.landlord_page)
        self.landlord_hint.setProperty("role", "hint")
        self.landlord_hint.setWordWrap(True)
        self.landlord_form = LandlordForm(language, self.landlord_page)
        self.landlord_form.changed.connect(self._landlord_changed)
        landlord_layout = QVBoxLayout(self.landlord_page)
        landlord_layout.setContentsMargins(0, 0, 0, 0)
        landlord_layout.addWidget(self.landlord_heading)
        landlord_layout.addWidget(self.landlord_hint)
        landlord_layout.addWidget(scrolled(self.landlord_form, self.landlord_page), 1)
        self._add_page("landlord", self.landlord_page)

        # check: findings and signer
        self.check_page = QWidget(self)
        self.check_heading = QLabel(self.check_page)
        self.check_heading.setProperty("role", "title")
        self.check_summary = QLabel(self.check_page)
        self.check_summary.setObjectName(f"{self.name}_check_summary")
        self.check_summary.setWordWrap(True)
        self.finding_list = QListWidget(self.check_page)
        self.finding_list.setObjectName(f"{self.name}_findings")
        self.finding_list.setWordWrap(True)
        self.finding_list.itemActivated.connect(self._jump_to_finding)
        self.finding_list.itemClicked.connect(self._jump_to_finding)
        self.signer_form = ChoiceForm("signer", self.check_page)
        self.signer_form.changed.connect(self._signer_changed)
        check_layout = QVBoxLayout(self.check_page)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_layout.addWidget(self.check_heading)
        check_layout.addWidget(self.check_summary)
        check_layout.addWidget(self.finding_list, 1)
        check_layout.addWidget(self.signer_form)
        self._add_page("check", self.check_page)

        self.back_button = QPushButton(self)
        self.back_button.setObjectName(f"{self.name}_back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName(f"{self.name}_next")
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.proceed)
        top = QHBoxLayout()
        top.addWidget(self.step_label, 1)
        top.addWidget(self.save_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.step_findings)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def _add_page(self, step: str, page: QWidget) -> None:
        self.page_index[step] = self.pages.addWidget(page)

    def _language(self) -> str:
        return self.kiosk.context.language

    # -- texts ------------------------------------------------------------

    def type_label(self) -> str:
        return self.tr("Anmeldung")

    def title(self) -> str:
        if self.case_number:
            return f"{self.type_label()} {self.case_number}"
        return self.type_label()

    def step_names(self) -> dict[str, str]:
        return {
            "persons": self.tr("Personen, die mit umziehen"),
            "dwelling": self.tr("Neue Wohnung"),
            "previous": self.tr("Bisherige Wohnung"),
            "others": self.tr("Weitere Wohnungen"),
            "landlord": self.tr("Wohnungsgeberbestätigung"),
            "check": self.tr("Prüfung"),
        }

    def retranslate(self) -> None:
        self.add_person_button.setText(self.tr("+ Person hinzufügen"))
        self.remove_person_button.setText(self.tr("Person entfernen"))
        self.document_heading.setText(self.tr("Ausweisdokument dieser Person"))
        self.objections_heading.setText(self.tr("Widerspruchsrechte dieser Person"))
        self.objections_notice.setText(
            self.tr(
                "Bitte weisen Sie die Person darauf hin: Sie kann kostenlos widersprechen, "
                "dass ihre Daten an eine Religionsgesellschaft übermittelt werden, der sie "
                "selbst nicht angehört, ein Familienmitglied aber schon (§ 42 Abs. 3 BMG), "
                "und dass die Meldebehörde Parteien vor Wahlen oder bei Alters- und "
                "Ehejubiläen Auskunft gibt (§ 50 Abs. 5 BMG). Jeder Widerspruch wird als "
                "Übermittlungssperre eingetragen."
            )
        )
        self.back_button.setText(self.tr("Zurück"))
        names = self.step_names()
        self.dwelling_heading.setText(names["dwelling"])
        self.previous_heading.setText(names["previous"])
        self.previous_hint.setText(
            self.tr("Bei einem Zuzug aus dem Ausland kann die bisherige Anschrift leer bleiben.")
        )
        self.previous_hint.setVisible(self.case_type == "anmeldung")
        self.others_heading.setText(names["others"])
        self.others_hint.setText(
            self.tr(
                "Bitte tragen Sie alle weiteren Wohnungen ein. Genau eine Wohnung ist die "
                "Hauptwohnung (die vorwiegend benutzte), alle anderen sind Nebenwohnungen."
            )
        )
        self.add_other_button.setText(self.tr("+ Wohnung hinzufügen"))
        self.remove_other_button.setText(self.tr("Wohnung entfernen"))
        self.landlord_heading.setText(names["landlord"])
        self.landlord_hint.setText(
            self.tr(
                "Die Bestätigung des Wohnungsgebers nennt: Name und Anschrift des "
                "Wohnungsgebers, das Einzugsdatum, die Anschrift der Wohnung und die Namen "
                "der Personen. Liegt eine elektronische Bestätigung vor, genügt das "
                "Zuordnungsmerkmal."
            )
        )
        self.check_heading.setText(names["check"])
        kind = self.kind_form.choices["anmeldung_kind"]
        kind.label.setText(self.tr("Art der Anmeldung"))
        kind.set_options(
            [
                ("zuzug", self.tr("Zuzug aus einer anderen Gemeinde")),
                ("umzug_innerhalb", self.tr("Umzug innerhalb der Gemeinde")),
                ("zuzug_ausland", self.tr("Zuzug aus dem Ausland")),
            ]
        )
        self.signer_form.choices["signer"].label.setText(self.tr("Den Meldeschein unterschreibt"))
        self._render_step()
        self._render_persons()
        self._render_others()
        self._render_findings()

    def _render_step(self) -> None:
        steps = self.visible_steps()
        step = self.draft.step if self.draft.step in steps else steps[0]
        position = steps.index(step)
        self.step_label.setText(
            self.tr("Schritt %1 von %2: %3")
            .replace("%1", str(position + 1))
            .replace("%2", str(len(steps)))
            .replace("%3", self.step_names()[step])
        )
        last = step == steps[-1]
        self.next_button.setText(
            self.tr("Weiter") if not last else self.tr("Zur Durchsicht mit der Bürgerin/dem Bürger")
        )
        self._render_step_findings()

    def _render_persons(self) -> None:
        self.person_list.blockSignals(True)
        self.person_list.clear()
        for index in range(len(self.draft.persons)):
            label = self.draft.person_label(index) or self.tr("(noch ohne Namen)")
            self.person_list.addItem(f"{index + 1}. {label}")
        self.person_list.setCurrentRow(self.person_index)
        self.person_list.blockSignals(False)
        self.remove_person_button.setEnabled(len(self.draft.persons) > 1)
        self.person_heading.setText(
            self.tr("Person %1 von %2")
            .replace("%1", str(self.person_index + 1))
            .replace("%2", str(len(self.draft.persons)))
        )
        signer = self.signer_form.choices["signer"]
        signer.set_options(
            [
                (
                    str(i),
                    self.draft.person_label(i)
                    or self.tr("Person %1 (noch ohne Namen)").replace("%1", str(i + 1)),
                )
                for i in range(len(self.draft.persons))
            ]
        )
        signer.set_value(self.draft.signer)

    def _render_others(self) -> None:
        self.other_list.blockSignals(True)
        self.other_list.clear()
        for index, other in enumerate(self.draft.others):
            text = " ".join(
                part for part in (other.get("street", ""), other.get("city", "")) if part
            )
            self.other_list.addItem(f"{index + 1}. {text or self.tr('(neue Wohnung)')}")
        self.other_list.setCurrentRow(self.other_index)
        self.other_list.blockSignals(False)
        has = bool(self.draft.others)
        self.other_form.setEnabled(has)
        self.remove_other_button.setEnabled(has)

    def _save_state(self, state: str) -> None:
        texts = {
            "saving": self.tr("Wird gespeichert …"),
            "saved": self.tr("✔ Gespeichert"),
            "failed": self.tr("⚠ Nicht gespeichert"),
        }
        self.save_label.setText(texts.get(state, ""))

    def _finding_text(self, finding: Finding) -> str:
        text = finding.message_en if self._language() == "en" else finding.message
        mark = "✖" if finding.severity == "error" else "⚠"
        return f"{mark} {text}"

    def _render_findings(self) -> None:
        self.finding_list.clear()
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity != "error"]
        for finding in self.findings:
            item = QListWidgetItem(self._finding_text(finding), self.finding_list)
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            colour = self.kiosk.colours.error if finding.severity == "error" else None
            if colour is not None:
                item.setForeground(QColor(colour))
        if not self._checked:
            self.check_summary.setText("")
        elif errors:
            self.check_summary.setText(
                self.tr(
                    "Es fehlen noch Angaben oder sind fehlerhaft (%1). Tippen Sie auf einen "
                    "Eintrag, um ihn zu korrigieren."
                ).replace("%1", str(len(errors)))
            )
        elif warnings:
            self.check_summary.setText(
                self.tr(
                    "Alle Pflichtangaben sind vollständig. Bitte beachten Sie die Hinweise; "
                    "sie verhindern die Meldung nicht."
                )
            )
        else:
            self.check_summary.setText(
                self.tr("Alle Angaben sind vollständig. Weiter zur Durchsicht.")
            )

    def _render_step_findings(self) -> None:
        step = self.draft.step
        if step == "check" or not self._checked:
            self.step_findings.setVisible(False)
            return
        relevant = [f for f in self.findings if step_of(f.field, self.case_type) == step]
        self.step_findings.setText("\n".join(self._finding_text(f) for f in relevant))
        self.step_findings.setVisible(bool(relevant))

    # -- life cycle -------------------------------------------------------

    def state(self) -> Params:
        return {"case_id": self.case_id} if self.case_id else {}

    def enter(self, params: Params) -> None:
        case_id = params.get("case_id")
        if not isinstance(case_id, str):
            return
        if case_id == self.case_id:
            return
        self.saver.flush()
        self.case_id = None
        self._show_draft(MeldeDraft(case_type=self.case_type), "")
        session = self.kiosk.session
        if session is None:
            return
        store = session.store

        def op() -> tuple[str, dict[str, Any]]:
            stored = store.load_case(case_id)
            return stored.case_number, stored.payload

        def done(result: tuple[str, dict[str, Any]]) -> None:
            number, payload = result
            self.case_id = case_id
            self.saver.case_id = case_id
            draft = MeldeDraft.from_payload(payload)
            draft.case_type = self.case_type
            self._show_draft(draft, number)
            self._save_state("saved")

        self.kiosk.run_in_store(op, done)

    def leave(self) -> None:
        self.saver.flush()

    def _session_changed(self, account: str) -> None:
        if account:
            return
        # locked or logged out: the last save is queued; drop the data from the UI
        self.saver.flush()
        self.saver.case_id = None
        self.case_id = None
        self._show_draft(MeldeDraft(case_type=self.case_type), "")
        self.save_label.clear()

    def current_form(self) -> Form | None:
        return {
            "persons": self.person_form,
            "dwelling": self.dwelling_form,
            "previous": self.kind_form if self.case_type == "anmeldung" else self.previous_form,
            "others": self.other_form,
            "landlord": self.landlord_form,
            "check": self.signer_form,
        }.get(self.draft.step)

    def first_focus(self) -> QWidget | None:
        form = self.current_form()
        return form.first_input() if form is not None else None

    def _show_draft(self, draft: MeldeDraft, number: str) -> None:
        self._loading = True
        self.draft = draft
        self.case_number = number
        self.person_index = 0
        self.other_index = 0
        self.findings = []
        self._checked = False
        self.person_form.load(draft.persons[0])
        self.document_form.load(draft.documents[0] if draft.documents else {})
        self.dwelling_form.load(draft.dwelling)
        if self.case_type == "hauptwohnung" and not draft.dwelling.get("status"):
            self.dwelling_form.choices["status"].set_value("haupt")
            draft.dwelling["status"] = "haupt"
        self.previous_form.load(draft.previous)
        self.kind_form.load({"anmeldung_kind": draft.anmeldung_kind})
        self.other_form.load(draft.others[0] if draft.others else {})
        self.landlord_form.load(draft.landlord)
        steps = self.visible_steps()
        if draft.step not in steps:
            draft.step = steps[0]
        self.pages.setCurrentIndex(self.page_index[draft.step])
        self._loading = False
        self.retranslate()
        if draft.step == "check":
            self.run_check()
        self.kiosk.refresh_title()
        focus = self.first_focus()
        if focus is not None and self.isVisible():
            focus.setFocus()

    def draft_payload(self) -> dict[str, Any]:
        return self.draft.to_payload()

    # -- editing ----------------------------------------------------------

    def _touch(self) -> None:
        self.saver.touch()

    def _person_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.draft.set_person_field(self.person_index, key, value)
        if key in ("family_name", "given_names"):
            item = self.person_list.item(self.person_index)
            if item is not None:
                label = self.draft.person_label(self.person_index) or self.tr("(noch ohne Namen)")
                item.setText(f"{self.person_index + 1}. {label}")
        self._touch()

    def _document_changed(self, key: str, value: str) -> None:
        if not self._loading:
            self.draft.set_document_field(self.person_index, key, value)
            self._touch()

    def _dwelling_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.draft.set_dwelling_field(key, value)
        if key == "status":
            self._render_step()
        self._touch()

    def _previous_changed(self, key: str, value: str) -> None:
        if not self._loading:
            self.draft.set_previous_field(key, value)
            if key == "status":
                self._render_step()
            self._touch()

    def _kind_changed(self, _key: str, value: str) -> None:
        if not self._loading:
            self.draft.anmeldung_kind = value
            self._touch()

    def _other_changed(self, key: str, value: str) -> None:
        if self._loading or not self.draft.others:
            return
        self.draft.set_other_field(self.other_index, key, value)
        if key in ("street", "city"):
            self._render_others()
        self._touch()

    def _landlord_changed(self, key: str, value: str) -> None:
        if not self._loading:
            self.draft.set_landlord_field(key, value)
            self._touch()

    def _signer_changed(self, _key: str, value: str) -> None:
        if not self._loading:
            self.draft.signer = value
            self._touch()
            self.run_check()

    def _select_person(self, row: int) -> None:
        if row < 0 or row == self.person_index or row >= len(self.draft.persons):
            return
        self.person_index = row
        self._load_person()
        self._render_persons()

    def _load_person(self) -> None:
        self._loading = True
        self.person_form.load(self.draft.persons[self.person_index])
        self.objections_form.load(self.draft.persons[self.person_index])
        documents = self.draft.documents
        self.document_form.load(
            documents[self.person_index] if self.person_index < len(documents) else {}
        )
        self._loading = False

    def add_person(self) -> None:
        if not (self.person_form.validate_all() and self.document_form.validate_all()):
            return
        self.person_index = self.draft.add_person()
        self._load_person()
        self._render_persons()
        self._touch()
        first = self.person_form.first_input()
        if first is not None:
            first.setFocus()

    def remove_person(self) -> None:
        self.draft.remove_person(self.person_index)
        self.person_index = min(self.person_index, len(self.draft.persons) - 1)
        self._load_person()
        self._render_persons()
        self._touch()

    def _select_other(self, row: int) -> None:
        if row < 0 or row == self.other_index or row >= len(self.draft.others):
            return
        self.other_index = row
        self._loading = True
        self.other_form.load(self.draft.others[row])
        self._loading = False

    def add_other(self) -> None:
        if self.draft.others and not self.other_form.validate_all():
            return
        self.other_index = self.draft.add_other()
        self._loading = True
        self.other_form.load(self.draft.others[self.other_index])
        self._loading = False
        self._render_others()
        self._touch()
        first = self.other_form.first_input()
        if first is not None:
            first.setFocus()

    def remove_other(self) -> None:
        self.draft.remove_other(self.other_index)
        self.other_index = max(0, min(self.other_index, len(self.draft.others) - 1))
        self._loading = True
        self.other_form.load(self.draft.others[self.other_index] if self.draft.others else {})
        self._loading = False
        self._render_others()
        self._touch()

    # -- check ------------------------------------------------------------

    def run_check(self) -> list[Finding]:
        """Convert the draft and run the domain rules (pure, fast: GUI thread)."""
        _case, findings = draft_to_case(
            self.draft,
            self.kiosk.context.today(),
            case_id=self.case_id,
            case_number=self.case_number,
        )
        self.findings = findings
        self._checked = True
        self._render_findings()
        self._render_step_findings()
        return findings

    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def _jump_to_finding(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(path, str):
            return
        step = step_of(path, self.case_type)
        if step == "check":
            return
        if path.startswith("persons["):
            try:
                index = int(path.split("[", 1)[1].split("]", 1)[0])
            except ValueError:
                index = 0
            if 0 <= index < len(self.draft.persons):
                self.person_index = index
                self._load_person()
                self._render_persons()
        self._set_step(step)

    # -- navigation -------------------------------------------------------

    def visible_steps(self) -> tuple[str, ...]:
        steps = self.draft.steps
        if not self.draft.needs_others():
            steps = tuple(s for s in steps if s != "others")
        return steps

    def _set_step(self, step: str) -> None:
        self.draft.step = step
        self.pages.setCurrentIndex(self.page_index[step])
        if step == "check":
            # the signer choice names the persons as typed by now
            self._render_persons()
            self.run_check()
        self._render_step()
        self._touch()
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus()

    def _step_valid(self) -> bool:
        step = self.draft.step
        if step == "persons":
            return self._all_persons_valid()
        if step == "dwelling":
            return self.dwelling_form.validate_all()
        if step == "previous":
            if self.case_type == "anmeldung" and self.draft.anmeldung_kind == "zuzug_ausland":
                return True
            return self.previous_form.validate_all()
        if step == "others":
            if not self.draft.others:
                self.add_other()
                return False
            return self.other_form.validate_all()
        return True

    def proceed(self) -> None:
        if not self._step_valid():
            return
        steps = self.visible_steps()
        step = self.draft.step if self.draft.step in steps else steps[0]
        position = steps.index(step)
        if position + 1 < len(steps):
            self._set_step(steps[position + 1])
            return
        if self.run_check() and self.has_errors():
            return
        self.saver.flush()
        if self.case_id is not None:
            self.kiosk.go("review", {"case_id": self.case_id})

    def _all_persons_valid(self) -> bool:
        for index in range(len(self.draft.persons)):
            if index != self.person_index:
                self.person_list.setCurrentRow(index)
            if not (self.person_form.validate_all() and self.document_form.validate_all()):
                return False
        return True

    def go_back(self) -> None:
        steps = self.visible_steps()
        step = self.draft.step if self.draft.step in steps else steps[0]
        position = steps.index(step)
        if position > 0:
            self._set_step(steps[position - 1])
        else:
            self.saver.flush()
            self.kiosk.go("dashboard")


class AnmeldungScreen(RegistrationWizard):
    name = "anmeldung"
    case_type = "anmeldung"


SCREEN = AnmeldungScreen
