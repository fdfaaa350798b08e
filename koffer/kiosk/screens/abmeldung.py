"""The Abmeldung wizard: persons, the dwelling given up (with Auszugsdatum), other
dwellings when a Nebenwohnung is given up, check (the Anmeldung's forms reused)."""

from __future__ import annotations

from koffer.kiosk.screens.meldeschein import MeldescheinWizard


class AbmeldungScreen(MeldescheinWizard):
    name = "abmeldung"
    case_type = "abmeldung"
    previous_date_key = "move_out_date"

    def type_label(self) -> str:
        return self.tr("Abmeldung")

    def step_names(self) -> dict[str, str]:
        names = super().step_names()
        names["persons"] = self.tr("Personen, die sich abmelden")
        names["previous"] = self.tr("Wohnung, die aufgegeben wird")
        return names


SCREEN = AbmeldungScreen
