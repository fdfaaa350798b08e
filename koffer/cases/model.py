"""The cases: registrations (Meldevorgänge), Personalausweis and Reisepass applications.

Attachments (photo, fingerprint images, signature image and strokes) are
referenced by **name** only, e.g. ``"photo.jpg"``, ``"fingerprint-7.wsq"``,
``"signature.png"``, ``"signature-strokes.json"``; their bytes live outside the
model (in the encrypted store and the sealed envelope).

The person and dwelling classes live in :mod:`koffer.cases.person` and
:mod:`koffer.cases.dwelling` and are re-exported here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ClassVar, TypeAlias

from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Custody,
    Delivery,
    ExemptionReason,
    FingerCode,
    PhotoSource,
)
from koffer.cases.passport import DEFAULT_FEE_RULES, PassportFeeRules
from koffer.cases.person import IdDocument, LegalRepresentative, Person
from koffer.cases.state import CaseState

__all__ = [
    "Case",
    "DocumentApplication",
    "Dwelling",
    "FingerprintExemption",
    "FingerprintRecord",
    "IdCardApplication",
    "IdDocument",
    "LandlordConfirmation",
    "LegalRepresentative",
    "PassportApplication",
    "Person",
    "Photo",
    "RegistrationCase",
    "new_case_id",
    "new_case_number",
]


def new_case_id() -> str:
    """A fresh random case id (UUID version 4, canonical lower-case form)."""
    return str(uuid.uuid4())


def new_case_number(created_at: datetime, case_id: str) -> str:
    """A short, non-personal case number, e.g. ``"K-20250612-3F9A2C"``.

    Derived from the creation day and the case id, so it needs no counter.
    """
    tail = case_id.replace("-", "")[:6].upper()
    return f"K-{created_at:%Y%m%d}-{tail}"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(kw_only=True)
class RegistrationCase:
    """An Anmeldung, Abmeldung or Wechsel der Hauptwohnung: one Meldeschein.

    All persons moving together with the same dates and dwellings form one case
    (one Meldeschein, one signature by ``persons[signer_index]``).

    :ivar case_type: ANMELDUNG, ABMELDUNG or HAUPTWOHNUNG
    :ivar anmeldung_kind: Zuzug / Zuzug aus dem Ausland / Umzug innerhalb der
        Gemeinde (Anmeldung only)
    :ivar persons: meldepflichtige Personen
    :ivar signer_index: index of the signing person in ``persons`` (must be an adult)
    :ivar new_dwelling: neue Wohnung (Anmeldung; the dwelling that becomes the
        Hauptwohnung for a change; the foreign address, if known, for an Abmeldung)
    :ivar previous_dwelling: bisherige Wohnung (for an Abmeldung: the dwelling given up)
    :ivar last_domestic_dwelling: letzte Anschrift im Inland (Zuzug aus dem Ausland)
    :ivar other_dwellings: weitere Wohnungen (required unless the new dwelling is
        the alleinige Wohnung)
    :ivar move_in_date: Einzugsdatum (for a change of Hauptwohnung: date of the change)
    :ivar move_out_date: Auszugsdatum
    :ivar registration_date: Datum der An-/Abmeldung (Meldedatum)
    :ivar landlord_confirmation: Wohnungsgeberbestätigung (Einzug)
    :ivar signature_attachments: names of the signature attachments; empty when
        the printed Ausdruck is signed by hand
    :ivar remarks: Bemerkungen (free text, DIN 91379 type C)
    """

    case_id: str = field(default_factory=new_case_id)
    case_number: str = ""
    state: CaseState = CaseState.DRAFT
    created_at: datetime = field(default_factory=_now)
    case_type: CaseType
    anmeldung_kind: AnmeldungKind | None = None
    persons: list[Person] = field(default_factory=list)
    signer_index: int | None = 0
    new_dwelling: Dwelling | None = None
    previous_dwelling: Dwelling | None = None
    last_domestic_dwelling: Dwelling | None = None
    other_dwellings: list[Dwelling] = field(default_factory=list)
    move_in_date: date | None = None
    move_out_date: date | None = None
    registration_date: date
    landlord_confirmation: LandlordConfirmation | None = None
    signature_attachments: list[str] = field(default_factory=list)
    remarks: str | None = None

    def __post_init__(self) -> None:
        if not self.case_number:
            self.case_number = new_case_number(self.created_at, self.case_id)

    @property
    def signer(self) -> Person | None:
        index = self.signer_index
        if index is None or not 0 <= index < len(self.persons):
            return None
        return self.persons[index]


@dataclass(kw_only=True)
class Photo:
    """Lichtbild.

    :ivar source: taken by the authority, or fetched with a provider's cloud code
    :ivar attachment: attachment name of the image (e.g. "photo.jpg"); for the
        cloud route only once fetched
    :ivar cloud_code: content of the provider's DataMatrix code (cloud route)
    """

    source: PhotoSource
    attachment: str | None = None
    cloud_code: str | None = None


@dataclass(kw_only=True)
class FingerprintRecord:
    """One finger: up to three captures, the best one kept.

    Only the kept capture's image is stored (``attachment``); the others are
    discarded, their quality scores remain for the record.

    :ivar finger: finger position (ISO/IEC 19794-4)
    :ivar qualities: quality score (NFIQ 2, 0–100) of each capture, in order
    :ivar kept_index: index into ``qualities`` of the kept capture
    :ivar attachment: attachment name of the kept image, e.g. "fingerprint-7.wsq"
    """

    finger: FingerCode
    qualities: list[int] = field(default_factory=list)
    kept_index: int = 0
    attachment: str


@dataclass(kw_only=True)
class FingerprintExemption:
    """Why a finger (``finger`` set) or all fingerprints (``finger`` None) were not taken."""

    finger: FingerCode | None = None
    reason: ExemptionReason


@dataclass(kw_only=True)
class IdCardApplication:
    """Antrag auf einen Personalausweis.

    :ivar person: the applicant
    :ivar application_date: Antragsdatum (decides fee and validity)
    :ivar address: Anschrift (the registered Haupt-/alleinige Wohnung)
    :ivar photo: Lichtbild
    :ivar fingerprints: 0–2 fingerprints
    :ivar fingerprint_exemptions: reasons for missing or substituted fingers
    :ivar signature_attachments: e.g. ["signature.png", "signature-strokes.json"]
    :ivar height_cm: Größe in cm
    :ivar eye_color: Augenfarbe
    :ivar delivery: Abholung or Direktversand
    :ivar delivery_address: address for Direktversand (must be the Hauptwohnung)
    :ivar second_id_present: a second valid ID was shown (Direktversand)
    :ivar applicant_in_person: the applicant applies in person (no representative)
    :ivar express: Expressverfahren
    :ivar provisional: vorläufiger Personalausweis
    :ivar pin_letter_handed_out: PIN-Brief handed out at application
    :ivar pin_letter_number: number printed on the PIN-Brief
    :ivar outside_hours_surcharge: +13 EUR (outside office hours at the applicant's
        request, or a non-competent authority)
    :ivar fee_waived: fee reduced or waived (§ 1 Abs. 6 PAuswGebV)
    :ivar fee_amount: fee charged in EUR, ``None`` until recorded
    :ivar device_certificates: certificate ids of the capture devices / QA software
    :ivar remarks: Bemerkungen (DIN 91379 type C)
    :ivar legal_representatives: gesetzliche Vertreter who apply for an applicant
        under 16 (PAuswG § 9 Abs. 2); register field "gesetzlicher Vertreter"
    :ivar custody: gemeinsame or alleinige Sorge (with representatives)
    :ivar other_parent_consent: with joint custody and one representative present:
        the other holder's consent was shown
    """

    case_type: ClassVar[CaseType] = CaseType.PERSONALAUSWEIS

    case_id: str = field(default_factory=new_case_id)
    case_number: str = ""
    state: CaseState = CaseState.DRAFT
    created_at: datetime = field(default_factory=_now)
    person: Person
    application_date: date
    address: Dwelling | None = None
    photo: Photo | None = None
    fingerprints: list[FingerprintRecord] = field(default_factory=list)
    fingerprint_exemptions: list[FingerprintExemption] = field(default_factory=list)
    signature_attachments: list[str] = field(default_factory=list)
    height_cm: int | None = None
    eye_color: str | None = None
    delivery: Delivery = Delivery.PICKUP
    delivery_address: Dwelling | None = None
    second_id_present: bool = False
    applicant_in_person: bool = True
    express: bool = False
    provisional: bool = False
    pin_letter_handed_out: bool = False
    pin_letter_number: str | None = None
    outside_hours_surcharge: bool = False
    fee_waived: bool = False
    fee_amount: Decimal | None = None
    device_certificates: list[str] = field(default_factory=list)
    remarks: str | None = None
    legal_representatives: list[LegalRepresentative] = field(default_factory=list)
    custody: Custody | None = None
    other_parent_consent: bool = False

    def __post_init__(self) -> None:
        if not self.case_number:
            self.case_number = new_case_number(self.created_at, self.case_id)

    @property
    def persons(self) -> list[Person]:
        """The applicant as a one-element list (same shape as registrations)."""
        return [self.person]

    @property
    def authority_photo(self) -> bool:
        return self.photo is not None and self.photo.source is PhotoSource.AUTHORITY_CAPTURE

    @property
    def direct_delivery(self) -> bool:
        return self.delivery is Delivery.DIRECT_DELIVERY


@dataclass(kw_only=True)
class PassportApplication:
    """Antrag auf einen Reisepass (PassG, PassV). No PIN-Brief, no eID.

    Photo, fingerprints, signature, address and the representatives are
    recorded as for :class:`IdCardApplication`.

    :ivar pages_48: 48 pages instead of 32 (PassV § 27 Abs. 1 Nr. 1 c)
    :ivar express: Expressverfahren (Nr. 1 d)
    :ivar provisional: vorläufiger Reisepass (Nr. 1 e, valid at most 1 year)
    :ivar delivery: Abholung or Direktversand (Zustellung, Nr. 3)
    :ivar second_id_present: a second valid photo ID was shown (PassV § 17 Abs. 2)
    :ivar direct_delivery_consent: the applicant consented to Direktversand
    :ivar notice_email: e-mail address for the delivery notice (§ 17 Abs. 3;
        deleted after delivery)
    :ivar applicant_in_person: the applicant appeared in person (PassG § 6 Abs. 1
        S. 7–8: otherwise only a vorläufiger Reisepass)
    :ivar outside_hours_surcharge: outside office hours at the applicant's request
        (§ 27 Abs. 2 Nr. 1: doubles only a vorläufiger Reisepass)
    :ivar non_competent_authority: applied at a non-competent authority
        (§ 27 Abs. 2 Nr. 2: doubles the base fee)
    :ivar fee_waived: fee reduced or waived for a needy person (PassV § 28)
    :ivar fee_waiver_reason: the recorded reason of that decision
    :ivar fee_rules: the readings of § 27 Abs. 2 PassV ``fee_amount`` was computed
        with (configured, ``[rules] passport_*``; recorded so that every later check
        agrees with the fee charged)
    :ivar old_passport_presented: a previous passport was presented
    :ivar old_passport_invalidated: it was entwertet at application
    :ivar old_passport_valid_visas: it holds valid foreign visas (so it is not
        entwertet)
    """

    case_type: ClassVar[CaseType] = CaseType.REISEPASS

    case_id: str = field(default_factory=new_case_id)
    case_number: str = ""
    state: CaseState = CaseState.DRAFT
    created_at: datetime = field(default_factory=_now)
    person: Person
    application_date: date
    address: Dwelling | None = None
    photo: Photo | None = None
    fingerprints: list[FingerprintRecord] = field(default_factory=list)
    fingerprint_exemptions: list[FingerprintExemption] = field(default_factory=list)
    signature_attachments: list[str] = field(default_factory=list)
    height_cm: int | None = None
    eye_color: str | None = None
    pages_48: bool = False
    express: bool = False
    provisional: bool = False
    delivery: Delivery = Delivery.PICKUP
    delivery_address: Dwelling | None = None
    second_id_present: bool = False
    direct_delivery_consent: bool = False
    notice_email: str | None = None
    applicant_in_person: bool = True
    outside_hours_surcharge: bool = False
    non_competent_authority: bool = False
    fee_waived: bool = False
    fee_waiver_reason: str | None = None
    fee_amount: Decimal | None = None
    fee_rules: PassportFeeRules = DEFAULT_FEE_RULES
    old_passport_presented: bool = False
    old_passport_invalidated: bool = False
    old_passport_valid_visas: bool = False
    legal_representatives: list[LegalRepresentative] = field(default_factory=list)
    custody: Custody | None = None
    other_parent_consent: bool = False
    device_certificates: list[str] = field(default_factory=list)
    remarks: str | None = None

    def __post_init__(self) -> None:
        if not self.case_number:
            self.case_number = new_case_number(self.created_at, self.case_id)

    @property
    def persons(self) -> list[Person]:
        return [self.person]

    @property
    def authority_photo(self) -> bool:
        return self.photo is not None and self.photo.source is PhotoSource.AUTHORITY_CAPTURE

    @property
    def direct_delivery(self) -> bool:
        return self.delivery is Delivery.DIRECT_DELIVERY


#: an application for an identity document
DocumentApplication: TypeAlias = IdCardApplication | PassportApplication

#: every kind of case
Case: TypeAlias = RegistrationCase | IdCardApplication | PassportApplication
