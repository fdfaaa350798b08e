"""The draft of a Personalausweis or Reisepass application, exactly as captured so far.

Pure data, no Qt: what the wizard screens edit, saved (encrypted) with every
change and turned into a :class:`~koffer.cases.IdCardApplication` at the
end. Attachment bytes are not part of the draft: the store keeps them
(encrypted) under the names recorded here.

Payload shape (JSON-compatible)::

    {"kiosk_draft": 1, "case_type": "personalausweis", "step": "person",
     "person": {...}, "address": {...},
     "photo": {"source": "authority_capture", "attachment": "photo.jpg",
               "cloud_code": "", "problems": [...]},
     "fingerprints": {"records": [{"finger": "7", "qualities": [..],
                      "kept_index": 1, "attachment": "fingerprint-7.wsq",
                      "method": "..."}], "unavailable": {"2": "injured"},
                      "exemption": ""},
     "signature": {"attachments": ["signature.png", "signature-strokes.json"]},
     "delivery": {"mode": "pickup", "second_id_present": false, ...},
     "pin": {"handed_out": false, "number": ""},
     "representatives": {...}, "passport": {...},   # koffer.casework.passport_draft
     "application": {...}}   # case_to_dict() once the wizard is complete

``case_type`` is "personalausweis" or "reisepass"; the Reisepass path has no
PIN step, its last step ("passport") holds the options, fee and delivery.
A step for the representatives' signatures follows the applicant's signature
when representatives are recorded (:meth:`AusweisDraft.steps`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from koffer.cases import (
    Delivery,
    Dwelling,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    FingerprintExemption,
    FingerprintRecord,
    IdCardApplication,
    PassportApplication,
    Person,
    Photo,
    PhotoSource,
    RuleSettings,
    Sex,
    age_on,
    fee,
    passport,
)
from koffer.cases.dates import parse_date
from koffer.cases.enums import Hand
from koffer.cases.id_card import finger_substitution_order
from koffer.casework.ausweis_parts import FingerDraft, fee_total, nationality_codes
from koffer.casework.drafts import display_name
from koffer.casework.passport_draft import (
    PASSPORT,
    PERSONALAUSWEIS,
    PassportOptions,
    RepresentativeDraft,
    custody_of,
    passport_fee,
)
from koffer.casework.payload_values import one_of, texts_of
from koffer.errors import ValidationError

__all__ = [
    "ADDRESS_FIELDS",
    "ALL_STEPS",
    "CASE_TYPE",
    "CASE_TYPES",
    "DRAFT_VERSION",
    "PASSPORT_STEPS",
    "PERSON_FIELDS",
    "PHOTO_ATTACHMENT",
    "REPRESENTATIVE_SIGNATURE",
    "SIGNATURE_PNG",
    "SIGNATURE_STROKES",
    "STEPS",
    "AusweisDraft",
    "FingerDraft",
    "fee_total",
    "fingerprint_attachment",
    "nationality_codes",
]

DRAFT_VERSION = 1
CASE_TYPE = PERSONALAUSWEIS
CASE_TYPES = (PERSONALAUSWEIS, PASSPORT)

#: the Personalausweis wizard's steps, in order; each is one screen ``ausweis_<step>``.
#: "payment" comes last: after "Antrag prüfen" has checked the application, so the
#: fee is final and nobody pays for an application the rules refuse, and before
#: the citizen review and completion, whose documents show the payment
STEPS: tuple[str, ...] = ("person", "photo", "fingerprints", "signature", "fee", "pin", "payment")
#: the Reisepass wizard's steps
PASSPORT_STEPS: tuple[str, ...] = (
    "person",
    "photo",
    "fingerprints",
    "signature",
    "passport",
    "payment",
)
#: after "signature" when representatives are recorded
REPRESENTATIVE_SIGNATURE = "representative_signature"
ALL_STEPS = frozenset(STEPS + PASSPORT_STEPS + (REPRESENTATIVE_SIGNATURE,))

PERSON_FIELDS: tuple[str, ...] = (
    "family_name",
    "given_names",
    "birth_name",
    "doctoral_degree",
    "birth_date",
    "birth_place",
    "sex",
    "nationalities",
)
ADDRESS_FIELDS: tuple[str, ...] = (
    "street",
    "house_number",
    "addition",
    "floor_or_flat",
    "postcode",
    "city",
    "status",
)

PHOTO_ATTACHMENT = "photo.jpg"
SIGNATURE_PNG = "signature.png"
SIGNATURE_STROKES = "signature-strokes.json"


def fingerprint_attachment(finger: FingerCode) -> str:
    return f"fingerprint-{finger.value}.wsq"


def _invalid(what: str, what_en: str) -> ValidationError:
    return ValidationError(
        f"{what} fehlt oder ist ungültig. Bitte prüfen Sie die Eingabe.",
        message_en=f"{what_en} is missing or invalid. Please check the entry.",
    )


@dataclass
class AusweisDraft:
    """The form state of one Personalausweis or Reisepass application."""

    case_type: str = CASE_TYPE
    step: str = "person"
    person: dict[str, str] = field(default_factory=dict)
    address: dict[str, str] = field(default_factory=dict)
    photo_source: str = PhotoSource.AUTHORITY_CAPTURE.value
    photo_attachment: str = ""
    cloud_code: str = ""
    photo_problems: list[str] = field(default_factory=list)
    fingers: list[FingerDraft] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    fingerprint_exemption: str = ""
    signature_attachments: list[str] = field(default_factory=list)
    delivery: str = Delivery.PICKUP.value
    second_id_present: bool = False
    express: bool = False
    outside_hours: bool = False
    pin_handed_out: bool = False
    pin_number: str = ""
    representatives: list[RepresentativeDraft] = field(default_factory=list)
    custody: str = ""
    other_parent_consent: bool = False
    passport: PassportOptions = field(default_factory=PassportOptions)
    application: dict[str, Any] | None = None

    # -- payload -------------------------------------------------------------

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "kiosk_draft": DRAFT_VERSION,
            "case_type": self.case_type,
            "step": self.step,
            "person": dict(self.person),
            "address": dict(self.address),
            "photo": {
                "source": self.photo_source,
                "attachment": self.photo_attachment,
                "cloud_code": self.cloud_code,
                "problems": list(self.photo_problems),
            },
            "fingerprints": {
                "records": [f.to_json() for f in self.fingers],
                "unavailable": dict(self.unavailable),
                "exemption": self.fingerprint_exemption,
            },
            "signature": {"attachments": list(self.signature_attachments)},
            "delivery": {
                "mode": self.delivery,
                "second_id_present": self.second_id_present,
                "express": self.express,
                "outside_hours": self.outside_hours,
            },
            "pin": {"handed_out": self.pin_handed_out, "number": self.pin_number},
            "representatives": {
                "people": [r.to_json() for r in self.representatives],
                "custody": self.custody,
                "other_parent_consent": self.other_parent_consent,
            },
        }
        if self.is_passport:
            payload["passport"] = self.passport.to_json()
        if self.application is not None:
            payload["application"] = self.application
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AusweisDraft:
        """Read a saved draft; unknown or damaged parts are dropped, never fatal."""
        draft = cls()
        case_type = payload.get("case_type")
        draft.case_type = str(case_type) if one_of(case_type, set(CASE_TYPES)) else CASE_TYPE
        step = payload.get("step")
        draft.step = str(step) if one_of(step, set(ALL_STEPS)) else "person"
        person = payload.get("person")
        if not isinstance(person, Mapping):  # started from the dashboard's generic draft
            persons = payload.get("persons")
            person = persons[0] if isinstance(persons, list) and persons else {}
        draft.person = texts_of(person, PERSON_FIELDS)
        draft.address = texts_of(payload.get("address"), ADDRESS_FIELDS)
        photo = payload.get("photo")
        if isinstance(photo, Mapping):
            source = photo.get("source")
            if one_of(source, {s.value for s in PhotoSource}):
                draft.photo_source = str(source)
            draft.photo_attachment = str(photo.get("attachment") or "")
            draft.cloud_code = str(photo.get("cloud_code") or "")
            problems = photo.get("problems")
            if isinstance(problems, list):
                draft.photo_problems = [str(p) for p in problems]
        prints = payload.get("fingerprints")
        if isinstance(prints, Mapping):
            records = prints.get("records")
            if isinstance(records, list):
                draft.fingers = [f for f in map(FingerDraft.from_json, records) if f is not None]
            unavailable = prints.get("unavailable")
            if isinstance(unavailable, Mapping):
                reasons = {r.value for r in ExemptionReason}
                draft.unavailable = {
                    str(k): str(v)
                    for k, v in unavailable.items()
                    if str(k) in {f.value for f in FingerCode} and one_of(v, reasons)
                }
            exemption = prints.get("exemption")
            if one_of(exemption, {r.value for r in ExemptionReason}):
                draft.fingerprint_exemption = str(exemption)
        signature = payload.get("signature")
        if isinstance(signature, Mapping) and isinstance(signature.get("attachments"), list):
            draft.signature_attachments = [str(a) for a in signature["attachments"]]
        delivery = payload.get("delivery")
        if isinstance(delivery, Mapping):
            mode = delivery.get("mode")
            if one_of(mode, {d.value for d in Delivery}):
                draft.delivery = str(mode)
            draft.second_id_present = bool(delivery.get("second_id_present"))
            draft.express = bool(delivery.get("express"))
            draft.outside_hours = bool(delivery.get("outside_hours"))
        pin = payload.get("pin")
        if isinstance(pin, Mapping):
            draft.pin_handed_out = bool(pin.get("handed_out"))
            draft.pin_number = str(pin.get("number") or "")
        reps = payload.get("representatives")
        if isinstance(reps, Mapping):
            people = reps.get("people")
            if isinstance(people, list):
                draft.representatives = [
                    r for r in map(RepresentativeDraft.from_json, people) if r is not None
                ]
            custody = reps.get("custody")
            draft.custody = str(custody) if custody_of(str(custody)) is not None else ""
            draft.other_parent_consent = reps.get("other_parent_consent") is True
        draft.passport = PassportOptions.from_json(payload.get("passport"))
        application = payload.get("application")
        if isinstance(application, dict):
            draft.application = application
        return draft

    # -- derived -------------------------------------------------------------

    @property
    def is_passport(self) -> bool:
        return self.case_type == PASSPORT

    def recorded_representatives(self) -> list[RepresentativeDraft]:
        return [r for r in self.representatives if not r.empty]

    def steps(self) -> tuple[str, ...]:
        """This draft's steps, in order (the representatives sign after the applicant)."""
        steps = PASSPORT_STEPS if self.is_passport else STEPS
        if not self.recorded_representatives():
            return steps
        at = steps.index("signature") + 1
        return (*steps[:at], REPRESENTATIVE_SIGNATURE, *steps[at:])

    def representative_age_limit(self) -> int:
        """Below this age a representative applies (PassG § 6: 18, PAuswG § 9: 16)."""
        return passport.ADULT_AGE if self.is_passport else 16

    def needs_representative(self, today: date) -> bool:
        age = self.age(today)
        return age is not None and age < self.representative_age_limit()

    def birth_date(self) -> date | None:
        return parse_date(self.person.get("birth_date", ""))

    def age(self, today: date) -> int | None:
        born = self.birth_date()
        return age_on(born, today) if born is not None else None

    def person_label(self) -> str:
        return display_name(self.person)

    def finger(self, code: FingerCode) -> FingerDraft | None:
        return next((f for f in self.fingers if f.finger == code.value), None)

    def hand_plan(self, hand: Hand) -> tuple[FingerCode | None, list[FingerCode]]:
        """The finger to capture now for ``hand`` (or None) and the substitutes after it."""
        if any(FingerCode(f.finger).hand is hand for f in self.fingers):
            return None, []
        candidates = [f for f in finger_substitution_order(hand) if f.value not in self.unavailable]
        if not candidates:
            return None, []
        return candidates[0], candidates[1:]

    def fingerprints_done(self, today: date, settings: RuleSettings | None = None) -> bool:
        s = settings or RuleSettings()
        age = self.age(today)
        if age is not None and age < s.fingerprint_min_age:
            return True
        if self.fingerprint_exemption in (
            ExemptionReason.PERMANENT.value,
            ExemptionReason.TEMPORARY.value,
        ):
            return True
        return all(self.hand_plan(hand)[0] is None for hand in (Hand.LEFT, Hand.RIGHT))

    # -- the domain model ----------------------------------------------------

    def person_model(self) -> Person:
        p = self.person
        born = self.birth_date()
        if born is None:
            raise _invalid("Das Geburtsdatum", "The date of birth")
        try:
            sex = Sex(p.get("sex", ""))
        except ValueError:
            raise _invalid("Das Geschlecht", "The sex") from None
        return Person(
            family_name=p.get("family_name", "").strip(),
            given_names=p.get("given_names", "").split(),
            birth_name=p.get("birth_name", "").strip() or None,
            doctoral_degree=p.get("doctoral_degree", "").strip() or None,
            birth_date=born,
            birth_place=p.get("birth_place", "").strip(),
            sex=sex,
            nationalities=nationality_codes(p.get("nationalities", "")),
        )

    def address_model(self) -> Dwelling:
        a = self.address
        try:
            status = DwellingStatus(a.get("status") or DwellingStatus.ALLEINIGE.value)
        except ValueError:
            status = DwellingStatus.ALLEINIGE
        return Dwelling(
            street=a.get("street", "").strip(),
            house_number=a.get("house_number", "").strip(),
            addition=a.get("addition", "").strip() or None,
            floor_or_flat=a.get("floor_or_flat", "").strip() or None,
            postcode=a.get("postcode", "").strip(),
            city=a.get("city", "").strip(),
            status=status,
        )

    def to_application(
        self,
        application_date: date,
        *,
        case_id: str | None = None,
        case_number: str = "",
        delivery: str | None = None,
        with_fee: bool = True,
        rules: RuleSettings | None = None,
    ) -> IdCardApplication | PassportApplication:
        """The domain model (``delivery`` overrides the choice; ``rules``: ``[rules]``)."""
        s = rules or RuleSettings()
        person = self.person_model()
        age = age_on(person.birth_date, application_date)
        source = PhotoSource(self.photo_source)
        photo = Photo(
            source=source,
            attachment=self.photo_attachment or None,
            cloud_code=(self.cloud_code.strip() or None)
            if source is PhotoSource.PROVIDER_CLOUD_CODE
            else None,
        )
        records: list[FingerprintRecord] = []
        exemptions: list[FingerprintExemption] = []
        if age < s.fingerprint_min_age:
            exemptions.append(FingerprintExemption(reason=ExemptionReason.UNDER_AGE))
        else:
            records = [
                FingerprintRecord(
                    finger=FingerCode(f.finger),
                    qualities=list(f.qualities),
                    kept_index=f.kept_index,
                    attachment=f.attachment,
                )
                for f in self.fingers
            ]
            exemptions = [
                FingerprintExemption(finger=FingerCode(code), reason=ExemptionReason(reason))
                for code, reason in sorted(self.unavailable.items(), key=lambda kv: int(kv[0]))
            ]
            if self.fingerprint_exemption:
                exemptions.append(
                    FingerprintExemption(reason=ExemptionReason(self.fingerprint_exemption))
                )
        common: dict[str, Any] = {
            "person": person,
            "application_date": application_date,
            "address": self.address_model(),
            "photo": photo,
            "fingerprints": records,
            "fingerprint_exemptions": exemptions,
            "signature_attachments": list(self.signature_attachments),
            "delivery": Delivery(delivery or self.delivery),
            "second_id_present": self.second_id_present,
            "express": self.express,
            "outside_hours_surcharge": self.outside_hours,
            "legal_representatives": [r.to_model() for r in self.recorded_representatives()],
            "custody": custody_of(self.custody),
            "other_parent_consent": self.other_parent_consent,
        }
        if case_id:
            common["case_id"] = case_id
        if case_number:
            common["case_number"] = case_number
        if self.is_passport:
            common["fee_rules"] = s.passport_fee_rules
            return self._passport_application(common, with_fee=with_fee)
        app = IdCardApplication(
            pin_letter_handed_out=self.pin_handed_out,
            pin_letter_number=self.pin_number.strip() or None,
            **common,
        )
        if with_fee:
            try:
                app.fee_amount = fee(
                    application_date,
                    person.birth_date,
                    direct_delivery=app.direct_delivery,
                    authority_photo=app.authority_photo,
                    outside_hours_surcharge=app.outside_hours_surcharge,
                )
            except ValidationError:
                app.fee_amount = None
        return app

    def _passport_application(
        self, common: dict[str, Any], *, with_fee: bool
    ) -> PassportApplication:
        o = self.passport
        app = PassportApplication(
            pages_48=o.pages_48,
            provisional=o.provisional,
            direct_delivery_consent=o.consent,
            notice_email=o.notice_email.strip() or None,
            applicant_in_person=o.in_person,
            non_competent_authority=o.non_competent,
            fee_waived=o.fee_waived,
            fee_waiver_reason=o.fee_waiver_reason.strip() or None,
            old_passport_presented=o.old_presented,
            old_passport_invalidated=o.old_invalidated,
            old_passport_valid_visas=o.old_visas,
            **common,
        )
        if with_fee and not o.fee_waived:
            try:
                app.fee_amount = passport_fee(app)
            except ValidationError:
                app.fee_amount = None
        elif with_fee:
            app.fee_amount = Decimal("0.00")
        return app
