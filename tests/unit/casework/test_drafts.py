"""The registration draft of the foundation: payload round trips, editing, names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from koffer.casework.drafts import (
    DRAFT_VERSION,
    DWELLING_FIELDS,
    OBJECTION_FIELDS,
    PERSON_FIELDS,
    RegistrationDraft,
    citizen_name,
    display_name,
)


def _typed() -> RegistrationDraft:
    draft = RegistrationDraft(case_type="hauptwohnung", step="dwelling")
    draft.set_person_field(0, "family_name", "Dvořák-Þórsdóttir")
    draft.set_person_field(0, "given_names", "Ľudmila Åsa")
    draft.set_person_field(0, "birth_date", "07.03.19")  # half typed: kept as typed
    draft.set_person_field(0, "objection_parteien", "1")
    draft.set_person_field(1, "family_name", "Nguyễn")
    draft.set_dwelling_field("street", "Äußere Laufer Gasse")
    draft.set_dwelling_field("move_in_date", "1.11.2025")
    return draft


def test_new_draft_payload_has_the_documented_shape() -> None:
    assert RegistrationDraft().to_payload() == {
        "kiosk_draft": DRAFT_VERSION,
        "case_type": "anmeldung",
        "step": "persons",
        "persons": [{}],
        "dwelling": {},
    }


def test_payload_round_trip_keeps_every_text_exactly() -> None:
    draft = _typed()
    payload = draft.to_payload()
    # what the store writes is JSON: the round trip goes through it
    back = RegistrationDraft.from_payload(json.loads(json.dumps(payload)))
    assert back == draft
    assert back.persons[0]["birth_date"] == "07.03.19"
    assert back.persons[1] == {"family_name": "Nguyễn"}
    assert back.to_payload() == payload


def test_payload_is_a_copy_of_the_draft() -> None:
    draft = _typed()
    payload = draft.to_payload()
    payload["persons"][0]["family_name"] = "changed"
    payload["dwelling"]["street"] = "changed"
    assert draft.persons[0]["family_name"] == "Dvořák-Þórsdóttir"
    assert draft.dwelling["street"] == "Äußere Laufer Gasse"


def test_damaged_payload_parts_are_dropped_not_fatal() -> None:
    payload: dict[str, Any] = {
        "case_type": 7,
        "step": None,
        "persons": [
            "not a person",
            {"family_name": "Yılmaz", "given_names": 42, "unknown": "x", "sex": "m"},
        ],
        "dwelling": {"street": "Tal", "postcode": 80331, "colour": "blue"},
    }
    draft = RegistrationDraft.from_payload(payload)
    assert draft.case_type == "anmeldung"
    assert draft.step == "persons"
    assert draft.persons == [{"family_name": "Yılmaz", "sex": "m"}]
    assert draft.dwelling == {"street": "Tal"}


@pytest.mark.parametrize("persons", [None, "Müller", [], ["x", 3]])
def test_missing_persons_give_one_empty_person(persons: object) -> None:
    draft = RegistrationDraft.from_payload({"persons": persons, "dwelling": "Tal 1"})
    assert draft.persons == [{}]
    assert draft.dwelling == {}


def test_setting_a_field_of_a_later_person_adds_persons() -> None:
    draft = RegistrationDraft()
    draft.set_person_field(2, "given_names", "Kim")
    assert draft.persons == [{}, {}, {"given_names": "Kim"}]


def test_unknown_fields_are_refused() -> None:
    draft = RegistrationDraft()
    with pytest.raises(KeyError):
        draft.set_person_field(0, "shoe_size", "42")
    with pytest.raises(KeyError):
        draft.set_dwelling_field("garden", "yes")
    assert draft.persons == [{}]
    assert draft.dwelling == {}


def test_add_and_remove_persons_keeps_at_least_one() -> None:
    draft = RegistrationDraft()
    assert draft.add_person() == 1
    assert draft.add_person() == 2
    draft.set_person_field(1, "family_name", "Öztürk")
    draft.remove_person(0)
    assert len(draft.persons) == 2
    assert draft.persons[0] == {"family_name": "Öztürk"}
    draft.remove_person(5)  # out of range: ignored
    draft.remove_person(-1)
    assert len(draft.persons) == 2
    draft.remove_person(1)
    draft.remove_person(0)  # the last person stays
    assert draft.persons == [{"family_name": "Öztürk"}]


def test_person_label_and_display_name() -> None:
    draft = _typed()
    assert draft.person_label(0) == "Ľudmila Åsa Dvořák-Þórsdóttir"
    assert draft.person_label(1) == "Nguyễn"
    assert display_name({"given_names": "Kim"}) == "Kim"
    assert display_name({"given_names": 3, "family_name": "Şahin"}) == "Şahin"
    assert display_name({}) == ""
    assert display_name("Müller") == ""


def test_citizen_name_of_a_registration_and_an_id_card_draft() -> None:
    draft = _typed()
    assert citizen_name(draft.to_payload()) == "Ľudmila Åsa Dvořák-Þórsdóttir + 1"
    draft.remove_person(1)
    assert citizen_name(draft.to_payload()) == "Ľudmila Åsa Dvořák-Þórsdóttir"
    # persons without any name yet
    assert citizen_name({"persons": [{}, {"birth_date": "01.01.2000"}]}) == ""
    # a Personalausweis draft names its applicant
    person = {"given_names": "Zoë Marie", "family_name": "Grünewald"}
    assert citizen_name({"case_type": "personalausweis", "person": person}) == (
        "Zoë Marie Grünewald"
    )
    assert citizen_name({}) == ""


def test_objection_keys_are_person_fields() -> None:
    assert set(OBJECTION_FIELDS) == {"religionsgesellschaft", "parteien", "jubilaeen"}
    assert set(OBJECTION_FIELDS.values()) <= set(PERSON_FIELDS)
    assert "move_in_date" in DWELLING_FIELDS
