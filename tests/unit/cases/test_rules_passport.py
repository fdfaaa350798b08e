"""Rules of the Reisepass application and of legal representatives, from the ordinance text.

Sources (../shared/docs/domain.md, "Reisepass" and "Rules made exact"):
PassG § 4 Abs. 4a (no fingerprints up to 6, the child signs from 10), § 6
Abs. 1 S. 6–8 (under 18 the Sorgeberechtigte applies; who cannot appear gets
only a vorläufiger Reisepass), PassV § 17 Abs. 2–3 (Direktversand: second
photo ID, consent, e-mail for the notice), § 27 (fees), § 28 (waiver);
PAuswG § 9 Abs. 2 (under 16 the Sorgeberechtigte applies), § 23 Abs. 3 Nr. 10
(register: the representative's names, birth date, signature).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from koffer.cases import (
    CaseType,
    Custody,
    Delivery,
    FingerCode,
    FingerprintRecord,
    IdCardApplication,
    IdDocumentKind,
    LegalRepresentative,
    PassportApplication,
    Relationship,
    RuleSettings,
    check,
    ensure_valid,
    sample_case,
)
from tests.unit.cases.factories import TODAY, person


def _passport(age: int, *, days: int = 0, **changes: object) -> PassportApplication:
    case = sample_case(CaseType.REISEPASS, 3, TODAY, persons=[person(age, days=days)])
    assert isinstance(case, PassportApplication)
    case.delivery = Delivery.PICKUP
    case.delivery_address = None
    case.fee_amount = None
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def _id_card(age: int, **changes: object) -> IdCardApplication:
    case = sample_case(CaseType.PERSONALAUSWEIS, 3, TODAY, persons=[person(age)])
    assert isinstance(case, IdCardApplication)
    case.delivery = Delivery.PICKUP
    case.delivery_address = None
    case.fee_amount = None
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def _errors(
    case: PassportApplication | IdCardApplication, settings: RuleSettings | None = None
) -> dict[str, str]:
    return {f.field: f.message for f in check(case, TODAY, settings) if f.severity == "error"}


def _mother(**changes: object) -> LegalRepresentative:
    rep = LegalRepresentative(
        family_name="Müller",
        given_names=["Maria"],
        birth_date=date(1985, 2, 1),
        relationship=Relationship.MOTHER,
        id_document_kind=IdDocumentKind.PA,
        id_document_serial="L01X00T47",
        signature_attachments=["signature-representative-1.png"],
    )
    return replace(rep, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(20))
def test_passport_samples_are_valid(seed: int) -> None:
    case = sample_case(CaseType.REISEPASS, seed, TODAY)
    assert isinstance(case, PassportApplication)
    ensure_valid(case, TODAY)


@pytest.mark.parametrize("age", [0, 5, 9, 12, 17])
def test_minor_passport_samples_are_valid_with_their_representative(age: int) -> None:
    case = sample_case(CaseType.REISEPASS, 1, TODAY, persons=[person(age)])
    assert isinstance(case, PassportApplication) and case.legal_representatives
    ensure_valid(case, TODAY)


def test_a_passport_has_no_pin_letter_and_no_eid() -> None:
    fields = PassportApplication.__dataclass_fields__
    assert not any("pin" in name or "eid" in name for name in fields)


# ---------------------------------------------------------------- biometrics


def test_no_fingerprints_up_to_six() -> None:
    child = _passport(5)
    assert child.fingerprints == []
    assert "fingerprints" not in _errors(child)
    child.fingerprints = [
        FingerprintRecord(
            finger=FingerCode.LEFT_INDEX, qualities=[50], attachment="fingerprint-7.wsq"
        )
    ]
    assert "Fingerabdrücke" in _errors(child)["fingerprints"]


def test_fingerprints_from_six() -> None:
    case = _passport(6, fingerprints=[])
    assert "fingerprints" in _errors(case)


@pytest.mark.parametrize(("age", "days", "needed"), [(9, 0, False), (10, -1, False), (10, 0, True)])
def test_the_child_signs_from_ten(age: int, days: int, needed: bool) -> None:
    case = _passport(age, days=days, signature_attachments=[])
    errors = _errors(case)
    assert ("signature_attachments" in errors) is needed
    if needed:
        assert "Ab 10 Jahren" in errors["signature_attachments"]


# ------------------------------------------------------- who applies (§ 6 PassG)


@pytest.mark.parametrize(
    ("age", "days", "refused"), [(17, 0, True), (18, -1, True), (18, 0, False)]
)
def test_passport_under_18_needs_a_representative(age: int, days: int, refused: bool) -> None:
    case = _passport(age, days=days, legal_representatives=[], custody=None)
    errors = _errors(case)
    assert ("legal_representatives" in errors) is refused
    if refused:
        assert errors["legal_representatives"].startswith(
            "Für Personen unter 18 Jahren stellen die Sorgeberechtigten den Antrag "
            "(§ 6 Abs. 1 PassG)."
        )


@pytest.mark.parametrize(("age", "refused"), [(15, True), (16, False), (40, False)])
def test_id_card_under_16_needs_a_representative(age: int, refused: bool) -> None:
    case = _id_card(age, legal_representatives=[], custody=None)
    errors = _errors(case)
    assert ("legal_representatives" in errors) is refused
    if refused:
        assert "(§ 9 Abs. 2 PAuswG)" in errors["legal_representatives"]
        with pytest.raises(Exception, match="Sorgeberechtigten"):
            ensure_valid(case, TODAY)


def test_joint_custody_needs_the_other_parents_consent() -> None:
    case = _passport(12, legal_representatives=[_mother()], custody=Custody.JOINT)
    case.other_parent_consent = False
    assert "other_parent_consent" in _errors(case)
    assert "other_parent_consent" not in _errors(case, RuleSettings(joint_custody_consent=False))
    case.other_parent_consent = True
    assert _errors(case) == {}


def test_both_parents_present_need_no_separate_consent() -> None:
    father = _mother(given_names=["Max"], relationship=Relationship.FATHER)
    case = _passport(12, legal_representatives=[_mother(), father], custody=Custody.JOINT)
    case.other_parent_consent = False
    assert _errors(case) == {}


def test_sole_custody_is_one_person_and_custody_must_be_stated() -> None:
    case = _passport(12, legal_representatives=[_mother()], custody=Custody.SOLE)
    assert _errors(case) == {}
    case.legal_representatives = [_mother(), _mother(relationship=Relationship.FATHER)]
    assert "custody" in _errors(case)
    case.legal_representatives = [_mother()]
    case.custody = None
    assert "custody" in _errors(case)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": date(2010, 1, 1)}, "legal_representatives[0].birth_date"),
        ({"id_document_kind": None}, "legal_representatives[0].id_document_serial"),
        ({"id_document_serial": " "}, "legal_representatives[0].id_document_serial"),
        ({"signature_attachments": []}, "legal_representatives[0].signature_attachments"),
        ({"given_names": []}, "legal_representatives[0].given_names"),
        ({"family_name": ""}, "legal_representatives[0].family_name"),
    ],
)
def test_the_representative_is_complete(changes: dict[str, object], field: str) -> None:
    case = _passport(12, legal_representatives=[_mother(**changes)], custody=Custody.SOLE)
    assert field in _errors(case)


# ------------------------------------------------------------------ options


def test_not_in_person_only_a_provisional_passport() -> None:
    case = _passport(40, applicant_in_person=False)
    assert "vorläufigen Reisepass" in _errors(case)["applicant_in_person"]
    case.provisional = True
    assert "applicant_in_person" not in _errors(case)


def test_provisional_passport_has_no_add_ons() -> None:
    case = _passport(40, provisional=True, pages_48=True)
    assert "provisional" in _errors(case)
    case.pages_48, case.express = False, True
    assert "provisional" in _errors(case)


def test_old_passport_is_entwertet_unless_it_holds_visas() -> None:
    case = _passport(40, old_passport_presented=True, old_passport_invalidated=False)
    assert "entwertet" in _errors(case)["old_passport_invalidated"]
    case.old_passport_valid_visas = True
    assert _errors(case) == {}
    case.old_passport_valid_visas, case.old_passport_invalidated = False, True
    assert _errors(case) == {}


# --------------------------------------------------------------- Direktversand


def _direct(**changes: object) -> PassportApplication:
    case = _passport(40)
    case.delivery = Delivery.DIRECT_DELIVERY
    case.second_id_present = True
    case.direct_delivery_consent = True
    case.notice_email = "erika@example.org"
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def test_direct_delivery_with_second_id_consent_and_email() -> None:
    assert _errors(_direct()) == {}
    # practice, not law: a minor, express or a Nebenwohnung are not refused
    assert _errors(_direct(express=True)) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"second_id_present": False}, "second_id_present"),
        ({"direct_delivery_consent": False}, "direct_delivery_consent"),
        ({"notice_email": None}, "notice_email"),
        ({"notice_email": "keine-adresse"}, "notice_email"),
        ({"provisional": True}, "provisional"),
    ],
)
def test_direct_delivery_refused_without(changes: dict[str, object], field: str) -> None:
    errors = _errors(_direct(**changes))
    assert field in errors and errors[field].endswith("Bitte wählen Sie Abholung.")


# ---------------------------------------------------------------------- fee


def test_recorded_fee_follows_passv_27() -> None:
    # aged 40, 48 pages, authority photo, Direktversand: 70 + 22 + 15 + 6
    case = _direct(pages_48=True, fee_amount=Decimal("113.00"))
    assert _errors(case) == {}
    case.fee_amount = Decimal("100.00")
    assert "113.00 EUR" in _errors(case)["fee_amount"]


def test_fee_waiver_is_a_decision_with_a_reason() -> None:
    case = _passport(40, fee_waived=True, fee_amount=Decimal("0.00"))
    assert "§ 28 PassV" in _errors(case)["fee_waiver_reason"]
    case.fee_waiver_reason = "Bezug von Bürgergeld, Bescheid vorgelegt"
    assert _errors(case) == {}
