"""The registration part of the demo tour: family Anmeldung to the printed
Meldebestätigung, outbox, Abmeldung, technician and administration screens."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import cast

from koffer.kiosk.demo.steps import Step, Tour
from koffer.kiosk.forms.base import Form
from koffer.kiosk.screens.completion import CompletionScreen
from koffer.kiosk.screens.meldeschein import MeldescheinWizard
from koffer.kiosk.screens.outbox import OutboxScreen
from koffer.kiosk.screens.review import ReviewScreen
from koffer.kiosk.screens.technician import TechnicianScreen

FAMILY: tuple[tuple[Mapping[str, str], Mapping[str, str]], ...] = (
    (
        {
            "family_name": "Yılmaz",
            "given_names": "Ayşe",
            "birth_date": "14.05.1986",
            "birth_place": "Köln",
            "sex": "w",
            "nationalities": "deutsch",
        },
        {
            "serial": "L01X00T47",
            "authority": "Stadt Köln",
            "issued": "01.02.2020",
            "expires": "31.01.2030",
        },
    ),
    (
        {
            "family_name": "Yılmaz",
            "given_names": "Mehmet Ali",
            "birth_date": "02.10.1983",
            "birth_place": "Bonn",
            "sex": "m",
            "nationalities": "deutsch, türkisch",
        },
        {
            "kind": "RP",
            "serial": "C4J7K2LMN",
            "authority": "Stadt Bonn",
            "issued": "05.06.2019",
            "expires": "04.06.2029",
        },
    ),
    (
        {
            "family_name": "Yılmaz",
            "given_names": "Zoë",
            "birth_date": "03.09.2016",
            "birth_place": "Köln",
            "sex": "w",
            "nationalities": "deutsch",
        },
        {},
    ),
)


def fill_form(form: Form, values: Mapping[str, str]) -> None:
    for key, text in values.items():
        if key in form.choices:
            combo = form.choices[key].combo
            combo.setCurrentIndex(combo.findData(text))
        else:
            form.fields[key].edit.setText(text)
            form.fields[key].edit.textEdited.emit(text)


def registration_steps(tour: Tour) -> list[Step]:
    kiosk = tour.kiosk
    pages = tour.window.navigator
    today = kiosk.context.today()

    def wizard(name: str) -> MeldescheinWizard:
        return cast(MeldescheinWizard, pages.page(name))

    def review() -> ReviewScreen:
        return cast(ReviewScreen, pages.page("review"))

    def completion() -> CompletionScreen:
        return cast(CompletionScreen, pages.page("completion"))

    def outbox() -> OutboxScreen:
        return cast(OutboxScreen, pages.page("outbox"))

    def technician() -> TechnicianScreen:
        return cast(TechnicianScreen, pages.page("technician"))

    def saved(name: str) -> bool:
        screen = wizard(name)
        return not screen.saver.dirty and screen.save_label.text() != "Wird gespeichert …"

    def on(name: str) -> bool:
        state = pages.current_state()
        return state is not None and state[0] == name

    def start(case_type: str) -> Callable[[], None]:
        def act() -> None:
            kiosk.go("dashboard")
            tour.dashboard().start_case(case_type)

        return act

    def family() -> None:
        screen = wizard("anmeldung")
        for index, (person, document) in enumerate(FAMILY):
            if index:
                screen.add_person()
            fill_form(screen.person_form, person)
            fill_form(screen.document_form, document)

    def dwelling() -> None:
        screen = wizard("anmeldung")
        screen.proceed()
        fill_form(
            screen.dwelling_form,
            {
                "street": "Lindenweg",
                "house_number": "12a",
                "postcode": "50667",
                "city": "Köln",
                "move_in_date": f"{today - timedelta(days=20):%d.%m.%Y}",
            },
        )

    def previous() -> None:
        screen = wizard("anmeldung")
        screen.proceed()
        fill_form(
            screen.previous_form,
            {"street": "Am Markt", "house_number": "3", "postcode": "53111", "city": "Bonn"},
        )

    def landlord() -> None:
        screen = wizard("anmeldung")
        screen.proceed()
        fill_form(
            screen.landlord_form,
            {
                "landlord_name": "Wohnbau Köln eG",
                "landlord_address": "Ringstraße 1, 50667 Köln",
                "matches": "1",
            },
        )

    def check() -> None:
        wizard("anmeldung").proceed()

    def to_review() -> None:
        wizard("anmeldung").proceed()

    def confirm() -> None:
        review().read_to_end()  # the confirm button opens once everything was shown
        review().proceed()

    def open_outbox() -> None:
        kiosk.go("outbox")

    def abmeldung() -> None:
        start("abmeldung")()

    def abmeldung_fill() -> None:
        screen = wizard("abmeldung")
        fill_form(screen.person_form, FAMILY[0][0])
        screen.proceed()
        fill_form(
            screen.previous_form,
            {
                "street": "Lindenweg",
                "house_number": "12a",
                "postcode": "50667",
                "city": "Köln",
                "status": "neben",
                "move_out_date": f"{today:%d.%m.%Y}",
            },
        )

    def run_selftest() -> None:
        kiosk.go("technician")
        technician().run_selftest()

    def admin() -> None:
        kiosk.go("admin")

    return [
        (
            "10-anmeldung-family",
            start("anmeldung"),
            lambda: wizard("anmeldung").case_id is not None,
        ),
        (
            "11-anmeldung-three-persons",
            family,
            lambda: len(wizard("anmeldung").draft.persons) == 3 and saved("anmeldung"),
        ),
        (
            "12-anmeldung-new-dwelling",
            dwelling,
            lambda: wizard("anmeldung").draft.step == "dwelling",
        ),
        (
            "13-anmeldung-previous",
            previous,
            lambda: wizard("anmeldung").draft.step == "previous" and saved("anmeldung"),
        ),
        (
            "14-anmeldung-landlord",
            landlord,
            lambda: wizard("anmeldung").draft.step == "landlord" and saved("anmeldung"),
        ),
        (
            "15-anmeldung-check-warning",
            check,
            lambda: wizard("anmeldung").draft.step == "check" and saved("anmeldung"),
        ),
        ("16-review", to_review, lambda: on("review") and review().data is not None),
        ("17-completion-printed", confirm, lambda: completion().phase == "done"),
        ("18-outbox", open_outbox, lambda: on("outbox") and bool(outbox().entries)),
        ("19-abmeldung", abmeldung, lambda: wizard("abmeldung").case_id is not None),
        (
            "20-abmeldung-nebenwohnung",
            abmeldung_fill,
            lambda: wizard("abmeldung").draft.step == "previous",
        ),
        (
            "21-technician-selftest",
            run_selftest,
            lambda: on("technician") and not technician().running,
        ),
        ("22-admin", admin, lambda: on("admin") and bool(pages.page("admin").accounts)),  # type: ignore[attr-defined]
        ("23-dashboard-outbox", lambda: kiosk.go("dashboard"), lambda: on("dashboard")),
    ]
