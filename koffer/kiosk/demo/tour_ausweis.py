"""The Personalausweis and Wechsel der Hauptwohnung part of the demo tour.

The application itself is :mod:`koffer.kiosk.demo.scripted_ausweis` (the same
script the clerk-effort benchmark counts); this module numbers its screenshots,
adds the citizen review and the completion, then walks a Wechsel der
Hauptwohnung up to its check.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from koffer.kiosk.demo.scripted_ausweis import Clerk, ausweis_stages
from koffer.kiosk.demo.steps import Step, Tour
from koffer.kiosk.demo.tour_registration import FAMILY, fill_form
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.meldeschein import MeldescheinWizard
from koffer.kiosk.screens.review import ReviewScreen

#: the first number after the registration screenshots (01–23)
FIRST_NUMBER = 24


def ausweis_steps(tour: Tour) -> list[Step]:
    """Steps named ``NN-…`` take a screenshot; unnamed ones only act and wait."""
    kiosk = tour.kiosk
    pages = tour.window.navigator
    today = kiosk.context.today()
    number = FIRST_NUMBER

    def numbered(name: str) -> str:
        nonlocal number
        label = f"{number:02d}-{name}"
        number += 1
        return label

    def on(name: str) -> bool:
        state = pages.current_state()
        return state is not None and state[0] == name

    def review() -> ReviewScreen:
        return cast(ReviewScreen, pages.page("review"))

    def completion() -> CompletionScreen:
        return cast(CompletionScreen, pages.page("completion"))

    def wizard() -> MeldescheinWizard:
        return cast(MeldescheinWizard, pages.page("hauptwohnung"))

    def start_ausweis() -> None:
        kiosk.go("dashboard")

    steps: list[Step] = [("", start_ausweis, lambda: on("dashboard"))]
    for stage in ausweis_stages(tour.window, Clerk()):
        name = numbered(f"ausweis-{stage.shot}") if stage.shot else ""
        steps.append((name, stage.act, stage.ready))

    def start_hauptwohnung() -> None:
        kiosk.go("dashboard")
        tour.dashboard().start_case("hauptwohnung")

    def hauptwohnung_person() -> None:
        screen = wizard()
        fill_form(screen.person_form, FAMILY[0][0])
        fill_form(screen.document_form, FAMILY[0][1])
        screen.proceed()
        fill_form(
            screen.dwelling_form,
            {
                "street": "Lindenweg",
                "house_number": "12a",
                "postcode": "50667",
                "city": "Köln",
                "move_in_date": f"{today - timedelta(days=3):%d.%m.%Y}",
            },
        )

    def hauptwohnung_others() -> None:
        screen = wizard()
        screen.proceed()
        screen.add_other()
        fill_form(
            screen.other_form,
            {
                "street": "Am Markt",
                "house_number": "3",
                "postcode": "53111",
                "city": "Bonn",
                "status": "neben",
            },
        )

    def hauptwohnung_check() -> None:
        wizard().proceed()

    def saved() -> bool:
        return not wizard().saver.dirty

    def confirm_review() -> None:
        review().read_to_end()  # the confirm button opens once everything was shown
        review().proceed()

    steps += [
        (
            numbered("ausweis-review"),
            lambda: None,
            lambda: on("review") and review().data is not None,
        ),
        (
            numbered("ausweis-completion"),
            confirm_review,
            lambda: on("completion") and completion().phase == "done",
        ),
        ("", start_hauptwohnung, lambda: wizard().case_id is not None),
        (
            numbered("hauptwohnung-dwelling"),
            hauptwohnung_person,
            lambda: wizard().draft.step == "dwelling" and saved(),
        ),
        (
            numbered("hauptwohnung-others"),
            hauptwohnung_others,
            lambda: wizard().draft.step == "others" and saved(),
        ),
        (
            numbered("hauptwohnung-check"),
            hauptwohnung_check,
            lambda: wizard().draft.step == "check" and saved(),
        ),
    ]
    return steps
