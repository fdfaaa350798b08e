"""Fixed, invented sample data for the document tests (no real persons)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Delivery,
    DwellingStatus,
    IdDocumentKind,
    MaritalStatus,
    PhotoSource,
    Sex,
)
from koffer.cases.model import IdCardApplication, Photo, RegistrationCase
from koffer.cases.person import IdDocument, Person
from koffer.documents.settings import MunicipalitySettings

ISSUED = date(2026, 3, 16)
CREATED = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)

MUNICIPALITY = MunicipalitySettings(
    name="Gemeinde Beispielstadt",
    authority="Bürgerbüro – Meldebehörde",
    address=("Am Rathaus 1", "99999 Beispielstadt"),
    phone="09999 123-0",
    email="buergerbuero@beispielstadt.example",
)


def person_noel() -> Person:
    return Person(
        family_name="Dvořák-Þórsdóttir",
        given_names=["Nœl", "Ľudmila", "L̥̄ena"],
        preferred_given_name=1,
        birth_name="Dvořák",
        doctoral_degree="Dr.",
        birth_date=date(1988, 2, 29),
        birth_place="Brno",
        birth_country="CZ",
        sex=Sex.FEMALE,
        nationalities=["DE", "CZ"],
        marital_status=MaritalStatus.MARRIED,
        religion="rk",
        id_documents=[
            IdDocument(
                kind=IdDocumentKind.PA,
                serial="L01X00T47",
                authority="Stadt Musterhausen",
                issued=date(2021, 5, 3),
                expires=date(2031, 5, 2),
            )
        ],
    )


def person_child() -> Person:
    return Person(
        family_name="Dvořák-Þórsdóttir",
        given_names=["Ǻsa", "C̨̆elina"],
        preferred_given_name=0,
        birth_date=date(2016, 7, 1),
        birth_place="Beispielstadt",
        sex=Sex.FEMALE,
        marital_status=MaritalStatus.SINGLE,
    )


def new_dwelling() -> Dwelling:
    return Dwelling(
        street="Schmidt-Strauß-Straße",
        house_number="17",
        addition="a",
        floor_or_flat="2. OG links",
        postcode="99999",
        city="Beispielstadt",
        district="Nordviertel",
        municipality_key="09999999",
        status=DwellingStatus.HAUPT,
    )


def anmeldung() -> RegistrationCase:
    return RegistrationCase(
        case_id="3f9a2c10-0000-4000-8000-000000000001",
        created_at=CREATED,
        case_type=CaseType.ANMELDUNG,
        anmeldung_kind=AnmeldungKind.ZUZUG,
        persons=[person_noel(), person_child()],
        new_dwelling=new_dwelling(),
        previous_dwelling=Dwelling(
            street="Ringstraße",
            house_number="5",
            postcode="88888",
            city="Musterhausen",
            status=DwellingStatus.ALLEINIGE,
        ),
        other_dwellings=[
            Dwelling(
                street="Seeweg",
                house_number="2",
                postcode="77777",
                city="Seedorf",
                status=DwellingStatus.NEBEN,
            )
        ],
        move_in_date=date(2026, 3, 1),
        registration_date=ISSUED,
        landlord_confirmation=LandlordConfirmation(assignment_code="WGB-7K2M-9QXP"),
    )


def abmeldung() -> RegistrationCase:
    return RegistrationCase(
        case_id="3f9a2c10-0000-4000-8000-000000000002",
        created_at=CREATED,
        case_type=CaseType.ABMELDUNG,
        persons=[person_noel()],
        previous_dwelling=new_dwelling(),
        move_out_date=date(2026, 3, 20),
        registration_date=ISSUED,
    )


def application(**changes: object) -> IdCardApplication:
    values: dict[str, object] = {
        "case_id": "3f9a2c10-0000-4000-8000-000000000003",
        "created_at": CREATED,
        "person": person_noel(),
        "application_date": ISSUED,
        "address": new_dwelling(),
        "photo": Photo(source=PhotoSource.AUTHORITY_CAPTURE, attachment="photo.jpg"),
        "delivery": Delivery.DIRECT_DELIVERY,
        "second_id_present": True,
        "pin_letter_handed_out": True,
        "pin_letter_number": "PB-000123",
        "height_cm": 172,
        "eye_color": "grün",
    }
    values.update(changes)
    return IdCardApplication(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FakeResult:
    """Shaped like koffer.devices.selftest.SelfTestResult (fixed data for the report)."""

    kind: str
    type: str
    required: bool
    ok: bool
    detail: str
    model: str = ""
    firmware: str = ""
    serial: str = ""
    duration_ms: int = 0


SELFTEST_RESULTS = [
    FakeResult(
        "fingerprint",
        "r30x",
        True,
        True,
        "Bild aufgenommen, Qualität 71",
        "R307",
        "1.2",
        "SIM-0001",
        812,
    ),
    FakeResult(
        "signature_pad", "wacom_stu", True, True, "Stift erkannt", "STU-540", "2.0", "SIM-0002", 240
    ),
    FakeResult(
        "receipt_printer",
        "escpos",
        False,
        False,
        "Papier ist leer. Bitte Rolle einlegen.",
        "TM-T20",
        "",
        "SIM-0003",
        95,
    ),
    FakeResult(
        "document_printer",
        "ipp",
        True,
        True,
        "Testseite gesendet",
        "ippeveprinter",
        "2.4",
        "",
        1530,
    ),
    FakeResult("camera", "v4l2", True, True, "Bild 1280×720", "UVC", "", "", 410),
]
