"""The draft of a Personalausweis application, exactly as captured so far.

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
     "application": {...}}   # case_to_dict() once the wizard is complete
"""

from __future__ import annotations

import re
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
    Person,
    Photo,
    PhotoSource,
    RuleSettings,
    Sex,
    age_on,
    fee,
)
from koffer.cases.countries import code_of_word
from koffer.cases.dates import parse_date
from koffer.cases.enums import Hand
from koffer.cases.id_card import finger_substitution_order
from koffer.casework.drafts import display_name
from koffer.errors import ValidationError

DRAFT_VERSION = 1
CASE_TYPE = "personalausweis"

#: the wizard's steps, in order; each is one screen ``ausweis_<step>``
STEPS: tuple[str, ...] = ("person", "photo", "fingerprints", "signature", "fee", "pin")

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


def nationality_codes(text: str) -> list[str]:
    """``"deutsch, polnisch"`` or ``"DE PL"`` → ``["DE", "PL"]`` (empty: DE)."""
    codes: list[str] = []
    for part in re.split(r"[,;/\s]+", text.strip()):
        if not part:
            continue
        word = part.casefold()
        code = code_of_word(word) or (part.upper() if len(part) == 2 else part)
        if code not in codes:
            codes.append(code)
    return codes or ["DE"]


def _texts(value: object, keys: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {k: str(value[k]) for k in keys if isinstance(value.get(k), str)}


def _invalid(what: str, what_en: str) -> ValidationError:
    return ValidationError(
        f"{what} fehlt oder ist ungültig. Bitte prüfen Sie die Eingabe.",
        message_en=f"{what_en} is missing or invalid. Please check the entry.",
    )


@dataclass
class FingerDraft:
    """One captured finger: qualities of every capture, the best kept."""

    finger: str
    qualities: list[int]
    kept_index: int
    attachment: str
    method: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "finger": self.finger,
            "qualities": list(self.qualities),
            "kept_index": self.kept_index,
            "attachment": self.attachment,
            "method": self.method,
        }

    @classmethod
    def from_json(cls, data: object) -> FingerDraft | None:
        if not isinstance(data, Mapping):
            return None
        try:
            draft = cls(
                finger=str(FingerCode(str(data["finger"])).value),
                qualities=[int(q) for q in data["qualities"]],
                kept_index=int(data["kept_index"]),
                attachment=str(data["attachment"]),
                method=str(data.get("method", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 <= draft.kept_index < len(draft.qualities):
            return None  # the kept capture must be one of the captures
        return draft

    @property
    def quality(self) -> int:
        return self.qualities[self.kept_index]


def _one_of(value: object, allowed: set[str]) -> bool:
    """``value`` is one of the ``allowed`` texts (a list or dict from a damaged payload is not)."""
    return isinstance(value, str) and value in allowed


@dataclass
class AusweisDraft:
    """The form state of one Personalausweis application."""

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
    application: dict[str, Any] | None = None

    # -- payload -------------------------------------------------------------

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "kiosk_draft": DRAFT_VERSION,
            "case_type": CASE_TYPE,
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
        }
        if self.application is not None:
            payload["application"] = self.application
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AusweisDraft:
        """Read a saved draft; unknown or damaged parts are dropped, never fatal."""
        draft = cls()
        step = payload.get("step")
        draft.step = step if step in STEPS else "person"
        person = payload.get("person")
        if not isinstance(person, Mapping):  # started from the dashboard's generic draft
            persons = payload.get("persons")
            person = persons[0] if isinstance(persons, list) and persons else {}
        draft.person = _texts(person, PERSON_FIELDS)
        draft.address = _texts(payload.get("address"), ADDRESS_FIELDS)
        photo = payload.get("photo")
        if isinstance(photo, Mapping):
            source = photo.get("source")
            if _one_of(source, {s.value for s in PhotoSource}):
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
                    if str(k) in {f.value for f in FingerCode} and _one_of(v, reasons)
                }
            exemption = prints.get("exemption")
            if _one_of(exemption, {r.value for r in ExemptionReason}):
                draft.fingerprint_exemption = str(exemption)
        signature = payload.get("signature")
        if isinstance(signature, Mapping) and isinstance(signature.get("attachments"), list):
            draft.signature_attachments = [str(a) for a in signature["attachments"]]
        delivery = payload.get("delivery")
        if isinstance(delivery, Mapping):
            mode = delivery.get("mode")
            if _one_of(mode, {d.value for d in Delivery}):
                draft.delivery = str(mode)
            draft.second_id_present = bool(delivery.get("second_id_present"))
            draft.express = bool(delivery.get("express"))
            draft.outside_hours = bool(delivery.get("outside_hours"))
        pin = payload.get("pin")
        if isinstance(pin, Mapping):
            draft.pin_handed_out = bool(pin.get("handed_out"))
            draft.pin_number = str(pin.get("number") or "")
        application = payload.get("application")
        if isinstance(application, dict):
            draft.application = application
        return draft

    # -- derived -------------------------------------------------------------

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
    ) -> IdCardApplication:
        """The domain model of this draft (``delivery`` overrides the choice)."""
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
        if age < RuleSettings().fingerprint_min_age:
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
        mode = Delivery(delivery or self.delivery)
        kwargs: dict[str, Any] = {}
        if case_id:
            kwargs["case_id"] = case_id
        if case_number:
            kwargs["case_number"] = case_number
        app = IdCardApplication(
            person=person,
            application_date=application_date,
            address=self.address_model(),
            photo=photo,
            fingerprints=records,
            fingerprint_exemptions=exemptions,
            signature_attachments=list(self.signature_attachments),
            delivery=mode,
            second_id_present=self.second_id_present,
            express=self.express,
            pin_letter_handed_out=self.pin_handed_out,
            pin_letter_number=self.pin_number.strip() or None,
            outside_hours_surcharge=self.outside_hours,
            **kwargs,
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


def fee_total(items: list[Decimal]) -> Decimal:
    return sum(items, Decimal("0.00"))
