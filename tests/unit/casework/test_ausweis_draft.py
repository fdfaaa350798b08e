"""The Personalausweis draft: payload round trips, the finger plan, the domain model."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from koffer.cases import (
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    Hand,
    IdCardApplication,
    PhotoSource,
    Sex,
    case_from_dict,
    case_to_dict,
    check,
)
from koffer.casework.ausweis_draft import (
    CASE_TYPE,
    PHOTO_ATTACHMENT,
    SIGNATURE_PNG,
    SIGNATURE_STROKES,
    STEPS,
    AusweisDraft,
    FingerDraft,
    fee_total,
    fingerprint_attachment,
    nationality_codes,
)
from koffer.errors import ValidationError
from tests.unit.casework.conftest import TODAY

ADULT = {
    "family_name": "Łukasiewicz",
    "given_names": "Małgorzata Anna",
    "birth_name": "Nowak",
    "birth_date": "07.03.1985",
    "birth_place": "Kraków",
    "sex": "w",
    "nationalities": "deutsch, polnisch",
}


def _complete() -> AusweisDraft:
    return AusweisDraft(
        step="pin",
        person=dict(ADULT),
        address={
            "street": "Königstraße",
            "house_number": "3",
            "postcode": "90402",
            "city": "Nürnberg",
        },
        photo_attachment=PHOTO_ATTACHMENT,
        fingers=[
            FingerDraft(
                "7", [40, 81, 62], 1, fingerprint_attachment(FingerCode.LEFT_INDEX), "flat"
            ),
            FingerDraft("2", [70], 0, fingerprint_attachment(FingerCode.RIGHT_INDEX)),
        ],
        signature_attachments=[SIGNATURE_PNG, SIGNATURE_STROKES],
        pin_handed_out=True,
        pin_number=" 0123456789 ",
    )


# ---------------------------------------------------------------- payload


def test_payload_round_trip_keeps_everything() -> None:
    draft = _complete()
    draft.unavailable = {"6": ExemptionReason.TEMPORARY.value}
    draft.delivery = Delivery.DIRECT_DELIVERY.value
    draft.second_id_present = True
    draft.express = True
    draft.outside_hours = True
    draft.photo_problems = ["too_dark"]
    payload = json.loads(json.dumps(draft.to_payload()))
    assert payload["kiosk_draft"] == 1 and payload["case_type"] == CASE_TYPE
    assert "application" not in payload
    back = AusweisDraft.from_payload(payload)
    assert back == draft
    assert back.to_payload() == draft.to_payload()


def test_the_finished_application_travels_with_the_draft() -> None:
    draft = _complete()
    draft.application = case_to_dict(draft.to_application(TODAY))
    payload = json.loads(json.dumps(draft.to_payload()))
    back = AusweisDraft.from_payload(payload)
    assert back.application == draft.application
    restored = case_from_dict(payload["application"])
    assert isinstance(restored, IdCardApplication)
    assert restored.person.family_name == "Łukasiewicz"


def test_damaged_payload_parts_fall_back_to_defaults() -> None:
    payload: dict[str, Any] = {
        "step": "teleport",
        "person": {"family_name": "Yılmaz", "sex": 1, "shoe_size": "42"},
        "address": "Tal 1",
        "photo": {"source": "selfie", "attachment": None, "problems": "dark"},
        "fingerprints": {
            "records": [
                {"finger": "11", "qualities": [50], "kept_index": 0, "attachment": "a.wsq"},
                {"finger": "7", "qualities": ["x"], "kept_index": 0, "attachment": "b.wsq"},
                {"finger": "2", "qualities": [55], "kept_index": 0},
                "nonsense",
                {"finger": 7, "qualities": [60, "61"], "kept_index": "1", "attachment": "c.wsq"},
            ],
            "unavailable": {"3": "injured_forever", "42": "temporary", "4": "permanent"},
            "exemption": "because",
        },
        "signature": {"attachments": "signature.png"},
        "delivery": {"mode": "drone", "express": 1},
        "pin": {"handed_out": "yes", "number": None},
        "application": ["not", "a", "case"],
    }
    draft = AusweisDraft.from_payload(payload)
    assert draft.step == "person"
    assert draft.person == {"family_name": "Yılmaz"}
    assert draft.address == {}
    assert draft.photo_source == PhotoSource.AUTHORITY_CAPTURE.value
    assert draft.photo_attachment == "" and draft.photo_problems == []
    # only the readable record is kept, its texts converted
    assert draft.fingers == [FingerDraft("7", [60, 61], 1, "c.wsq", "")]
    assert draft.unavailable == {"4": "permanent"}
    assert draft.fingerprint_exemption == ""
    assert draft.signature_attachments == []
    assert draft.delivery == Delivery.PICKUP.value and draft.express
    assert draft.pin_handed_out and draft.pin_number == ""
    assert draft.application is None


def test_draft_started_from_the_generic_dashboard_draft_takes_its_first_person() -> None:
    payload = {"kiosk_draft": 1, "case_type": "personalausweis", "persons": [dict(ADULT), {}]}
    draft = AusweisDraft.from_payload(payload)
    assert draft.person == ADULT
    assert draft.person_label() == "Małgorzata Anna Łukasiewicz"
    assert AusweisDraft.from_payload({"persons": []}).person == {}


def test_finger_draft_json_and_quality() -> None:
    finger = FingerDraft("2", [30, 88, 51], 1, "fingerprint-2.wsq", "rolled")
    assert FingerDraft.from_json(finger.to_json()) == finger
    assert finger.quality == 88
    assert FingerDraft.from_json(None) is None
    assert FingerDraft.from_json({"finger": "2"}) is None


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("deutsch, polnisch", ["DE", "PL"]),
        ("DE PL de", ["DE", "PL"]),  # duplicates dropped
        ("österreichisch; türkisch", ["AT", "TR"]),
        ("", ["DE"]),
        ("  ", ["DE"]),
    ],
)
def test_nationality_codes(text: str, codes: list[str]) -> None:
    assert nationality_codes(text) == codes


def test_unknown_nationality_word_reaches_the_rules() -> None:
    draft = _complete()
    draft.person["nationalities"] = "klingonisch"
    assert nationality_codes("klingonisch") == ["klingonisch"]
    findings = check(draft.to_application(TODAY), TODAY)
    assert any(f.severity == "error" and "nationalities" in f.field for f in findings)


def test_fingerprint_attachment_names_and_steps() -> None:
    assert fingerprint_attachment(FingerCode.LEFT_INDEX) == "fingerprint-7.wsq"
    assert STEPS[0] == "person" and STEPS[-2:] == ("pin", "payment")
    assert fee_total([Decimal("37.00"), Decimal("6.00")]) == Decimal("43.00")
    assert fee_total([]) == Decimal("0.00")


def test_age_and_birth_date() -> None:
    draft = AusweisDraft(person={"birth_date": "22.11.2009"})
    assert draft.birth_date() == date(2009, 11, 22)
    assert draft.age(TODAY) == 15  # the birthday is tomorrow
    assert AusweisDraft(person={"birth_date": "22.11."}).age(TODAY) is None


# ---------------------------------------------------------------- the finger plan


def test_hand_plan_starts_with_the_index_finger_and_skips_unavailable() -> None:
    draft = AusweisDraft(person=dict(ADULT))
    finger, substitutes = draft.hand_plan(Hand.LEFT)
    assert finger is FingerCode.LEFT_INDEX
    assert FingerCode.LEFT_INDEX not in substitutes and substitutes
    draft.unavailable = {"7": ExemptionReason.TEMPORARY.value}
    finger, substitutes = draft.hand_plan(Hand.LEFT)
    assert finger is not None and finger is not FingerCode.LEFT_INDEX
    assert finger.hand is Hand.LEFT
    assert all(f.hand is Hand.LEFT for f in substitutes)


def test_hand_plan_is_empty_once_a_finger_of_the_hand_is_captured() -> None:
    draft = _complete()
    assert draft.hand_plan(Hand.LEFT) == (None, [])
    assert draft.finger(FingerCode.LEFT_INDEX) is draft.fingers[0]
    assert draft.finger(FingerCode.LEFT_THUMB) is None


def test_hand_plan_without_any_available_finger() -> None:
    draft = AusweisDraft(person=dict(ADULT))
    left = [f for f in FingerCode if f.hand is Hand.LEFT]
    draft.unavailable = {f.value: ExemptionReason.PERMANENT.value for f in left}
    assert draft.hand_plan(Hand.LEFT) == (None, [])
    assert draft.hand_plan(Hand.RIGHT)[0] is FingerCode.RIGHT_INDEX


def test_fingerprints_done() -> None:
    draft = _complete()
    assert draft.fingerprints_done(TODAY)
    draft.fingers = draft.fingers[:1]  # right hand still missing
    assert not draft.fingerprints_done(TODAY)
    draft.fingerprint_exemption = ExemptionReason.PERMANENT.value
    assert draft.fingerprints_done(TODAY)
    child = AusweisDraft(person={**ADULT, "birth_date": "01.01.2022"})
    assert child.fingerprints_done(TODAY)  # under six: no fingerprints


# ---------------------------------------------------------------- the domain model


def test_complete_draft_becomes_a_valid_application() -> None:
    app = _complete().to_application(TODAY, case_id="case-7", case_number="2025-000007")
    assert check(app, TODAY) == []
    assert app.case_id == "case-7" and app.case_number == "2025-000007"
    assert app.person.given_names == ["Małgorzata", "Anna"]
    assert app.person.sex is Sex.FEMALE
    assert app.person.nationalities == ["DE", "PL"]
    assert app.person.birth_name == "Nowak"
    assert app.person.doctoral_degree is None
    assert app.address is not None and app.address.status is DwellingStatus.ALLEINIGE
    assert app.photo is not None and app.photo.attachment == PHOTO_ATTACHMENT
    assert app.photo.cloud_code is None
    assert [(r.finger, r.kept_index) for r in app.fingerprints] == [
        (FingerCode.LEFT_INDEX, 1),
        (FingerCode.RIGHT_INDEX, 0),
    ]
    assert app.fingerprint_exemptions == []
    assert app.signature_attachments == [SIGNATURE_PNG, SIGNATURE_STROKES]
    assert app.pin_letter_handed_out and app.pin_letter_number == "0123456789"
    assert app.delivery is Delivery.PICKUP
    assert app.fee_amount == Decimal("43.00")  # 37.00 + 6.00 for the photo taken here


def test_application_survives_the_case_serialisation() -> None:
    app = _complete().to_application(TODAY)
    assert case_to_dict(case_from_dict(case_to_dict(app))) == case_to_dict(app)


def test_delivery_override_and_without_fee() -> None:
    draft = _complete()
    app = draft.to_application(TODAY, delivery=Delivery.DIRECT_DELIVERY.value, with_fee=False)
    assert app.delivery is Delivery.DIRECT_DELIVERY
    assert app.fee_amount is None
    assert draft.delivery == Delivery.PICKUP.value  # the draft itself keeps the choice


def test_child_gets_the_under_age_exemption_and_the_lower_fee() -> None:
    draft = _complete()
    draft.person["birth_date"] = "01.01.2022"
    app = draft.to_application(TODAY)
    assert app.fingerprints == []
    assert [e.reason for e in app.fingerprint_exemptions] == [ExemptionReason.UNDER_AGE]
    assert app.fee_amount is not None and app.fee_amount < Decimal("43.00")


def test_unavailable_fingers_become_exemptions_in_finger_order() -> None:
    draft = _complete()
    draft.unavailable = {"8": "temporary", "6": "permanent"}
    draft.fingerprint_exemption = ExemptionReason.TEMPORARY.value
    app = draft.to_application(TODAY)
    assert [(e.finger, e.reason) for e in app.fingerprint_exemptions] == [
        (FingerCode.LEFT_THUMB, ExemptionReason.PERMANENT),
        (FingerCode.LEFT_MIDDLE, ExemptionReason.TEMPORARY),
        (None, ExemptionReason.TEMPORARY),
    ]


def test_cloud_code_only_counts_for_a_provider_photo() -> None:
    draft = _complete()
    draft.cloud_code = " ABCD-1234 "
    photo = draft.to_application(TODAY).photo
    assert photo is not None and photo.cloud_code is None
    draft.photo_source = PhotoSource.PROVIDER_CLOUD_CODE.value
    draft.photo_attachment = ""
    app = draft.to_application(TODAY)
    assert app.photo is not None
    assert app.photo.cloud_code == "ABCD-1234" and app.photo.attachment is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "", "Das Geburtsdatum fehlt oder ist ungültig."),
        ("birth_date", "31.02.1985", "Das Geburtsdatum fehlt oder ist ungültig."),
        ("sex", "", "Das Geschlecht fehlt oder ist ungültig."),
    ],
)
def test_invalid_person_raises_a_german_error(field: str, value: str, message: str) -> None:
    draft = _complete()
    draft.person[field] = value
    with pytest.raises(ValidationError) as caught:
        draft.to_application(TODAY)
    assert caught.value.message.startswith(message)
    assert caught.value.message.endswith("Bitte prüfen Sie die Eingabe.")


def test_unknown_address_status_is_the_sole_dwelling() -> None:
    draft = _complete()
    draft.address["status"] = "zelt"
    assert draft.address_model().status is DwellingStatus.ALLEINIGE
    draft.address["status"] = "haupt"
    assert draft.address_model().status is DwellingStatus.HAUPT


def test_missing_family_name_is_a_rule_finding() -> None:
    draft = _complete()
    draft.person["family_name"] = " "
    findings = check(draft.to_application(TODAY), TODAY)
    first = findings[0]
    assert first.severity == "error" and first.field.endswith("family_name")
    assert first.message == "Familienname: Bitte geben Sie einen Wert ein."


@pytest.mark.parametrize(
    "payload",
    [
        {"photo": {"source": ["x"]}},
        {"delivery": {"mode": {"a": 1}}},
        {"fingerprints": {"exemption": ["under_6"]}},
        {"fingerprints": {"unavailable": {"2": ["injury"]}}},
    ],
)
def test_a_damaged_payload_with_lists_for_choices_is_read_with_defaults(
    payload: dict[str, Any],
) -> None:
    draft = AusweisDraft.from_payload(payload)
    default = AusweisDraft()
    assert draft.photo_source == default.photo_source
    assert draft.delivery == default.delivery
    assert draft.fingerprint_exemption == default.fingerprint_exemption
    assert draft.unavailable == {}


def test_a_finger_whose_kept_capture_is_not_among_the_captures_is_dropped() -> None:
    record = {"finger": "2", "qualities": [50], "kept_index": 3, "attachment": "a.wsq"}
    assert FingerDraft.from_json(record) is None
    assert FingerDraft.from_json({**record, "kept_index": -1}) is None
    kept = FingerDraft.from_json({**record, "kept_index": 0})
    assert kept is not None and kept.quality == 50
