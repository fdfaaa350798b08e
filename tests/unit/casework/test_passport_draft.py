"""The Reisepass draft and the representatives in the draft: payload, steps, domain model."""

from __future__ import annotations

import json
from decimal import Decimal

from koffer.cases import (
    CaseType,
    Custody,
    IdCardApplication,
    PassportApplication,
    Relationship,
    case_from_dict,
    case_to_dict,
    check,
    sample_case,
)
from koffer.casework.ausweis_draft import (
    PASSPORT_STEPS,
    PHOTO_ATTACHMENT,
    SIGNATURE_PNG,
    SIGNATURE_STROKES,
    STEPS,
    AusweisDraft,
    FingerDraft,
)
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import complete_case
from koffer.casework.drafts import RegistrationDraft
from koffer.casework.passport_draft import (
    PassportOptions,
    RepresentativeDraft,
    representative_signature_names,
)
from koffer.casework.review import review_images, summary
from koffer.documents.settings import MunicipalitySettings
from tests.unit.casework.conftest import TODAY

MUNICIPALITY = MunicipalitySettings(name="Gemeinde Test", authority="Bürgerbüro")


def _child(case_type: str = "reisepass", birth_date: str = "01.06.2013") -> AusweisDraft:
    draft = AusweisDraft(
        case_type=case_type,
        person={
            "family_name": "Yılmaz",
            "given_names": "Elif",
            "birth_date": birth_date,
            "birth_place": "Köln",
            "sex": "w",
            "nationalities": "deutsch",
        },
        address={"street": "Ring", "house_number": "1", "postcode": "50667", "city": "Köln"},
        photo_attachment=PHOTO_ATTACHMENT,
        fingers=[
            FingerDraft("7", [60], 0, "fingerprint-7.wsq"),
            FingerDraft("2", [70], 0, "fingerprint-2.wsq"),
        ],
        signature_attachments=[SIGNATURE_PNG, SIGNATURE_STROKES],
    )
    draft.representatives = [
        RepresentativeDraft(
            {
                "family_name": "Yılmaz",
                "given_names": "Ayşe",
                "birth_date": "02.03.1984",
                "relationship": "mutter",
                "id_kind": "PA",
                "id_serial": "L01X00T47",
            },
            list(representative_signature_names(0)),
        )
    ]
    draft.custody = "gemeinsam"
    draft.other_parent_consent = True
    return draft


def test_the_dashboard_draft_starts_the_passport_path() -> None:
    generic = RegistrationDraft(case_type="reisepass").to_payload()
    draft = AusweisDraft.from_payload(generic)
    assert draft.is_passport and draft.steps() == PASSPORT_STEPS
    assert "pin" not in draft.steps() and draft.steps()[-2:] == ("passport", "payment")
    assert AusweisDraft.from_payload({"case_type": "personalausweis"}).steps() == STEPS


def test_representatives_sign_after_the_applicant() -> None:
    draft = _child()
    steps = draft.steps()
    assert steps[steps.index("signature") + 1] == "representative_signature"
    draft.representatives = [RepresentativeDraft()]  # nothing typed: no step
    assert draft.steps() == PASSPORT_STEPS


def test_age_limits_of_the_representative() -> None:
    assert _child("reisepass", "01.06.2008").needs_representative(TODAY)  # 17
    assert not _child("personalausweis", "01.06.2008").needs_representative(TODAY)
    assert _child("personalausweis", "01.06.2010").needs_representative(TODAY)  # 15


def test_passport_payload_round_trip_keeps_everything() -> None:
    draft = _child()
    draft.passport = PassportOptions(
        pages_48=True,
        consent=True,
        notice_email="a@example.org",
        non_competent=True,
        fee_waived=True,
        fee_waiver_reason="Bürgergeld",
        in_person=False,
        old_presented=True,
        old_visas=True,
    )
    payload = json.loads(json.dumps(draft.to_payload()))
    assert payload["case_type"] == "reisepass"
    back = AusweisDraft.from_payload(payload)
    assert back == draft


def test_damaged_representative_parts_are_dropped() -> None:
    payload = _child().to_payload()
    payload["representatives"] = {"people": ["x", {"family_name": 3}], "custody": "halb"}
    payload["passport"] = {"pages_48": "yes", "in_person": False}
    back = AusweisDraft.from_payload(payload)
    assert back.custody == "" and not back.recorded_representatives()
    assert back.passport.pages_48 is False and back.passport.in_person is False


def test_passport_draft_becomes_a_valid_application_with_the_passv_fee() -> None:
    draft = _child()
    draft.passport.pages_48 = True
    draft.passport.old_presented = draft.passport.old_invalidated = True
    app = draft.to_application(TODAY)
    assert isinstance(app, PassportApplication)
    # under 24: 37.50 + 48 pages 22.00 + authority photo 6.00 (PassV § 27 Abs. 1 Nr. 1 b, c; 4)
    assert app.fee_amount == Decimal("65.50")
    (rep,) = app.legal_representatives
    assert rep.relationship is Relationship.MOTHER and rep.given_names == ["Ayşe"]
    assert app.custody is Custody.JOINT and app.other_parent_consent
    assert [f for f in check(app, TODAY) if f.severity == "error"] == []


def test_waived_fee_is_zero_and_needs_its_reason() -> None:
    draft = _child()
    draft.passport.fee_waived = True
    app = draft.to_application(TODAY)
    assert app.fee_amount == Decimal("0.00")
    assert "fee_waiver_reason" in {f.field for f in check(app, TODAY)}


def test_id_card_draft_of_a_child_without_representative_is_refused() -> None:
    draft = _child("personalausweis")
    draft.representatives = []
    app = draft.to_application(TODAY)
    assert isinstance(app, IdCardApplication)
    fields = {f.field for f in check(app, TODAY) if f.severity == "error"}
    assert "legal_representatives" in fields


def test_passport_application_completes_with_an_antragsquittung(case_store: CaseStore) -> None:
    sample = sample_case(CaseType.REISEPASS, 2, TODAY)
    payload = {"kiosk_draft": 1, "case_type": "reisepass", "application": case_to_dict(sample)}
    case_id = case_store.create_case("reisepass", payload)
    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)
    (document,) = result.documents
    assert document.kind == "antragsquittung" and document.pdf.startswith(b"%PDF")
    assert isinstance(case_from_dict(case_store.load_case(case_id).payload), PassportApplication)


def test_the_review_shows_the_representative_and_their_signature() -> None:
    case = sample_case(CaseType.REISEPASS, 2, TODAY, persons=[_child().person_model()])
    sections = summary(case)
    titles = [s.title for s in sections]
    assert "Gesetzliche Vertretung 1" in titles
    rows = dict(sections[titles.index("Gesetzliche Vertretung 1")].rows)
    assert rows["Verhältnis"] == "Mutter" and rows["Sorge"] == "gemeinsam"
    assert dict(sections[titles.index("Antrag")].rows)["Dokument"].startswith("Reisepass")
    images = review_images(case, (), lambda _name: b"")
    assert "signature-representative-1.png" in [i.attachment for i in images]
