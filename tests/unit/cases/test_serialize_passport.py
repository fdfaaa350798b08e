"""The payload of a Reisepass application and of the legal representatives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from koffer.cases import (
    CaseType,
    Custody,
    IdCardApplication,
    PassportApplication,
    Relationship,
    case_from_dict,
    case_to_dict,
    sample_case,
)
from koffer.errors import ValidationError
from tests.unit.cases.factories import TODAY, person
from tests.unit.cases.test_serialize import _strategy


@settings(max_examples=100, deadline=None)
@given(_strategy(PassportApplication))
def test_passport_round_trip_is_exact(case: PassportApplication) -> None:
    data = json.loads(json.dumps(case_to_dict(case)))
    assert data["case_type"] == "reisepass"
    again = case_from_dict(data)
    assert type(again) is PassportApplication and again == case


def test_the_representative_travels_in_the_payload() -> None:
    case = sample_case(CaseType.REISEPASS, 4, TODAY, persons=[person(12)])
    data = json.loads(json.dumps(case_to_dict(case)))
    (rep,) = data["legal_representatives"]
    assert rep["relationship"] == "mutter"
    assert rep["birth_date"] and rep["family_name"] and rep["given_names"]
    assert rep["id_document_kind"] == "PA" and rep["signature_attachments"]
    assert data["custody"] == "gemeinsam" and data["other_parent_consent"] is True
    again = case_from_dict(data)
    assert isinstance(again, PassportApplication)
    assert again.legal_representatives[0].relationship is Relationship.MOTHER
    assert again.custody is Custody.JOINT


def test_id_card_carries_the_representative_too() -> None:
    case = sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY, persons=[person(9)])
    data = case_to_dict(case)
    assert data["legal_representatives"][0]["family_name"] == "Müller"
    assert case_from_dict(data) == case


def test_an_id_card_payload_without_the_new_keys_still_reads() -> None:
    data = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, 4, TODAY, persons=[person(30)]))
    for key in ("legal_representatives", "custody", "other_parent_consent"):
        del data[key]
    case = case_from_dict(data)
    assert isinstance(case, IdCardApplication) and case.legal_representatives == []


def _passport_data() -> dict[str, Any]:
    return case_to_dict(sample_case(CaseType.REISEPASS, 4, TODAY, persons=[person(12)]))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["legal_representatives"][0].update(relationship="nachbar"), "relationship"),
        (lambda d: d.update(custody="halb"), "custody"),
        (lambda d: d.update(pin_letter_number="123"), "pin_letter_number"),
        (lambda d: d["legal_representatives"][0].pop("birth_date"), "birth_date"),
    ],
)
def test_damaged_passport_payload_is_refused(change: Any, field: str) -> None:
    data = _passport_data()
    change(data)
    with pytest.raises(ValidationError, match=field):
        case_from_dict(data)
