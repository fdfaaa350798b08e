"""Eheschließung / Lebenspartnerschaft and the links within the Meldeschein
(§ 3 Abs. 1 Nr. 14–16 BMG), per person; every field may stay empty.

The spouse and the parents are chosen from the other persons of the same
Meldeschein (``others`` gives them as (index, label) pairs). The form shows a
draft person's ``spouse`` and ``parents`` texts as choices; the screen writes
the changes back (keeping the spouse link mutual).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtWidgets import QWidget

from koffer.casework.household import parent_list, parent_text
from koffer.kiosk.forms.base import Form
from koffer.kiosk.validation import date_field, din91379

#: the choices of the parents (a child has at most two listed parents)
PARENT_CHOICES: tuple[str, ...] = ("parent_1", "parent_2")


class HouseholdForm(Form):
    def __init__(
        self,
        language: Callable[[], str],
        today: Callable[[], date],
        others: Callable[[], list[tuple[str, str]]],
        parent: QWidget | None = None,
    ) -> None:
        self._language = language
        self._today = today
        self._others = others
        super().__init__(2, parent)

    def build(self) -> None:
        self.add_text(
            "marriage_date",
            date_field(self._today, past_only=True),
            placeholder=lambda: self.tr("TT.MM.JJJJ"),
        )
        self.add_text("marriage_place", din91379("B", self._language))
        self.add_choice("spouse", span=2)
        for key in PARENT_CHOICES:
            self.add_choice(key)

    def _options(self, none: str) -> list[tuple[str, str]]:
        return [("", none), *self._others()]

    def retranslate(self) -> None:
        self.fields["marriage_date"].set_label(
            self.tr("Datum der Eheschließung / Lebenspartnerschaft")
        )
        self.fields["marriage_place"].set_label(
            self.tr("Ort der Eheschließung / Lebenspartnerschaft")
        )
        self.choices["spouse"].label.setText(self.tr("Verheiratet / verpartnert mit"))
        self.choices["spouse"].set_options(self._options(self.tr("– keine Angabe –")))
        self.choices["parent_1"].label.setText(self.tr("Kind von"))
        self.choices["parent_2"].label.setText(self.tr("Kind von (zweiter Elternteil)"))
        for key in PARENT_CHOICES:
            self.choices[key].set_options(self._options(self.tr("– keine Angabe –")))
        super().retranslate()

    def load(self, values: Mapping[str, str]) -> None:
        """Show a draft person: the choices list the other persons as they are now."""
        self.retranslate()
        parents = [str(i) for i in parent_list(values.get("parents"))]
        shown = dict(values)
        for key, code in zip(PARENT_CHOICES, [*parents, "", ""], strict=False):
            shown[key] = code
        super().load(shown)

    def parents(self) -> str:
        """The chosen parents as the draft's ``parents`` text (each once)."""
        chosen: list[int] = []
        for key in PARENT_CHOICES:
            code = self.choices[key].value()
            if code.isdigit() and int(code) not in chosen:
                chosen.append(int(code))
        return parent_text(chosen)
