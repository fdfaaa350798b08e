"""The registration wizards step by step: other dwellings, warnings, Abmeldung,
Wechsel der Hauptwohnung, and crash + resume on the new steps."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from koffer.cases import CaseType, DwellingStatus
from koffer.casework.registration import MeldeDraft, draft_to_case
from koffer.kiosk.screens.anmeldung import AnmeldungScreen
from tests.gui.conftest import TODAY, MakeKiosk, login, settle
from tests.gui.registration_helpers import (
    FAMILY,
    LANDLORD,
    NEW_DWELLING,
    PREVIOUS,
    fill,
    start,
    type_family,
)


def _draft(**changes: object) -> MeldeDraft:
    draft = MeldeDraft(
        persons=[{**FAMILY[0][0], "sex": "w"}],
        documents=[dict(FAMILY[0][1])],
        dwelling=dict(NEW_DWELLING),
        previous=dict(PREVIOUS),
        landlord={**LANDLORD, "matches": "1"},
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def test_late_registration_warns_but_does_not_block() -> None:
    draft = _draft(dwelling={**NEW_DWELLING, "move_in_date": "01.09.2025"})
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None and case.case_type is CaseType.ANMELDUNG
    assert [f.severity for f in findings] == ["warning"]
    assert "Tage nach dem Einzug" in findings[0].message
    assert case.persons[0].id_documents[0].serial == "L01X00T47"
    assert case.landlord_confirmation is not None
    assert case.landlord_confirmation.person_names == ["Anna Lena Müller"]


def test_secondary_dwelling_needs_the_other_dwellings() -> None:
    draft = _draft(dwelling={**NEW_DWELLING, "status": "neben"})
    _case, findings = draft_to_case(draft, TODAY)
    assert any(f.field == "other_dwellings" and f.severity == "error" for f in findings)
    draft.add_other()
    draft.others[0].update({**PREVIOUS, "status": "haupt"})
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None and not [f for f in findings if f.severity == "error"]
    assert case.other_dwellings[0].status is DwellingStatus.HAUPT


def test_half_typed_date_is_a_finding_not_a_crash() -> None:
    draft = _draft(persons=[{**FAMILY[0][0], "birth_date": "07.03.19", "sex": "w"}])
    case, findings = draft_to_case(draft, TODAY)
    assert case is None
    assert findings[0].field == "persons[0].birth_date"
    assert "TT.MM.JJJJ" in findings[0].message


def test_old_draft_payload_still_loads() -> None:
    old = {
        "kiosk_draft": 1,
        "case_type": "anmeldung",
        "step": "dwelling",
        "persons": [{"family_name": "X"}],
        "dwelling": {"street": "Y"},
    }
    draft = MeldeDraft.from_payload(old)
    assert draft.step == "dwelling" and draft.documents == [{}] and draft.others == []


def test_nebenwohnung_adds_the_other_dwellings_step(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = start(qtbot, window, "anmeldung")
    fill(screen.person_form, {**FAMILY[0][0], "sex": "w"})
    screen.proceed()
    fill(screen.dwelling_form, {**NEW_DWELLING, "status": "neben"})
    assert "others" in screen.visible_steps()
    assert "Schritt 2 von 6" in screen.step_label.text()
    screen.proceed()
    fill(screen.previous_form, PREVIOUS)
    screen.proceed()
    assert screen.draft.step == "others"
    screen.proceed()  # empty list: a first entry is opened instead of moving on
    assert screen.draft.step == "others" and len(screen.draft.others) == 1
    fill(screen.other_form, {**PREVIOUS, "status": "haupt"})
    screen.proceed()
    assert screen.draft.step == "landlord"
    settle(qtbot, kiosk)


def test_abmeldung_and_hauptwohnung_reuse_the_forms(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = start(qtbot, window, "abmeldung")
    assert screen.visible_steps() == ("persons", "previous", "check")
    fill(screen.person_form, {**FAMILY[0][0], "sex": "w"})
    screen.proceed()
    fill(screen.previous_form, {**PREVIOUS, "move_out_date": "20.11.2025"})
    screen.proceed()
    assert screen.draft.step == "check"
    assert not screen.has_errors(), [f.message for f in screen.findings]
    screen.proceed()
    qtbot.waitUntil(lambda: window.navigator.current_state()[0] == "review")  # type: ignore[index]
    review = window.navigator.page("review")
    qtbot.waitUntil(lambda: review.data is not None)  # type: ignore[attr-defined]
    assert review.data.case_type == "abmeldung"  # type: ignore[attr-defined]

    kiosk.go("dashboard")
    screen = start(qtbot, window, "hauptwohnung")
    assert screen.dwelling_form.choices["status"].value() == "haupt"
    assert screen.dwelling_form.fields["move_in_date"].label.text().startswith("Datum des Wechsels")
    fill(screen.person_form, {**FAMILY[0][0], "sex": "w"})
    screen.proceed()
    fill(screen.dwelling_form, NEW_DWELLING)
    screen.proceed()
    assert screen.draft.step == "others"
    screen.add_other()
    fill(screen.other_form, {**PREVIOUS, "status": "neben"})
    screen.proceed()
    assert screen.draft.step == "check" and not screen.has_errors()
    settle(qtbot, kiosk)


def test_crash_and_resume_on_the_landlord_step(qtbot: QtBot, make_kiosk: MakeKiosk) -> None:
    kiosk, window = make_kiosk()
    login(qtbot, window)
    screen = start(qtbot, window, "anmeldung")
    type_family(qtbot, screen)
    screen.proceed()
    fill(screen.dwelling_form, NEW_DWELLING)
    screen.proceed()
    fill(screen.previous_form, PREVIOUS)
    screen.proceed()
    fill(screen.landlord_form, {"landlord_name": "Wohnbau Köln eG"})
    qtbot.waitUntil(lambda: screen.save_label.text() == "✔ Gespeichert")
    settle(qtbot, kiosk)

    _kiosk2, window2 = make_kiosk()  # as after a power loss
    login(qtbot, window2)
    dashboard = window2.navigator.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.case_list.count() == 1)  # type: ignore[attr-defined]
    dashboard.resume_button.click()  # type: ignore[attr-defined]
    resumed = window2.navigator.page("anmeldung")
    assert isinstance(resumed, AnmeldungScreen)
    qtbot.waitUntil(lambda: resumed.case_id == screen.case_id)
    assert resumed.draft.step == "landlord"
    assert resumed.landlord_form.fields["landlord_name"].text() == "Wohnbau Köln eG"
    assert resumed.previous_form.fields["city"].text() == "Bonn"
    assert [d.get("serial") for d in resumed.draft.documents] == ["L01X00T47", "L01X00T48", None]
    resumed.go_back()
    resumed.go_back()
    resumed.go_back()
    assert resumed.draft.step == "persons"
    assert resumed.document_form.fields["authority"].text() == "Stadt Köln"
    assert date(2025, 11, 21) == TODAY
