"""Wechsel der Hauptwohnung: persons, the dwelling that becomes the Hauptwohnung
(with the date of the change), all other dwellings, check."""

from __future__ import annotations

from koffer.casework.registration import MeldeDraft
from koffer.kiosk.screens.meldeschein import MeldescheinWizard


class HauptwohnungScreen(MeldescheinWizard):
    name = "hauptwohnung"
    case_type = "hauptwohnung"

    def type_label(self) -> str:
        return self.tr("Wechsel der Hauptwohnung")

    def step_names(self) -> dict[str, str]:
        names = super().step_names()
        names["persons"] = self.tr("Personen")
        names["dwelling"] = self.tr("Neue Hauptwohnung")
        return names

    def _prepare_draft(self, draft: MeldeDraft) -> None:
        # the dwelling of this case becomes the Hauptwohnung
        if not draft.dwelling.get("status"):
            draft.dwelling["status"] = "haupt"

    def retranslate(self) -> None:
        super().retranslate()
        self.dwelling_form.fields["move_in_date"].set_label(self.tr("Datum des Wechsels"))


SCREEN = HauptwohnungScreen
