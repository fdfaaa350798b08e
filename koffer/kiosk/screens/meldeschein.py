"""The Meldeschein wizard: one registration case, the frame of the Anmeldung,
Abmeldung and Wechsel der Hauptwohnung screens.

Pages (the draft's :attr:`~koffer.casework.registration.MeldeDraft.steps`
pick which of them a case type shows): persons with one ID document each →
dwelling → previous dwelling → other dwellings (only when the dwelling is not
the alleinige Wohnung) → Wohnungsgeberbestätigung → check (every finding of
:func:`koffer.cases.check`, the signer) → the citizen's review. Each page is
built by one ``_build_*_page`` method; what differs between the case types
lives in the subclasses (:mod:`~koffer.kiosk.screens.anmeldung`,
:mod:`~koffer.kiosk.screens.abmeldung`,
:mod:`~koffer.kiosk.screens.hauptwohnung`) through the hooks at the end of
this class.

Every key press is kept in a :class:`~koffer.casework.registration.MeldeDraft`
and saved (encrypted) right away, so a crash loses nothing; opening the screen
with ``case_id`` resumes the saved draft. The draft becomes a domain case on
the check step; warnings (late registration …) are shown but do not block.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from koffer.cases import Finding
from koffer.casework.registration import MeldeDraft, draft_to_case, step_of
from koffer.kiosk.controller import KioskController
from koffer.kiosk.drafting import DraftSaver
from koffer.kiosk.forms.address_form import AddressForm
from koffer.kiosk.forms.base import Form
from koffer.kiosk.forms.dwelling_form import DwellingForm
from koffer.kiosk.forms.landlord_form import LandlordForm
from koffer.kiosk.screens.base import Params
from koffer.kiosk.screens.meldeschein_lists import OthersPage, PersonsPage
from koffer.kiosk.screens.meldeschein_parts import CheckPage, heading, hint, titled_page
from koffer.kiosk.screens.wizard_frame import WizardFrame
from koffer.kiosk.widgets.scrolling import scrolled


class MeldescheinWizard(WizardFrame):
    """One Meldeschein; :attr:`case_type` picks the steps, subclasses the rest."""

    case_type: ClassVar[str] = ""
    #: the date asked for on the previous-dwelling page ("" = none)
    previous_date_key: ClassVar[str] = ""

    def __init__(self, kiosk: KioskController, parent: QWidget | None = None) -> None:
        super().__init__(kiosk, parent)
        self.draft = MeldeDraft(case_type=self.case_type)
        self.case_id: str | None = None
        self.case_number = ""
        self.findings: list[Finding] = []
        self._checked = False
        self._loading = False
        self.saver = DraftSaver(kiosk, self.draft_payload, parent=self)
        self.saver.state_changed.connect(self.show_save_state)
        kiosk.session_changed.connect(self._session_changed)
        self.step_findings = QLabel(self)
        self.step_findings.setObjectName(f"{self.name}_step_findings")
        self.step_findings.setWordWrap(True)
        self.step_findings.setVisible(False)
        self.pages = QStackedWidget(self)
        self.page_index: dict[str, int] = {}
        self._add_page("persons", self._build_persons_page())
        self._add_page("dwelling", self._build_dwelling_page())
        self._add_page("previous", self._build_previous_page())
        self._add_page("others", self._build_others_page())
        self._add_page("landlord", self._build_landlord_page())
        self._add_page("check", self._build_check_page())
        self.content.addWidget(self.step_findings)
        self.content.addWidget(self.pages, 1)
        self.retranslate()

    # -- pages --------------------------------------------------------------

    def _add_page(self, step: str, page: QWidget) -> None:
        self.page_index[step] = self.pages.addWidget(page)

    def _language(self) -> str:
        return self.kiosk.context.language

    def _build_persons_page(self) -> QWidget:
        """The persons moving together, each with one ID document."""
        self.persons_page = PersonsPage(
            self.name, self._language, self.kiosk.context.today, self._draft, self._touch, self
        )
        self.person_list = self.persons_page.side.entries
        self.add_person_button = self.persons_page.side.add_button
        self.person_form = self.persons_page.form
        self.document_form = self.persons_page.document_form
        for widget in self._person_extras(self.persons_page):
            self.persons_page.column.addWidget(widget)
        return self.persons_page

    def _build_dwelling_page(self) -> QWidget:
        """The new dwelling (Anmeldung), the new Hauptwohnung (Wechsel)."""
        self.dwelling_heading = heading(self)
        self.dwelling_form = DwellingForm(self._language, self.kiosk.context.today, self)
        self.dwelling_form.changed.connect(self._dwelling_changed)
        return titled_page(self, self.dwelling_heading, (), scrolled(self.dwelling_form, self))

    def _build_previous_page(self) -> QWidget:
        """The previous dwelling (Anmeldung), the dwelling given up (Abmeldung)."""
        self.previous_heading = heading(self)
        self.previous_form = AddressForm(
            self._language,
            self.kiosk.context.today,
            date_key=self.previous_date_key,
            date_label=lambda: self.tr("Auszugsdatum"),
            parent=self,
        )
        self.previous_form.changed.connect(self._previous_changed)
        return titled_page(
            self,
            self.previous_heading,
            self._previous_extras(),
            scrolled(self.previous_form, self),
        )

    def _build_others_page(self) -> QWidget:
        """Every other dwelling of the persons (the Beiblatt)."""
        self.others_page = OthersPage(
            self.name, self._language, self.kiosk.context.today, self._draft, self._touch, self
        )
        self.other_form = self.others_page.form
        return self.others_page

    def _build_landlord_page(self) -> QWidget:
        """The Wohnungsgeberbestätigung."""
        self.landlord_heading = heading(self)
        self.landlord_hint = hint(self)
        self.landlord_form = LandlordForm(self._language, self)
        self.landlord_form.changed.connect(self._landlord_changed)
        return titled_page(
            self,
            self.landlord_heading,
            (self.landlord_hint,),
            scrolled(self.landlord_form, self),
        )

    def _build_check_page(self) -> QWidget:
        """Every finding of the rules, and who signs."""
        self.check_page = CheckPage(self.name, self)
        self.check_page.finding_chosen.connect(self._jump_to_finding)
        self.finding_list = self.check_page.finding_list
        self.check_summary = self.check_page.summary
        self.signer_form = self.check_page.signer_form
        self.signer_form.changed.connect(self._signer_changed)
        return self.check_page

    # -- texts ------------------------------------------------------------

    def type_label(self) -> str:
        return ""

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
        names = self.step_names()
        self.persons_page.retranslate()
        self.dwelling_heading.setText(names["dwelling"])
        self.previous_heading.setText(names["previous"])
        self.others_page.retranslate(names["others"])
        self.landlord_heading.setText(names["landlord"])
        self.landlord_hint.setText(
            self.tr(
                "Die Bestätigung des Wohnungsgebers nennt: Name und Anschrift des "
                "Wohnungsgebers, das Einzugsdatum, die Anschrift der Wohnung und die Namen "
                "der Personen. Liegt eine elektronische Bestätigung vor, genügt das "
                "Zuordnungsmerkmal."
            )
        )
        self.check_page.retranslate(names["check"])
        self._render_step()
        self._render_signers()
        self._render_findings()

    def _render_step(self) -> None:
        steps = self.visible_steps()
        step = self.draft.step if self.draft.step in steps else steps[0]
        self.show_step(steps.index(step), len(steps), self.step_names()[step])
        last = step == steps[-1]
        self.show_navigation(
            last_label=self.tr("Zur Durchsicht mit der Bürgerin/dem Bürger") if last else None
        )
        self._render_step_findings()

    def _render_signers(self) -> None:
        """The signer choice names the persons as typed by now."""
        self.check_page.show_signers(
            [
                (
                    str(i),
                    self.draft.person_label(i)
                    or self.tr("Person %1 (noch ohne Namen)").replace("%1", str(i + 1)),
                )
                for i in range(len(self.draft.persons))
            ],
            self.draft.signer,
        )

    def _finding_text(self, finding: Finding) -> str:
        text = finding.message_en if self._language() == "en" else finding.message
        mark = "✖" if finding.severity == "error" else "⚠"
        return f"{mark} {text}"

    def _render_findings(self) -> None:
        self.check_page.show_findings(
            self.findings,
            [self._finding_text(f) for f in self.findings],
            checked=self._checked,
            error_colour=self.kiosk.colours.error,
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
        if not isinstance(case_id, str) or case_id == self.case_id:
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
            self.show_save_state("saved")

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
            "previous": self._previous_first_form(),
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
        self.findings = []
        self._checked = False
        self._prepare_draft(draft)
        self.persons_page.load(0)
        self.others_page.load(0)
        self.dwelling_form.load(draft.dwelling)
        self.previous_form.load(draft.previous)
        self.landlord_form.load(draft.landlord)
        self._load_extras(draft)
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

    def _draft(self) -> MeldeDraft:
        return self.draft

    def _touch(self) -> None:
        self.saver.touch()

    @property
    def person_index(self) -> int:
        """The person shown on the persons page."""
        return self.persons_page.index

    def add_person(self) -> None:
        self.persons_page.add()

    def add_other(self) -> None:
        self.others_page.add()

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

    def _landlord_changed(self, key: str, value: str) -> None:
        if not self._loading:
            self.draft.set_landlord_field(key, value)
            self._touch()

    def _signer_changed(self, _key: str, value: str) -> None:
        if not self._loading:
            self.draft.signer = value
            self._touch()
            self.run_check()

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

    def _jump_to_finding(self, path: str) -> None:
        step = step_of(path, self.case_type)
        if step == "check":
            return
        if path.startswith("persons["):
            try:
                index = int(path.split("[", 1)[1].split("]", 1)[0])
            except ValueError:
                index = 0
            if 0 <= index < len(self.draft.persons):
                self.persons_page.load(index)
                self.persons_page.refresh()
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
            self.persons_page.refresh()
            self._render_signers()
            self.run_check()
        self._render_step()
        self._touch()
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus()

    def _step_valid(self) -> bool:
        step = self.draft.step
        if step == "persons":
            return self.persons_page.validate_all()
        if step == "dwelling":
            return self.dwelling_form.validate_all()
        if step == "previous":
            return self._previous_valid()
        if step == "others":
            return self.others_page.validate_all()
        return True

    def _position(self) -> tuple[tuple[str, ...], int]:
        steps = self.visible_steps()
        step = self.draft.step if self.draft.step in steps else steps[0]
        return steps, steps.index(step)

    def proceed(self) -> None:
        if not self._step_valid():
            return
        steps, position = self._position()
        if position + 1 < len(steps):
            self._set_step(steps[position + 1])
            return
        if self.run_check() and self.has_errors():
            return
        self.saver.flush()
        if self.case_id is not None:
            self.kiosk.go("review", {"case_id": self.case_id})

    def go_back(self) -> None:
        steps, position = self._position()
        if position > 0:
            self._set_step(steps[position - 1])
        else:
            self.saver.flush()
            self.kiosk.go("dashboard")

    # -- what the case types change ---------------------------------------

    def _person_extras(self, parent: QWidget) -> list[QWidget]:
        """Widgets below a person's ID document (the Anmeldung's objections)."""
        del parent
        return []

    def _previous_extras(self) -> list[QWidget]:
        """Widgets above the previous-dwelling form (the kind of Anmeldung)."""
        return []

    def _previous_first_form(self) -> Form:
        """The form that gets the focus on the previous-dwelling page."""
        return self.previous_form

    def _previous_valid(self) -> bool:
        return self.previous_form.validate_all()

    def _prepare_draft(self, draft: MeldeDraft) -> None:
        """Fill defaults of this case type into a draft about to be shown."""

    def _load_extras(self, draft: MeldeDraft) -> None:
        """Show the draft's fields that only this case type's widgets hold."""
