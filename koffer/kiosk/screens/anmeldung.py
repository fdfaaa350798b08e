"""The Anmeldung wizard: persons moving together, then the new dwelling.

Every key press is kept in a :class:`~koffer.kiosk.drafts.RegistrationDraft`
and saved (encrypted) right away, so a crash loses nothing; opening the screen
with ``case_id`` resumes the saved draft.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from koffer.kiosk.controller import KioskController
from koffer.kiosk.drafting import DraftSaver
from koffer.kiosk.drafts import RegistrationDraft
from koffer.kiosk.forms.dwelling_form import DwellingForm
from koffer.kiosk.forms.person_form import PersonForm
from koffer.kiosk.screens.base import Params, Screen

STEPS: tuple[str, ...] = ("persons", "dwelling")


def _scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class AnmeldungScreen(Screen):
    name = "anmeldung"

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.draft = RegistrationDraft()
        self.case_id: str | None = None
        self.case_number = ""
        self.person_index = 0
        self._loading = False
        self.saver = DraftSaver(kiosk, self.draft_payload, parent=self)
        self.saver.state_changed.connect(self._save_state)
        kiosk.session_changed.connect(self._session_changed)
        language = self._language
        today = kiosk.context.today

        self.step_label = QLabel(self)
        self.step_label.setProperty("role", "subtitle")
        self.step_label.setObjectName("anmeldung_step")
        self.save_label = QLabel(self)
        self.save_label.setObjectName("anmeldung_saved")
        self.save_label.setProperty("role", "hint")

        # step 1: persons
        self.persons_page = QWidget(self)
        self.person_list = QListWidget(self.persons_page)
        self.person_list.setObjectName("anmeldung_persons")
        self.person_list.setMaximumWidth(300)
        self.person_list.currentRowChanged.connect(self._select_person)
        self.add_person_button = QPushButton(self.persons_page)
        self.add_person_button.setObjectName("anmeldung_add_person")
        self.add_person_button.clicked.connect(self.add_person)
        self.remove_person_button = QPushButton(self.persons_page)
        self.remove_person_button.setObjectName("anmeldung_remove_person")
        self.remove_person_button.clicked.connect(self.remove_person)
        self.person_heading = QLabel(self.persons_page)
        self.person_heading.setProperty("role", "title")
        self.person_form = PersonForm(language, today, self.persons_page)
        self.person_form.changed.connect(self._person_changed)
        side = QVBoxLayout()
        side.addWidget(self.person_list, 1)
        side.addWidget(self.add_person_button)
        side.addWidget(self.remove_person_button)
        main = QVBoxLayout()
        main.addWidget(self.person_heading)
        main.addWidget(_scrolled(self.person_form, self.persons_page), 1)
        persons_layout = QHBoxLayout(self.persons_page)
        persons_layout.setContentsMargins(0, 0, 0, 0)
        persons_layout.setSpacing(24)
        persons_layout.addLayout(side)
        persons_layout.addLayout(main, 1)

        # step 2: the new dwelling
        self.dwelling_page = QWidget(self)
        self.dwelling_heading = QLabel(self.dwelling_page)
        self.dwelling_heading.setProperty("role", "title")
        self.dwelling_form = DwellingForm(language, today, self.dwelling_page)
        self.dwelling_form.changed.connect(self._dwelling_changed)
        dwelling_layout = QVBoxLayout(self.dwelling_page)
        dwelling_layout.setContentsMargins(0, 0, 0, 0)
        dwelling_layout.addWidget(self.dwelling_heading)
        dwelling_layout.addWidget(_scrolled(self.dwelling_form, self.dwelling_page), 1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.persons_page)
        self.pages.addWidget(self.dwelling_page)

        self.back_button = QPushButton(self)
        self.back_button.setObjectName("anmeldung_back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("anmeldung_next")
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
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def _language(self) -> str:
        return self.kiosk.context.language

    # -- texts ------------------------------------------------------------

    def title(self) -> str:
        if self.case_number:
            return self.tr("Anmeldung %1").replace("%1", self.case_number)
        return self.tr("Anmeldung")

    def retranslate(self) -> None:
        self.add_person_button.setText(self.tr("+ Person hinzufügen"))
        self.remove_person_button.setText(self.tr("Person entfernen"))
        self.back_button.setText(self.tr("Zurück"))
        self.dwelling_heading.setText(self.tr("Neue Wohnung"))
        self._render_step()
        self._render_persons()

    def _render_step(self) -> None:
        step = STEPS.index(self.draft.step) if self.draft.step in STEPS else 0
        names = [self.tr("Personen, die mit umziehen"), self.tr("Neue Wohnung")]
        self.step_label.setText(
            self.tr("Schritt %1 von %2: %3")
            .replace("%1", str(step + 1))
            .replace("%2", str(len(STEPS)))
            .replace("%3", names[step])
        )
        last = step == len(STEPS) - 1
        self.next_button.setText(self.tr("Weiter") if not last else self.tr("Speichern und weiter"))

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

    def _save_state(self, state: str) -> None:
        texts = {
            "saving": self.tr("Wird gespeichert …"),
            "saved": self.tr("✔ Gespeichert"),
            "failed": self.tr("⚠ Nicht gespeichert"),
        }
        self.save_label.setText(texts.get(state, ""))

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
        self._show_draft(RegistrationDraft(), "")
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
            self._show_draft(RegistrationDraft.from_payload(payload), number)
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
        self._show_draft(RegistrationDraft(), "")
        self.save_label.clear()

    def first_focus(self) -> QWidget | None:
        form = self.person_form if self.draft.step == "persons" else self.dwelling_form
        return form.first_input()

    def _show_draft(self, draft: RegistrationDraft, number: str) -> None:
        self._loading = True
        self.draft = draft
        self.case_number = number
        self.person_index = 0
        self.person_form.load(draft.persons[0])
        self.dwelling_form.load(draft.dwelling)
        self.pages.setCurrentIndex(STEPS.index(draft.step) if draft.step in STEPS else 0)
        self._loading = False
        self.retranslate()
        self.kiosk.refresh_title()
        focus = self.first_focus()
        if focus is not None and self.isVisible():
            focus.setFocus()

    def draft_payload(self) -> dict[str, Any]:
        return self.draft.to_payload()

    # -- editing ----------------------------------------------------------

    def _person_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.draft.set_person_field(self.person_index, key, value)
        if key in ("family_name", "given_names"):
            item = self.person_list.item(self.person_index)
            if item is not None:
                label = self.draft.person_label(self.person_index) or self.tr("(noch ohne Namen)")
                item.setText(f"{self.person_index + 1}. {label}")
        self.saver.touch()

    def _dwelling_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        self.draft.set_dwelling_field(key, value)
        self.saver.touch()

    def _select_person(self, row: int) -> None:
        if row < 0 or row == self.person_index or row >= len(self.draft.persons):
            return
        self.person_index = row
        self._loading = True
        self.person_form.load(self.draft.persons[row])
        self._loading = False
        self._render_persons()

    def add_person(self) -> None:
        if not self.person_form.validate_all():
            return
        self.person_index = self.draft.add_person()
        self._loading = True
        self.person_form.load({})
        self._loading = False
        self._render_persons()
        self.saver.touch()
        first = self.person_form.first_input()
        if first is not None:
            first.setFocus()

    def remove_person(self) -> None:
        self.draft.remove_person(self.person_index)
        self.person_index = min(self.person_index, len(self.draft.persons) - 1)
        self._loading = True
        self.person_form.load(self.draft.persons[self.person_index])
        self._loading = False
        self._render_persons()
        self.saver.touch()

    # -- navigation -------------------------------------------------------

    def _set_step(self, step: str) -> None:
        self.draft.step = step
        self.pages.setCurrentIndex(STEPS.index(step))
        self._render_step()
        self.saver.touch()
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus()

    def proceed(self) -> None:
        if self.draft.step == "persons":
            if self._all_persons_valid():
                self._set_step("dwelling")
        elif self.dwelling_form.validate_all():
            self.saver.flush()
            self.kiosk.go("dashboard")

    def _all_persons_valid(self) -> bool:
        for index in range(len(self.draft.persons)):
            if index != self.person_index:
                self.person_list.setCurrentRow(index)
            if not self.person_form.validate_all():
                return False
        return True

    def go_back(self) -> None:
        if self.draft.step == "dwelling":
            self._set_step("persons")
        else:
            self.saver.flush()
            self.kiosk.go("dashboard")


SCREEN = AnmeldungScreen
