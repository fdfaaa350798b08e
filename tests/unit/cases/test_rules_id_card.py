"""PAuswG / PAuswV rules of the Personalausweis application."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from koffer.cases import (
    CaseType,
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    FingerprintExemption,
    FingerprintRecord,
    IdCardApplication,
    Photo,
    PhotoSource,
    RuleSettings,
    check,
    ensure_valid,
    fee,
    sample_case,
)
from tests.unit.cases.factories import TODAY, person


def _app(age: int = 40, **changes: object) -> IdCardApplication:
    case = sample_case(CaseType.PERSONALAUSWEIS, 5, TODAY, persons=[person(age)])
    assert isinstance(case, IdCardApplication)
    case.delivery = Delivery.PICKUP
    case.delivery_address = None
    case.outside_hours_surcharge = False
    case.fee_amount = None
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def _errors(case: IdCardApplication, settings: RuleSettings | None = None) -> dict[str, str]:
    return {f.field: f.message for f in check(case, TODAY, settings) if f.severity == "error"}


def _print(
    finger: FingerCode, qualities: tuple[int, ...] = (40, 80, 60), kept: int = 1
) -> FingerprintRecord:
    return FingerprintRecord(
        finger=finger,
        qualities=list(qualities),
        kept_index=kept,
        attachment=f"fingerprint-{finger.value}.wsq",
    )


@pytest.mark.parametrize("seed", range(30))
def test_samples_are_valid(seed: int) -> None:
    ensure_valid(sample_case(CaseType.PERSONALAUSWEIS, seed, TODAY), TODAY, RuleSettings())


def test_sample_has_attachments() -> None:
    case = _app()
    assert case.photo is not None and case.photo.attachment == "photo.jpg"
    assert [f.attachment for f in case.fingerprints] == ["fingerprint-7.wsq", "fingerprint-2.wsq"]
    assert "signature.png" in case.signature_attachments
    assert _errors(case) == {}


def test_no_fingerprints_under_six() -> None:
    child = _app(5)
    assert child.fingerprints == [] and child.signature_attachments == []
    assert _errors(child) == {}
    child.fingerprints = [_print(FingerCode.LEFT_INDEX)]
    assert "fingerprints" in _errors(child)
    six = _app(6)
    assert len(six.fingerprints) == 2 and _errors(six) == {}
    six.fingerprints = []
    six.fingerprint_exemptions = [FingerprintExemption(reason=ExemptionReason.UNDER_AGE)]
    errors = _errors(six)
    assert "fingerprint_exemptions" in errors and "fingerprints" in errors


def test_little_finger_never() -> None:
    case = _app(fingerprints=[_print(FingerCode.LEFT_LITTLE), _print(FingerCode.RIGHT_INDEX)])
    errors = _errors(case)
    assert (
        "fingerprints[0].finger" in errors and "Kleine Finger" in errors["fingerprints[0].finger"]
    )


def test_substitution_order_needs_reasons() -> None:
    case = _app(fingerprints=[_print(FingerCode.LEFT_INDEX), _print(FingerCode.RIGHT_MIDDLE)])
    errors = _errors(case)
    assert "fingerprints[1].finger" in errors
    assert "rechter Zeigefinger" in errors["fingerprints[1].finger"]
    case.fingerprint_exemptions = [
        FingerprintExemption(finger=FingerCode.RIGHT_INDEX, reason=ExemptionReason.MISSING)
    ]
    assert "rechter Daumen" in _errors(case)["fingerprints[1].finger"]
    case.fingerprint_exemptions.append(
        FingerprintExemption(finger=FingerCode.RIGHT_THUMB, reason=ExemptionReason.INJURED)
    )
    assert _errors(case) == {}


def test_thumb_substitutes_index() -> None:
    case = _app(
        fingerprints=[_print(FingerCode.LEFT_THUMB), _print(FingerCode.RIGHT_INDEX)],
        fingerprint_exemptions=[
            FingerprintExemption(finger=FingerCode.LEFT_INDEX, reason=ExemptionReason.QUALITY)
        ],
    )
    assert _errors(case) == {}


def test_at_most_two_prints_one_per_hand() -> None:
    three = _app(
        fingerprints=[
            _print(FingerCode.LEFT_INDEX),
            _print(FingerCode.RIGHT_INDEX),
            _print(FingerCode.RIGHT_THUMB),
        ]
    )
    assert "fingerprints" in _errors(three)
    same_hand = _app(fingerprints=[_print(FingerCode.LEFT_INDEX), _print(FingerCode.LEFT_INDEX)])
    assert "fingerprints[1].finger" in _errors(same_hand)


def test_captures_and_best_kept() -> None:
    too_many = _app(
        fingerprints=[
            _print(FingerCode.LEFT_INDEX, (1, 2, 3, 4), 3),
            _print(FingerCode.RIGHT_INDEX),
        ]
    )
    assert "fingerprints[0].qualities" in _errors(too_many)
    none = _app(fingerprints=[_print(FingerCode.LEFT_INDEX, (), 0), _print(FingerCode.RIGHT_INDEX)])
    assert "fingerprints[0].qualities" in _errors(none)
    not_best = _app(
        fingerprints=[
            _print(FingerCode.LEFT_INDEX, (40, 80, 60), 2),
            _print(FingerCode.RIGHT_INDEX),
        ]
    )
    assert "fingerprints[0].kept_index" in _errors(not_best)
    out_of_range = _app(
        fingerprints=[_print(FingerCode.LEFT_INDEX, (40, 180), 1), _print(FingerCode.RIGHT_INDEX)]
    )
    assert "fingerprints[0].qualities" in _errors(out_of_range)
    one_capture = _app(
        fingerprints=[_print(FingerCode.LEFT_INDEX, (55,), 0), _print(FingerCode.RIGHT_INDEX)]
    )
    assert _errors(one_capture) == {}
    bad_name = _app(fingerprints=[_print(FingerCode.LEFT_INDEX), _print(FingerCode.RIGHT_INDEX)])
    bad_name.fingerprints[0].attachment = "../etc/passwd"
    assert "fingerprints[0].attachment" in _errors(bad_name)


def test_missing_hand_needs_reason() -> None:
    one = _app(fingerprints=[_print(FingerCode.RIGHT_INDEX)])
    assert "fingerprints" in _errors(one)
    one.fingerprint_exemptions = [
        FingerprintExemption(finger=f, reason=ExemptionReason.MISSING)
        for f in (
            FingerCode.LEFT_INDEX,
            FingerCode.LEFT_THUMB,
            FingerCode.LEFT_MIDDLE,
            FingerCode.LEFT_RING,
        )
    ]
    assert _errors(one) == {}
    none = _app(
        fingerprints=[],
        fingerprint_exemptions=[FingerprintExemption(reason=ExemptionReason.PERMANENT)],
    )
    assert _errors(none) == {}
    temporary = _app(
        fingerprints=[],
        fingerprint_exemptions=[FingerprintExemption(reason=ExemptionReason.TEMPORARY)],
    )
    assert _errors(temporary) == {}
    assert any(f.field == "fingerprint_exemptions" for f in check(temporary, TODAY))


def test_direct_delivery_rules() -> None:
    ok = _app(40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True)
    ok.delivery_address = ok.address
    assert _errors(ok) == {}
    young = _app(15, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True)
    assert "delivery" in _errors(young)
    assert "delivery" not in _errors(
        _app(16, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True)
    )
    no_second = _app(40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=False)
    assert "second_id_present" in _errors(no_second)
    express = _app(40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True, express=True)
    assert "express" in _errors(express)
    proxy = _app(
        40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True, applicant_in_person=False
    )
    assert "applicant_in_person" in _errors(proxy)
    elsewhere = _app(40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True)
    assert elsewhere.address is not None
    other = type(elsewhere.address)(
        street="Am See", house_number="2", postcode="91522", city="Ansbach"
    )
    elsewhere.delivery_address = other
    errors = _errors(elsewhere)
    assert "Hauptwohnung" in errors["delivery_address"] and "Abholung" in errors["delivery_address"]
    secondary = _app(40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True)
    assert secondary.address is not None
    secondary.address.status = DwellingStatus.NEBEN
    assert "delivery_address" in _errors(secondary)
    provisional = _app(
        40, delivery=Delivery.DIRECT_DELIVERY, second_id_present=True, provisional=True
    )
    assert "provisional" in _errors(provisional)


def test_signature_age_is_configurable() -> None:
    twelve = _app(12, signature_attachments=[])
    assert "signature_attachments" in _errors(twelve)
    nine = _app(9)
    assert nine.signature_attachments == [] and _errors(nine) == {}
    assert "signature_attachments" in _errors(nine, RuleSettings(signature_min_age=8))
    ten = _app(10)
    assert ten.signature_attachments and _errors(ten) == {}


def test_photo_rules() -> None:
    assert "photo" in _errors(_app(photo=None))
    assert "photo.attachment" in _errors(_app(photo=Photo(source=PhotoSource.AUTHORITY_CAPTURE)))
    assert "photo.cloud_code" in _errors(_app(photo=Photo(source=PhotoSource.PROVIDER_CLOUD_CODE)))
    cloud = _app(photo=Photo(source=PhotoSource.PROVIDER_CLOUD_CODE, cloud_code="DM-4711-ABCD"))
    assert _errors(cloud) == {}
    assert not cloud.authority_photo


def test_fee_amount_must_match() -> None:
    case = _app(40)
    expected = fee(TODAY, case.person.birth_date, authority_photo=True)
    assert expected == Decimal("43.00")
    case.fee_amount = expected
    assert _errors(case) == {}
    case.fee_amount = Decimal("37.00")
    assert "fee_amount" in _errors(case)
    case.fee_waived = True
    assert _errors(case) == {}
    case.fee_amount = Decimal("50.00")
    assert "fee_amount" in _errors(case)


def test_pin_letter() -> None:
    case = _app(pin_letter_handed_out=True, pin_letter_number=None)
    assert "pin_letter_number" in _errors(case)
    not_handed = _app(pin_letter_handed_out=False, pin_letter_number=None)
    assert _errors(not_handed) == {}
    assert any(
        f.field == "pin_letter_handed_out" and f.severity == "warning"
        for f in check(not_handed, TODAY)
    )


def test_application_in_future_and_address_missing() -> None:
    assert "application_date" in _errors(_app(application_date=TODAY + timedelta(days=1)))
    assert "address" in _errors(_app(address=None))
    case = _app()
    case.person.given_names = ["Jo3l"]
    assert "person.given_names[0]" in _errors(case)
    case = _app(height_cm=20)
    assert "height_cm" in _errors(case)
