"""Registration drafts (Meldeschein) and their conversion into domain cases."""

from __future__ import annotations

import json
from datetime import date

import pytest

from koffer.cases import (
    AnmeldungKind,
    CaseType,
    DwellingStatus,
    IdDocumentKind,
    Sex,
    TransferObjection,
)
from koffer.casework.drafts import RegistrationDraft
from koffer.casework.registration import STEPS, MeldeDraft, draft_to_case, step_of
from tests.unit.casework.conftest import TODAY, complete_anmeldung


def _errors(draft: MeldeDraft, today: date = TODAY) -> list[tuple[str, str]]:
    _, findings = draft_to_case(draft, today)
    return [(f.field, f.message) for f in findings if f.severity == "error"]


# ---------------------------------------------------------------- the draft


def test_payload_round_trip_keeps_every_part() -> None:
    draft = complete_anmeldung()
    draft.anmeldung_kind = "umzug_innerhalb"
    draft.signer = "1"
    draft.add_other()
    draft.set_other_field(0, "street", "Hohe Straße")
    payload = json.loads(json.dumps(draft.to_payload()))
    back = MeldeDraft.from_payload(payload)
    assert back == draft
    assert back.to_payload() == draft.to_payload()
    assert payload["others"] == [{"status": "neben", "street": "Hohe Straße"}]
    assert payload["landlord"]["matches"] == "1"


def test_an_older_foundation_payload_is_read_with_defaults() -> None:
    old = RegistrationDraft(step="dwelling")
    old.set_person_field(0, "family_name", "Ødegård")
    old.add_person()
    draft = MeldeDraft.from_payload(old.to_payload())
    assert draft.step == "dwelling"
    assert draft.persons == [{"family_name": "Ødegård"}, {}]
    assert draft.anmeldung_kind == "zuzug"
    assert draft.signer == "0"
    assert draft.previous == {} and draft.others == [] and draft.landlord == {}
    # one (empty) ID document per person
    assert draft.documents == [{}, {}]


def test_damaged_parts_are_dropped_and_documents_follow_the_persons() -> None:
    payload = {
        "case_type": "anmeldung",
        "persons": [{"family_name": "Çelik"}],
        "anmeldung_kind": 3,
        "signer": None,
        "previous": ["Am Markt 3"],
        "others": [{"street": "Tal", "status": "neben", "colour": "red"}, "x"],
        "landlord": {"landlord_name": 5, "owner_name": "Ingrid Håkansson"},
        "documents": [{"serial": "X1"}, {"serial": "X2"}],  # more than persons
    }
    draft = MeldeDraft.from_payload(payload)
    assert draft.anmeldung_kind == "zuzug"
    assert draft.signer == "0"
    assert draft.previous == {}
    assert draft.others == [{"street": "Tal", "status": "neben"}]
    assert draft.landlord == {"owner_name": "Ingrid Håkansson"}
    assert draft.documents == [{"serial": "X1"}]


@pytest.mark.parametrize(
    ("case_type", "step", "expected"),
    [
        ("anmeldung", "landlord", "landlord"),
        ("abmeldung", "landlord", "persons"),  # no landlord step in an Abmeldung
        ("hauptwohnung", "previous", "persons"),
        ("abmeldung", "previous", "previous"),
    ],
)
def test_a_step_the_case_type_does_not_have_is_reset(
    case_type: str, step: str, expected: str
) -> None:
    draft = MeldeDraft.from_payload({"case_type": case_type, "step": step})
    assert draft.step == expected
    assert draft.steps == STEPS[case_type]


def test_unknown_case_type_uses_the_anmeldung_steps() -> None:
    assert MeldeDraft(case_type="umzug").steps == STEPS["anmeldung"]


def test_add_and_remove_person_keep_one_document_each() -> None:
    draft = complete_anmeldung()
    assert draft.add_person() == 2
    assert len(draft.documents) == 3
    draft.set_document_field(2, "serial", "T22000129")
    draft.signer = "0"
    draft.remove_person(1)
    assert len(draft.persons) == len(draft.documents) == 2
    assert draft.documents[1] == {"serial": "T22000129"}
    assert draft.signer == "0"


def test_removing_the_signer_makes_the_first_person_sign() -> None:
    draft = complete_anmeldung()
    draft.signer = "1"
    draft.remove_person(1)
    assert draft.signer == "0"
    assert len(draft.documents) == 1


def test_removing_a_person_before_the_signer_keeps_the_same_signer() -> None:
    draft = complete_anmeldung()
    draft.add_person()
    draft.set_person_field(2, "family_name", "Dritte")
    draft.signer = "2"
    draft.remove_person(0)
    # the third person moved one place up and still signs
    assert draft.signer == "1"
    assert draft.persons[int(draft.signer)]["family_name"] == "Dritte"


def test_removing_a_person_after_the_signer_keeps_the_signer() -> None:
    draft = complete_anmeldung()
    draft.add_person()
    draft.signer = "0"
    draft.remove_person(2)
    assert draft.signer == "0"


def test_the_last_person_cannot_be_removed() -> None:
    draft = MeldeDraft()
    draft.remove_person(0)
    assert draft.persons == [{}] and draft.documents == [{}]


def test_editing_refuses_unknown_fields() -> None:
    draft = MeldeDraft()
    with pytest.raises(KeyError):
        draft.set_document_field(0, "colour", "red")
    with pytest.raises(KeyError):
        draft.set_previous_field("move_in_date", "1.1.2025")  # not of a previous dwelling
    with pytest.raises(KeyError):
        draft.set_other_field(0, "move_out_date", "1.1.2025")
    with pytest.raises(KeyError):
        draft.set_landlord_field("phone", "0221")
    assert draft.to_payload() == MeldeDraft().to_payload()


def test_editing_known_fields() -> None:
    draft = MeldeDraft()
    draft.set_document_field(1, "serial", "L01X00T47")
    draft.set_previous_field("move_out_date", "31.10.2025")
    draft.set_other_field(1, "city", "Fürth")
    draft.set_landlord_field("assignment_code", "WGB-00000042")
    assert draft.documents == [{}, {"serial": "L01X00T47"}]
    assert draft.previous == {"move_out_date": "31.10.2025"}
    assert draft.others == [{}, {"city": "Fürth"}]
    assert draft.landlord == {"assignment_code": "WGB-00000042"}
    assert draft.add_other() == 2
    draft.remove_other(0)
    draft.remove_other(9)  # out of range: ignored
    assert draft.others == [{"city": "Fürth"}, {"status": "neben"}]


def test_needs_others_by_case_type() -> None:
    anmeldung = MeldeDraft()
    assert not anmeldung.needs_others()  # sole dwelling by default
    anmeldung.set_dwelling_field("status", "haupt")
    assert anmeldung.needs_others()
    assert MeldeDraft(case_type="hauptwohnung").needs_others()
    abmeldung = MeldeDraft(case_type="abmeldung")
    assert not abmeldung.needs_others()
    abmeldung.set_previous_field("status", "neben")
    assert abmeldung.needs_others()


def test_full_name_is_the_person_label() -> None:
    assert complete_anmeldung().full_name(1) == "Zoë Müller"


# ---------------------------------------------------------------- conversion


def test_complete_anmeldung_becomes_a_valid_case() -> None:
    case, findings = draft_to_case(
        complete_anmeldung(),
        TODAY,
        case_id="3f1c0d52-7a44-4d4b-9c11-0a3e5e1b2c3d",
        case_number="2025-000007",
    )
    assert findings == []
    assert case is not None
    assert case.case_id == "3f1c0d52-7a44-4d4b-9c11-0a3e5e1b2c3d"
    assert case.case_number == "2025-000007"
    assert case.case_type is CaseType.ANMELDUNG
    assert case.anmeldung_kind is AnmeldungKind.ZUZUG
    assert case.registration_date == TODAY
    assert case.move_in_date == date(2025, 11, 16)
    first, child = case.persons
    assert first.given_names == ["Anna", "Lena"]
    assert first.sex is Sex.FEMALE
    assert first.nationalities == ["DE"]
    assert first.birth_date == date(1985, 3, 7)
    (document,) = first.id_documents
    assert document.kind is IdDocumentKind.PA
    assert document.serial == "L01X00T47"  # upper-cased
    assert document.expires == date(2030, 1, 31)
    assert child.id_documents == []
    assert case.new_dwelling is not None
    assert case.new_dwelling.status is DwellingStatus.ALLEINIGE
    assert case.previous_dwelling is not None and case.previous_dwelling.city == "Bonn"
    landlord = case.landlord_confirmation
    assert landlord is not None
    assert landlord.move_in_date == date(2025, 11, 16)
    assert landlord.dwelling_address == case.new_dwelling.one_line()
    assert landlord.person_names == ["Anna Lena Müller", "Zoë Müller"]
    assert case.signer is first


def test_landlord_data_not_confirmed_as_matching_is_not_copied() -> None:
    draft = complete_anmeldung()
    draft.set_landlord_field("matches", "")
    draft.set_landlord_field("assignment_code", "WGB-12345678")
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None and case.landlord_confirmation is not None
    assert case.landlord_confirmation.move_in_date is None
    assert case.landlord_confirmation.person_names == []
    assert case.landlord_confirmation.assignment_code == "WGB-12345678"


def test_empty_draft_gives_german_findings_and_no_case() -> None:
    case, findings = draft_to_case(MeldeDraft(), TODAY)
    assert case is None
    assert [(f.severity, f.field, f.message) for f in findings] == [
        ("error", "persons[0].birth_date", "Geburtsdatum: Bitte geben Sie einen Wert ein.")
    ]
    assert findings[0].message_en == "Birth date: please enter a value."


def test_half_typed_dates_are_findings_at_their_fields() -> None:
    draft = complete_anmeldung()
    draft.set_person_field(1, "birth_date", "03.09.")
    draft.set_dwelling_field("move_in_date", "16.13.2025")
    errors = _errors(draft)
    assert (
        "persons[1].birth_date",
        "Geburtsdatum: Bitte geben Sie das Datum als TT.MM.JJJJ ein.",
    ) in errors
    assert ("move_in_date", "Einzugsdatum: Bitte geben Sie das Datum als TT.MM.JJJJ ein.") in errors
    assert draft_to_case(draft, TODAY)[0] is None


def test_unknown_nationality_and_missing_sex_are_named() -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "nationalities", "deutsch, klingonisch")
    draft.set_person_field(1, "sex", "")
    errors = dict(_errors(draft))
    assert "„klingonisch“ ist unbekannt" in errors["persons[0].nationalities"]
    assert errors["persons[1].sex"] == "Bitte wählen Sie das Geschlecht aus."


def test_nationality_words_and_codes() -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "nationalities", "deutsch; at / polnisch")
    draft.set_person_field(1, "nationalities", "")
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None, findings
    assert case.persons[0].nationalities == ["DE", "AT", "PL"]
    assert case.persons[1].nationalities == ["DE"]  # empty means German


def test_id_document_without_dates_names_both() -> None:
    draft = complete_anmeldung()
    draft.documents[0] = {"serial": "L01X00T47", "authority": "Stadt Köln"}
    errors = _errors(draft)
    assert errors == [
        (
            "persons[0].id_documents[0].issued",
            "Ausweisdokument: Bitte geben Sie das Ausstellungsdatum an.",
        ),
        (
            "persons[0].id_documents[0].expires",
            "Ausweisdokument: Bitte geben Sie an, bis wann es gültig ist.",
        ),
    ]


def test_unknown_document_kind_becomes_other() -> None:
    draft = complete_anmeldung()
    draft.set_document_field(0, "kind", "Bibliotheksausweis")
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    assert case.persons[0].id_documents[0].kind is IdDocumentKind.OTHER


def test_parseable_draft_breaking_a_rule_gives_the_case_and_an_error() -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "family_name", "  ")
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None
    first = findings[0]
    assert first.severity == "error"
    assert first.field == "persons[0].family_name"
    assert first.message == "Familienname: Bitte geben Sie einen Wert ein."


def test_late_registration_is_a_warning_after_the_errors() -> None:
    draft = complete_anmeldung()
    draft.set_dwelling_field("move_in_date", "01.08.2025")
    draft.set_person_field(1, "family_name", "")
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None
    severities = [f.severity for f in findings]
    assert "warning" in severities and "error" in severities
    assert severities == sorted(severities)  # "error" < "warning": errors first
    warning = next(f for f in findings if f.severity == "warning")
    assert warning.field == "move_in_date"
    assert "§ 17 BMG" in warning.message


def test_transfer_objections_are_read_from_the_checkboxes() -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "objection_parteien", "1")
    draft.set_person_field(0, "objection_jubilaeen", "1")
    draft.set_person_field(0, "objection_religionsgesellschaft", "0")
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    assert case.persons[0].transfer_objections == [
        TransferObjection("parteien"),
        TransferObjection("jubilaeen"),
    ]
    assert case.persons[1].transfer_objections == []


def test_abmeldung_has_no_new_dwelling_and_drops_other_dwellings() -> None:
    draft = complete_anmeldung()
    draft.case_type = "abmeldung"
    draft.previous["move_out_date"] = "20.11.2025"
    draft.add_other()
    draft.set_other_field(0, "street", "Tal")
    draft.set_other_field(0, "house_number", "1")
    draft.set_other_field(0, "postcode", "80331")
    draft.set_other_field(0, "city", "München")
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None, findings
    assert case.case_type is CaseType.ABMELDUNG
    assert case.new_dwelling is None
    assert case.move_in_date is None
    assert case.move_out_date == date(2025, 11, 20)
    assert case.landlord_confirmation is None
    assert case.anmeldung_kind is None
    assert case.other_dwellings == []  # only asked for when a secondary dwelling is given up


def test_hauptwohnung_defaults_to_main_residence_and_keeps_others() -> None:
    draft = complete_anmeldung()
    draft.case_type = "hauptwohnung"
    draft.add_other()
    for key, value in {
        "street": "Tal",
        "house_number": "1",
        "postcode": "80331",
        "city": "München",
    }.items():
        draft.set_other_field(0, key, value)
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    assert case.new_dwelling is not None
    assert case.new_dwelling.status is DwellingStatus.HAUPT
    assert case.previous_dwelling is None
    assert [o.status for o in case.other_dwellings] == [DwellingStatus.NEBEN]
    assert case.landlord_confirmation is None


def test_move_from_abroad_drops_a_domestic_previous_address() -> None:
    draft = complete_anmeldung()
    draft.anmeldung_kind = "zuzug_ausland"
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    assert case.anmeldung_kind is AnmeldungKind.ZUZUG_AUSLAND
    assert case.previous_dwelling is None
    draft.set_previous_field("country", "at")
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None and case.previous_dwelling is not None
    assert case.previous_dwelling.country == "AT"


@pytest.mark.parametrize("signer", ["7", "-1", "zwei"])
def test_invalid_signer_falls_back_to_the_first_person(signer: str) -> None:
    draft = complete_anmeldung()
    draft.signer = signer
    case, _ = draft_to_case(draft, TODAY)
    assert case is not None
    assert case.signer_index == 0


def test_chosen_signer_is_kept() -> None:
    draft = complete_anmeldung()
    draft.signer = "1"
    case, findings = draft_to_case(draft, TODAY)
    assert case is not None and case.signer_index == 1
    # the second person is a child: the rules ask for an adult signer
    assert any(f.field == "signer_index" and f.severity == "error" for f in findings)


@pytest.mark.parametrize(
    ("field", "case_type", "step"),
    [
        ("persons[1].family_name", "anmeldung", "persons"),
        ("signer_index", "abmeldung", "persons"),
        ("new_dwelling.street", "anmeldung", "dwelling"),
        ("new_dwelling.street", "abmeldung", "check"),
        ("move_out_date", "abmeldung", "previous"),
        ("other_dwellings[0].city", "hauptwohnung", "others"),
        ("landlord_confirmation.landlord_name", "anmeldung", "landlord"),
        ("landlord_confirmation.landlord_name", "hauptwohnung", "check"),
        ("registration_date", "anmeldung", "check"),
    ],
)
def test_step_of_a_finding(field: str, case_type: str, step: str) -> None:
    assert step_of(field, case_type) == step
