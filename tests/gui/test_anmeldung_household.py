"""The Anmeldung's section "Ehe, Lebenspartnerschaft und Kinder" on the person
page (§ 3 Abs. 1 Nr. 14–16 BMG): spouse and parents are chosen from the listed
persons, the spouse link stays mutual, and the draft becomes the case."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from koffer.casework.registration import draft_to_case
from koffer.kiosk.screens.anmeldung import AnmeldungScreen
from tests.gui.conftest import MakeKiosk, login
from tests.gui.registration_helpers import fill, start, type_family


def test_spouse_and_parents_are_chosen_from_the_listed_persons(
    qtbot: QtBot, make_kiosk: MakeKiosk
) -> None:
    _kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = start(qtbot, window, "anmeldung")
    assert isinstance(screen, AnmeldungScreen)
    type_family(qtbot, screen)  # Anna Lena (0), Jörg (1), Zoë (2)
    form = screen.household_form
    # Zoë is shown: she chooses from the two others, not herself
    spouse = form.choices["spouse"].combo
    shown = [spouse.itemData(i) for i in range(spouse.count())]
    assert shown == ["", "0", "1"]
    assert "Anna Lena Müller" in spouse.itemText(1)
    fill(form, {"parent_1": "0", "parent_2": "1"})
    assert screen.draft.persons[2]["parents"] == "0,1"

    screen.person_list.setCurrentRow(0)
    assert screen.person_index == 0
    assert form.choices["parent_1"].value() == ""
    fill(form, {"marriage_date": "20.06.2012", "marriage_place": "Köln", "spouse": "1"})
    assert screen.draft.persons[0]["spouse"] == "1"
    assert screen.draft.persons[1]["spouse"] == "0"  # mutual
    assert screen.draft.persons[0]["marriage_place"] == "Köln"

    screen.person_list.setCurrentRow(1)
    assert form.choices["spouse"].value() == "0"
    screen.person_list.setCurrentRow(2)
    assert (form.choices["parent_1"].value(), form.choices["parent_2"].value()) == ("0", "1")

    case, findings = draft_to_case(screen.draft, date(2025, 11, 20))
    assert case is not None
    anna, joerg, zoe = case.persons
    assert (anna.spouse_index, joerg.spouse_index) == (1, 0)
    assert anna.marriage_date == date(2012, 6, 20) and anna.marriage_place == "Köln"
    assert zoe.parent_indices == [0, 1]
    household = {"marriage_date", "marriage_place", "spouse_index", "parent_indices"}
    assert not [f for f in findings if f.field.rsplit(".", 1)[-1] in household]

    # the spouse leaves the Meldeschein: the links follow
    screen.person_list.setCurrentRow(1)
    screen.persons_page.remove()
    assert screen.draft.persons[0]["spouse"] == ""
    assert screen.draft.persons[1]["parents"] == "0"
