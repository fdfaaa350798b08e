"""Deterministic sample data for the demo, tests and benchmarks (fictitious persons).

The names exercise DIN 91379: letters such as œ, Ľ, ř, Þ, ı, ş, ư and letters that
exist only as base letter + combining marks (``K͟H``, ``Ṣ̄``, ``L̥̄``).
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from koffer.cases import passport
from koffer.cases.dates import age_on
from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Custody,
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    IdDocumentKind,
    MaritalStatus,
    PhotoSource,
    Relationship,
    Sex,
)
from koffer.cases.id_card import fee
from koffer.cases.model import (
    Case,
    FingerprintExemption,
    FingerprintRecord,
    IdCardApplication,
    PassportApplication,
    Photo,
    RegistrationCase,
)
from koffer.cases.person import IdDocument, LegalRepresentative, Person
from koffer.errors import ValidationError

__all__ = ["sample_case", "sample_persons"]

_FAMILY_NAMES = (
    "Müller",
    "Schmidt-Strauß",
    "Dvořák-Þórsdóttir",
    "Nguyễn",
    "Yılmaz",
    "Öztürk",
    "Şahin",
    "Łukasiewicz",
    "Brzęczyszczykiewicz",
    "O’Brien",
    "d’Alembert",
    "van der Linde",
    "Ødegård",
    "Håkansson",
    "K͟Houry",
    "Ṣ̄ādiq",
    "Trần",
    "Phạm",
    "Grünewald",
    "Jiménez",
    "Çelik",
    "Lāl̥̄",
    "Kovačević",
    "Ægisdóttir",
)
_MALE_NAMES = (
    ("Nœl",),
    ("Jürgen", "Karl"),
    ("Mehmet", "Ali"),
    ("Łukasz",),
    ("Đức", "Minh"),
    ("Jean-Luc",),
    ("Søren",),
    ("Ōmar",),
    ("Ignác", "Jiří"),
    ("Þórður",),
)
_FEMALE_NAMES = (
    ("Ľudmila",),
    ("Zoë", "Marie"),
    ("Ayşe",),
    ("Małgorzata", "Anna"),
    ("Thị", "Hương"),
    ("Françoise",),
    ("Ingrid", "Åsa"),
    ("Ĳsbrand",),
    ("Dagný",),
    ("Renée", "Luïsa"),
)
_NEUTRAL_NAMES = (("Kim",), ("Alex", "Noa"), ("Sascha",), ("Eike",))
_BIRTH_PLACES = (
    ("Nürnberg", "DE"),
    ("München", "DE"),
    ("Köln", "DE"),
    ("Frankfurt am Main", "DE"),
    ("Görlitz", "DE"),
    ("İstanbul", "TR"),
    ("Kraków", "PL"),
    ("Łódź", "PL"),
    ("Hà Nội", "VN"),
    ("Brno", "CZ"),
    ("Reykjavík", "IS"),
    ("Malmö", "SE"),
)
_NATIONALITY = {"DE": "DE", "TR": "TR", "PL": "PL", "VN": "VN", "CZ": "CZ", "IS": "IS", "SE": "SE"}


@dataclass(frozen=True)
class _Place:
    city: str
    postcode: str
    municipality_key: str
    streets: tuple[str, ...]
    district: str | None = None


_PLACES = (
    _Place(
        "Nürnberg",
        "90402",
        "09564000",
        ("Karl-Bröger-Straße", "Königstraße", "Äußere Laufer Gasse"),
        "St. Lorenz",
    ),
    _Place("Fürth", "90762", "09563000", ("Schwabacher Straße", "Königswarterstraße")),
    _Place("Erlangen", "91052", "09562000", ("Hauptstraße", "Schloßplatz", "Nürnberger Straße")),
    _Place("Köln", "50667", "05315000", ("Hohe Straße", "Am Hof"), "Altstadt-Nord"),
    _Place("München", "80331", "09162000", ("Sendlinger Straße", "Tal")),
    _Place("Berlin", "10115", "11000000", ("Chausseestraße", "Invalidenstraße"), "Mitte"),
)
_FOREIGN = (
    Dwelling(
        street="Mariahilfer Straße", house_number="12", postcode="1060", city="Wien", country="AT"
    ),
    Dwelling(
        street="Rue de l’Église",
        house_number="3",
        postcode="67000",
        city="Strasbourg",
        country="FR",
    ),
    Dwelling(
        street="ulica Długa", house_number="7", postcode="80-831", city="Gdańsk", country="PL"
    ),
)


def _pick_names(rng: random.Random, sex: Sex) -> list[str]:
    pool = {
        Sex.MALE: _MALE_NAMES,
        Sex.FEMALE: _FEMALE_NAMES,
    }.get(sex, _NEUTRAL_NAMES)
    return list(rng.choice(pool))


def _random_sex(rng: random.Random) -> Sex:
    return rng.choices(
        (Sex.FEMALE, Sex.MALE, Sex.DIVERSE, Sex.UNSPECIFIED), weights=(48, 48, 2, 2)
    )[0]


def _birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    oldest = today - timedelta(days=int((max_age + 1) * 365.25) - 2)
    youngest = today - timedelta(days=int(min_age * 365.25) + 1)
    return oldest + timedelta(days=rng.randrange((youngest - oldest).days + 1))


def _id_document(rng: random.Random, birth: date, today: date) -> list[IdDocument]:
    if age_on(birth, today) < 16:
        return []
    issued = today - timedelta(days=rng.randrange(30, 3000))
    serial = "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(9))
    return [
        IdDocument(
            kind=IdDocumentKind.PA,
            serial=serial,
            authority=f"Stadt {rng.choice(_PLACES).city}",
            issued=issued,
            expires=issued.replace(day=min(issued.day, 28), year=issued.year + 10),
        )
    ]


def _person(rng: random.Random, today: date, min_age: int, max_age: int) -> Person:
    sex = _random_sex(rng)
    birth = _birth_date(rng, today, min_age, max_age)
    place, country = rng.choice(_BIRTH_PLACES)
    age = age_on(birth, today)
    given = _pick_names(rng, sex)
    family = rng.choice(_FAMILY_NAMES)
    married = age >= 18 and rng.random() < 0.5
    nationalities = [_NATIONALITY[country]]
    if country != "DE" and rng.random() < 0.4:
        nationalities.insert(0, "DE")
    return Person(
        family_name=family,
        given_names=given,
        preferred_given_name=0,
        birth_name=rng.choice(_FAMILY_NAMES) if married and rng.random() < 0.5 else None,
        doctoral_degree="Dr." if age >= 28 and rng.random() < 0.1 else None,
        birth_date=birth,
        birth_place=place,
        birth_country=country,
        sex=sex,
        nationalities=nationalities,
        marital_status=(
            MaritalStatus.MARRIED
            if married
            else (
                MaritalStatus.SINGLE if age < 18 or rng.random() < 0.6 else MaritalStatus.DIVORCED
            )
        ),
        religion=rng.choice((None, None, "rk", "ev")),
        id_documents=_id_document(rng, birth, today),
        information_block_requested=rng.random() < 0.05,
    )


def sample_persons(n: int, seed: int, today: date | None = None) -> list[Person]:
    """``n`` varied fictitious persons with valid DIN 91379 names (deterministic).

    ``today`` (default 2025-06-02) anchors the birth dates, so the result does not
    depend on the clock.
    """
    rng = random.Random(seed)
    anchor = today or date(2025, 6, 2)
    return [_person(rng, anchor, 0, 90) for _ in range(n)]


def _dwelling(
    rng: random.Random,
    place: _Place | None = None,
    status: DwellingStatus = DwellingStatus.ALLEINIGE,
) -> Dwelling:
    where = place or rng.choice(_PLACES)
    return Dwelling(
        street=rng.choice(where.streets),
        house_number=str(rng.randrange(1, 120)),
        addition=rng.choice((None, None, None, "a", "b")),
        floor_or_flat=rng.choice((None, "EG", "1. OG links", "3. OG", "Whg. 12")),
        postcode=where.postcode,
        city=where.city,
        district=where.district,
        municipality_key=where.municipality_key,
        status=status,
    )


def _household(rng: random.Random, today: date) -> list[Person]:
    adult = _person(rng, today, 25, 70)
    persons = [adult]
    if rng.random() < 0.5:
        partner = _person(rng, today, 25, 70)
        partner.family_name = adult.family_name
        persons.append(partner)
    for _ in range(rng.choice((0, 0, 1, 2))):
        child = _person(rng, today, 0, 15)
        child.family_name = adult.family_name
        child.marital_status = MaritalStatus.SINGLE
        child.birth_name = None
        child.doctoral_degree = None
        persons.append(child)
    return persons


def _signer_index(persons: list[Person], on: date) -> int:
    if not persons:
        raise ValidationError(
            "Für einen Beispielvorgang wird mindestens eine Person benötigt.",
            message_en="A sample case needs at least one person.",
        )
    ages = [age_on(p.birth_date, on) for p in persons]
    index = max(range(len(persons)), key=lambda i: ages[i])
    needed = 18 if min(ages) < 16 else 16
    if ages[index] < needed:
        raise ValidationError(
            "Im Beispielvorgang ist keine Person alt genug, um zu unterschreiben.",
            message_en="No person in the sample case is old enough to sign.",
        )
    return index


def _full_name(p: Person) -> str:
    return " ".join([*p.given_names, p.family_name])


def _case_header(rng: random.Random, today: date) -> tuple[str, datetime]:
    case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    created = datetime.combine(today, time(8, 0), tzinfo=UTC) + timedelta(
        minutes=rng.randrange(0, 480)
    )
    return case_id, created


def _registration(
    rng: random.Random, case_type: CaseType, today: date, persons: list[Person]
) -> RegistrationCase:
    case_id, created = _case_header(rng, today)
    signer = _signer_index(persons, today)
    home = rng.choice(_PLACES)
    if case_type is CaseType.ANMELDUNG:
        kind = rng.choice(list(AnmeldungKind))
        move_in = today - timedelta(days=rng.randrange(0, 11))
        with_second = rng.random() < 0.25
        new = _dwelling(
            rng, home, DwellingStatus.HAUPT if with_second else DwellingStatus.ALLEINIGE
        )
        others = [_dwelling(rng, None, DwellingStatus.NEBEN)] if with_second else []
        previous: Dwelling | None
        last_domestic: Dwelling | None = None
        if kind is AnmeldungKind.UMZUG_INNERHALB:
            previous = _dwelling(rng, home)
        elif kind is AnmeldungKind.ZUZUG:
            previous = _dwelling(rng, rng.choice([p for p in _PLACES if p is not home]))
        else:
            previous = rng.choice(_FOREIGN)
            last_domestic = _dwelling(rng) if rng.random() < 0.5 else None
        if rng.random() < 0.5:
            confirmation = LandlordConfirmation(assignment_code=f"WGB-{rng.randrange(10**8):08d}")
        else:
            confirmation = LandlordConfirmation(
                landlord_name=rng.choice(("Wohnbau Franken GmbH & Co. KG", "Ingrid Håkansson")),
                landlord_address=f"Königstraße {rng.randrange(1, 90)}, 90402 Nürnberg",
                owner_name=None,
                move_in_date=move_in,
                dwelling_address=new.one_line(),
                person_names=[_full_name(p) for p in persons],
            )
        return RegistrationCase(
            case_id=case_id,
            created_at=created,
            case_type=case_type,
            anmeldung_kind=kind,
            persons=persons,
            signer_index=signer,
            new_dwelling=new,
            previous_dwelling=previous,
            last_domestic_dwelling=last_domestic,
            other_dwellings=others,
            move_in_date=move_in,
            registration_date=today,
            landlord_confirmation=confirmation,
        )
    if case_type is CaseType.ABMELDUNG:
        return RegistrationCase(
            case_id=case_id,
            created_at=created,
            case_type=case_type,
            persons=persons,
            signer_index=signer,
            new_dwelling=rng.choice((None, *_FOREIGN)),
            previous_dwelling=_dwelling(rng, home),
            move_out_date=today + timedelta(days=rng.randrange(-5, 6)),
            registration_date=today,
        )
    return RegistrationCase(
        case_id=case_id,
        created_at=created,
        case_type=CaseType.HAUPTWOHNUNG,
        persons=persons,
        signer_index=signer,
        new_dwelling=_dwelling(rng, home, DwellingStatus.HAUPT),
        other_dwellings=[_dwelling(rng, None, DwellingStatus.NEBEN)],
        move_in_date=today - timedelta(days=rng.randrange(0, 11)),
        registration_date=today,
    )


def _qualities(rng: random.Random) -> tuple[list[int], int]:
    scores = [rng.randrange(35, 95) for _ in range(3)]
    return scores, scores.index(max(scores))


def _id_card(rng: random.Random, today: date, person: Person) -> IdCardApplication:
    case_id, created = _case_header(rng, today)
    age = age_on(person.birth_date, today)
    address = _dwelling(rng)
    prints: list[FingerprintRecord] = []
    exemptions: list[FingerprintExemption] = []
    if age >= 6:
        for finger in (FingerCode.LEFT_INDEX, FingerCode.RIGHT_INDEX):
            scores, kept = _qualities(rng)
            prints.append(
                FingerprintRecord(
                    finger=finger,
                    qualities=scores,
                    kept_index=kept,
                    attachment=f"fingerprint-{finger.value}.wsq",
                )
            )
    else:
        exemptions.append(FingerprintExemption(reason=ExemptionReason.UNDER_AGE))
    direct = age >= 16 and rng.random() < 0.3
    photo = Photo(source=PhotoSource.AUTHORITY_CAPTURE, attachment="photo.jpg")
    outside = rng.random() < 0.2
    return IdCardApplication(
        case_id=case_id,
        created_at=created,
        person=person,
        application_date=today,
        address=address,
        photo=photo,
        fingerprints=prints,
        fingerprint_exemptions=exemptions,
        signature_attachments=["signature.png", "signature-strokes.json"] if age >= 10 else [],
        height_cm=min(50 + age * 7, rng.randrange(155, 195)),
        eye_color=rng.choice(("blau", "braun", "grün", "grau")),
        delivery=Delivery.DIRECT_DELIVERY if direct else Delivery.PICKUP,
        delivery_address=address if direct else None,
        second_id_present=direct,
        pin_letter_handed_out=True,
        pin_letter_number=f"{rng.randrange(10**10):010d}",
        outside_hours_surcharge=outside,
        fee_amount=fee(
            today,
            person.birth_date,
            direct_delivery=direct,
            authority_photo=True,
            outside_hours_surcharge=outside,
        ),
        device_certificates=["BSI-DSZ-CC-0000-2025"],
    )


_SIG = (".png", "-strokes.json")


def _with_representative(app: IdCardApplication | PassportApplication, under: int) -> None:
    """A mother with joint custody and the father's consent, for an applicant under ``under``."""
    born = app.person.birth_date
    if age_on(born, app.application_date) >= under:
        return
    app.legal_representatives = [
        LegalRepresentative(
            family_name=app.person.family_name,
            given_names=["Maria"],
            birth_date=born.replace(year=born.year - 30, day=1),
            relationship=Relationship.MOTHER,
            id_document_kind=IdDocumentKind.PA,
            id_document_serial="L01X00T47",
            signature_attachments=[f"signature-representative-1{x}" for x in _SIG],
        )
    ]
    app.custody = Custody.JOINT
    app.other_parent_consent = True


def _passport(rng: random.Random, today: date, person: Person) -> PassportApplication:
    """The Personalausweis sample's capture as a Reisepass application (PassV § 27 fee)."""
    card = _id_card(rng, today, person)
    shared = {f.name for f in dataclasses.fields(PassportApplication)}
    kept = {"express", "outside_hours_surcharge", "fee_amount", "legal_representatives"}
    app = PassportApplication(
        **{
            f.name: getattr(card, f.name)
            for f in dataclasses.fields(card)
            if f.name in shared and f.name not in kept
        },
        pages_48=rng.random() < 0.3,
        direct_delivery_consent=card.direct_delivery,
        notice_email="post@example.org" if card.direct_delivery else None,
        old_passport_presented=True,
        old_passport_invalidated=True,
    )
    direct, pages = app.direct_delivery, app.pages_48
    app.fee_amount = passport.fee(
        today, person.birth_date, pages_48=pages, direct_delivery=direct, authority_photo=True
    )
    _with_representative(app, passport.ADULT_AGE)
    return app


def sample_case(
    case_type: CaseType, seed: int, today: date, persons: list[Person] | None = None
) -> Case:
    """A deterministic case of ``case_type`` that passes ``ensure_valid(case, today)``.

    ``persons`` replaces the generated household (registrations: all of them move;
    Personalausweis: the first one applies). Without an adult to sign for persons
    under 16 a :class:`~koffer.errors.ValidationError` is raised.
    """
    rng = random.Random(f"{case_type.value}:{seed}")
    if case_type in (CaseType.PERSONALAUSWEIS, CaseType.REISEPASS):
        applicant = persons[0] if persons else _person(rng, today, 16, 80)
        if case_type is CaseType.REISEPASS:
            return _passport(rng, today, applicant)
        card = _id_card(rng, today, applicant)
        _with_representative(card, 16)
        return card
    household = list(persons) if persons else _household(rng, today)
    return _registration(rng, case_type, today, household)
