"""The Anmeldung: persons moving together (with one ID document each) → new
dwelling with Einzugsdatum and status → previous dwelling and kind of
Anmeldung → other dwellings (only when the new one is not the alleinige
Wohnung) → Wohnungsgeberbestätigung → check → citizen review.

What only an Anmeldung has, on top of the
:class:`~koffer.kiosk.screens.meldeschein.MeldescheinWizard`: the objection
rights each person is told about (§ 42 Abs. 3, § 50 Abs. 5 BMG) and the kind
of Anmeldung, where a Zuzug aus dem Ausland may leave the previous address
empty.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from koffer.casework.household import link_spouses
from koffer.casework.registration import MeldeDraft
from koffer.kiosk.forms.base import Form
from koffer.kiosk.forms.choice_form import ChoiceForm
from koffer.kiosk.forms.household_form import PARENT_CHOICES, HouseholdForm
from koffer.kiosk.forms.objections_form import ObjectionsForm
from koffer.kiosk.screens.meldeschein import MeldescheinWizard
from koffer.kiosk.screens.meldeschein_parts import heading, hint

#: steps of the Anmeldung (kept for callers of the first version)
STEPS: tuple[str, ...] = MeldeDraft(case_type="anmeldung").steps


class AnmeldungScreen(MeldescheinWizard):
    name = "anmeldung"
    case_type = "anmeldung"

    def type_label(self) -> str:
        return self.tr("Anmeldung")

    # -- the objection rights, below each person's ID document ---------------

    def _person_extras(self, parent: QWidget) -> list[QWidget]:
        self.objections_heading = heading(parent, "subtitle")
        self.objections_notice = hint(parent)
        self.objections_notice.setObjectName(f"{self.name}_objections_notice")
        self.objections_form = ObjectionsForm(self._language, parent)
        self.persons_page.add_person_form(self.objections_form)
        spacing = QWidget(parent)
        spacing.setFixedHeight(12)
        return [
            spacing,
            self.objections_heading,
            self.objections_notice,
            self.objections_form,
            *self._household_extras(parent),
        ]

    # -- Ehe, Lebenspartnerschaft, Kinder (§ 3 Abs. 1 Nr. 14–16 BMG) ---------

    def _household_extras(self, parent: QWidget) -> list[QWidget]:
        self.household_heading = heading(parent, "subtitle")
        self.household_notice = hint(parent)
        self.household_form = HouseholdForm(
            self._language, self.kiosk.context.today, self._household_others, parent
        )
        self.household_form.setObjectName(f"{self.name}_household")
        # loaded with the selected person; its changes are written here
        self.persons_page.person_forms.append(self.household_form)
        self.household_form.changed.connect(self._household_changed)
        spacing = QWidget(parent)
        spacing.setFixedHeight(12)
        return [spacing, self.household_heading, self.household_notice, self.household_form]

    def _household_others(self) -> list[tuple[str, str]]:
        """The other persons of the Meldeschein, for the spouse and parent choices."""
        if not hasattr(self, "draft"):
            return []
        index = self.persons_page.index
        return [
            (str(i), f"{i + 1}. {self.persons_page.label(i)}")
            for i in range(len(self.draft.persons))
            if i != index
        ]

    def _household_changed(self, key: str, value: str) -> None:
        if self._loading:
            return
        index = self.persons_page.index
        if key == "spouse":
            link_spouses(self.draft.persons, index, int(value) if value.isdigit() else None)
        elif key in PARENT_CHOICES:
            self.draft.set_person_field(index, "parents", self.household_form.parents())
        else:
            self.draft.set_person_field(index, key, value)
        self._touch()

    # -- the kind of Anmeldung, above the previous dwelling ------------------

    def _previous_extras(self) -> list[QWidget]:
        self.kind_form = ChoiceForm("anmeldung_kind", self)
        self.kind_form.changed.connect(self._kind_changed)
        self.previous_hint = hint(self)
        return [self.kind_form, self.previous_hint]

    def _previous_first_form(self) -> Form:
        return self.kind_form

    def _previous_valid(self) -> bool:
        if self.draft.anmeldung_kind == "zuzug_ausland":
            return True
        return super()._previous_valid()

    def _load_extras(self, draft: MeldeDraft) -> None:
        self.kind_form.load({"anmeldung_kind": draft.anmeldung_kind})

    def _kind_changed(self, _key: str, value: str) -> None:
        if not self._loading:
            self.draft.anmeldung_kind = value
            self._touch()

    def retranslate(self) -> None:
        self.objections_heading.setText(self.tr("Widerspruchsrechte dieser Person"))
        self.household_heading.setText(self.tr("Ehe, Lebenspartnerschaft und Kinder"))
        self.household_notice.setText(
            self.tr(
                "Nur ausfüllen, soweit die Personen es angeben. Ehegatten, Lebenspartner "
                "und Eltern wählen Sie aus den Personen dieses Meldescheins."
            )
        )
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
        self.previous_hint.setText(
            self.tr("Bei einem Zuzug aus dem Ausland kann die bisherige Anschrift leer bleiben.")
        )
        kind = self.kind_form.choices["anmeldung_kind"]
        kind.label.setText(self.tr("Art der Anmeldung"))
        kind.set_options(
            [
                ("zuzug", self.tr("Zuzug aus einer anderen Gemeinde")),
                ("umzug_innerhalb", self.tr("Umzug innerhalb der Gemeinde")),
                ("zuzug_ausland", self.tr("Zuzug aus dem Ausland")),
            ]
        )
        super().retranslate()


SCREEN = AnmeldungScreen
