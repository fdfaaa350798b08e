"""BMG rules of registrations (Anmeldung, Abmeldung, Wechsel der Hauptwohnung)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from koffer.cases import (
    CaseType,
    Dwelling,
    DwellingStatus,
    LandlordConfirmation,
    RegistrationCase,
    RuleSettings,
    RuleViolation,
    check,
    ensure_valid,
    sample_case,
)
from koffer.cases.enums import AnmeldungKind
from koffer.errors import ValidationError
from tests.unit.cases.factories import TODAY, person


def _errors(case: RegistrationCase, settings: RuleSettings | None = None) -> dict[str, str]:
    return {f.field: f.message for f in check(case, TODAY, settings) if f.severity == "error"}


def _warnings(case: RegistrationCase, settings: RuleSettings | None = None) -> dict[str, str]:
    return {f.field: f.message for f in check(case, TODAY, settings) if f.severity == "warning"}


def _home(status: DwellingStatus = DwellingStatus.ALLEINIGE) -> Dwelling:
    return Dwelling(
        street="Karl-Bröger-Straße",
        house_number="17",
        addition="a",
        floor_or_flat="2. OG",
        postcode="90459",
        city="Nürnberg",
        district="Gleißhammer",
        municipality_key="09564000",
        status=status,
    )


def _anmeldung(**changes: object) -> RegistrationCase:
    case = RegistrationCase(
        case_type=CaseType.ANMELDUNG,
        anmeldung_kind=AnmeldungKind.ZUZUG,
        persons=[person(40)],
        signer_index=0,
        new_dwelling=_home(),
        previous_dwelling=Dwelling(
            street="Hauptstraße", house_number="1", postcode="91052", city="Erlangen"
        ),
        move_in_date=TODAY - timedelta(days=3),
        registration_date=TODAY,
        landlord_confirmation=LandlordConfirmation(assignment_code="WGB-12345678"),
    )
    for key, value in changes.items():
        setattr(case, key, value)
    return case


def _abmeldung(**changes: object) -> RegistrationCase:
    case = RegistrationCase(
        case_type=CaseType.ABMELDUNG,
        persons=[person(40)],
        previous_dwelling=_home(),
        new_dwelling=Dwelling(
            street="Mariahilfer Straße",
            house_number="3",
            postcode="1060",
            city="Wien",
            country="AT",
        ),
        move_out_date=TODAY,
        registration_date=TODAY,
    )
    for key, value in changes.items():
        setattr(case, key, value)
    return case


@pytest.mark.parametrize(
    "case_type", [CaseType.ANMELDUNG, CaseType.ABMELDUNG, CaseType.HAUPTWOHNUNG]
)
@pytest.mark.parametrize("seed", range(25))
def test_samples_are_valid(case_type: CaseType, seed: int) -> None:
    ensure_valid(sample_case(case_type, seed, TODAY), TODAY, RuleSettings())


def test_good_cases_pass() -> None:
    assert _errors(_anmeldung()) == {}
    assert _errors(_abmeldung()) == {}


def test_names_are_checked_as_type_a() -> None:
    case = _anmeldung(persons=[person(40, family="Müller2")])
    errors = _errors(case)
    assert "persons[0].family_name" in errors
    assert errors["persons[0].family_name"].startswith("Familienname: Das Zeichen „2“ (U+0032)")
    case = _anmeldung(persons=[person(40, given="Иван")])
    assert "persons[0].given_names[0]" in _errors(case)
    ok = _anmeldung(persons=[person(40, family="Dvořák-Þórsdóttir", given="Nœl")])
    assert _errors(ok) == {}


def test_addresses_are_checked_as_type_b() -> None:
    bad = _home()
    bad.street = "Улица"
    assert "new_dwelling.street" in _errors(_anmeldung(new_dwelling=bad))
    good = _home()
    good.street = "Straße des 17. Juni"
    assert _errors(_anmeldung(new_dwelling=good)) == {}
    bad = _home()
    bad.postcode = "9045"
    assert "new_dwelling.postcode" in _errors(_anmeldung(new_dwelling=bad))
    bad = _home()
    bad.municipality_key = "0956400"
    assert "new_dwelling.municipality_key" in _errors(_anmeldung(new_dwelling=bad))


def test_required_person_fields() -> None:
    p = person(30)
    p.family_name = " "
    p.nationalities = []
    p.birth_place = ""
    errors = _errors(_anmeldung(persons=[p]))
    assert {"persons[0].family_name", "persons[0].nationalities", "persons[0].birth_place"} <= set(
        errors
    )
    p = person(30)
    p.preferred_given_name = 3
    assert "persons[0].preferred_given_name" in _errors(_anmeldung(persons=[p]))
    p = person(30)
    p.religion = "Katholisch"
    assert "persons[0].religion" in _errors(_anmeldung(persons=[p]))
    assert "persons" in _errors(_anmeldung(persons=[]))


def test_birth_date_in_future_is_an_error() -> None:
    p = person(0, days=-5)
    assert "persons[1].birth_date" in _errors(_anmeldung(persons=[person(40), p]))


def test_late_anmeldung_is_a_warning_not_an_error() -> None:
    on_time = _anmeldung(move_in_date=TODAY - timedelta(days=14))
    assert _errors(on_time) == {} and "move_in_date" not in _warnings(on_time)
    late = _anmeldung(move_in_date=TODAY - timedelta(days=15))
    assert _errors(late) == {}
    warning = _warnings(late)["move_in_date"]
    assert "15 Tage" in warning and "Ordnungswidrigkeit" in warning
    ensure_valid(late, TODAY)  # accepted
    relaxed = RuleSettings(late_registration_days=30)
    assert "move_in_date" not in _warnings(late, relaxed)


def test_anmeldung_before_move_in_is_refused() -> None:
    case = _anmeldung(move_in_date=TODAY + timedelta(days=1))
    assert "move_in_date" in _errors(case)
    assert "move_in_date" in _errors(_anmeldung(move_in_date=None))


def test_landlord_confirmation_needed() -> None:
    assert "landlord_confirmation" in _errors(_anmeldung(landlord_confirmation=None))
    partial = LandlordConfirmation(
        landlord_name="Wohnbau GmbH & Co. KG",
        landlord_address="Königstraße 1, 90402 Nürnberg",
        move_in_date=TODAY - timedelta(days=3),
        dwelling_address="Karl-Bröger-Straße 17a, 90459 Nürnberg",
    )
    assert "landlord_confirmation" in _errors(_anmeldung(landlord_confirmation=partial))
    partial.person_names = ["Anna Müller"]
    assert _errors(_anmeldung(landlord_confirmation=partial)) == {}
    partial.move_in_date = TODAY - timedelta(days=4)
    assert "landlord_confirmation.move_in_date" in _warnings(
        _anmeldung(landlord_confirmation=partial)
    )
    partial.person_names = ["Anna Müller 2"]
    assert "landlord_confirmation.person_names[0]" in _errors(
        _anmeldung(landlord_confirmation=partial)
    )


def test_dwelling_status_rules() -> None:
    main = _home(DwellingStatus.HAUPT)
    second = Dwelling(
        street="Am See",
        house_number="2",
        postcode="91522",
        city="Ansbach",
        status=DwellingStatus.NEBEN,
    )
    assert "other_dwellings" in _errors(_anmeldung(new_dwelling=main))
    assert _errors(_anmeldung(new_dwelling=main, other_dwellings=[second])) == {}
    two_main = Dwelling(
        street="Am See",
        house_number="2",
        postcode="91522",
        city="Ansbach",
        status=DwellingStatus.HAUPT,
    )
    assert "other_dwellings" in _errors(_anmeldung(new_dwelling=main, other_dwellings=[two_main]))
    secondary = _home(DwellingStatus.NEBEN)
    assert _errors(_anmeldung(new_dwelling=secondary, other_dwellings=[two_main])) == {}
    assert "other_dwellings" in _errors(_anmeldung(new_dwelling=_home(), other_dwellings=[second]))
    assert "other_dwellings" in _errors(
        _anmeldung(new_dwelling=secondary, other_dwellings=[second])
    )


def test_anmeldung_kind_consistency() -> None:
    foreign = Dwelling(
        street="Rue Haute", house_number="1", postcode="1000", city="Bruxelles", country="BE"
    )
    assert "previous_dwelling.country" in _errors(_anmeldung(previous_dwelling=foreign))
    ok = _anmeldung(anmeldung_kind=AnmeldungKind.ZUZUG_AUSLAND, previous_dwelling=foreign)
    assert _errors(ok) == {}
    assert "previous_dwelling.country" in _errors(
        _anmeldung(anmeldung_kind=AnmeldungKind.ZUZUG_AUSLAND)
    )
    assert "anmeldung_kind" in _errors(_anmeldung(anmeldung_kind=None))
    abroad = _home()
    abroad.country = "AT"
    assert "new_dwelling.country" in _errors(_anmeldung(new_dwelling=abroad))


def test_minor_needs_an_adult_signer() -> None:
    child, teen, adult = person(10, given="Lena"), person(17, given="Jonas"), person(40)
    assert _errors(_anmeldung(persons=[adult, child], signer_index=0)) == {}
    errors = _errors(_anmeldung(persons=[adult, child], signer_index=1))
    assert "signer_index" in errors and "unter 16" in errors["signer_index"]
    assert "signer_index" in _errors(_anmeldung(persons=[teen, child], signer_index=0))
    assert _errors(_anmeldung(persons=[teen], signer_index=0)) == {}
    assert "signer_index" in _errors(_anmeldung(persons=[person(15)], signer_index=0))
    assert "signer_index" in _errors(_anmeldung(persons=[adult], signer_index=None))
    assert "signer_index" in _errors(_anmeldung(persons=[adult], signer_index=3))
    # 16th birthday exactly today: old enough to register alone
    assert _errors(_anmeldung(persons=[person(16)], signer_index=0)) == {}
    assert "signer_index" in _errors(_anmeldung(persons=[person(16, days=-1)], signer_index=0))


def test_abmeldung_only_without_new_domestic_dwelling() -> None:
    errors = _errors(_abmeldung(new_dwelling=_home()))
    assert "new_dwelling" in errors and "Ausland" in errors["new_dwelling"]
    assert _errors(_abmeldung(new_dwelling=None)) == {}
    # giving up a Nebenwohnung while moving within Germany is allowed
    main = Dwelling(
        street="Am See",
        house_number="2",
        postcode="91522",
        city="Ansbach",
        status=DwellingStatus.HAUPT,
    )
    ok = _abmeldung(
        previous_dwelling=_home(DwellingStatus.NEBEN), new_dwelling=None, other_dwellings=[main]
    )
    assert _errors(ok) == {}
    missing_main = _abmeldung(previous_dwelling=_home(DwellingStatus.NEBEN), new_dwelling=None)
    assert "other_dwellings" in _errors(missing_main)


def test_abmeldung_at_most_seven_days_early() -> None:
    assert _errors(_abmeldung(move_out_date=TODAY + timedelta(days=7))) == {}
    errors = _errors(_abmeldung(move_out_date=TODAY + timedelta(days=8)))
    assert "move_out_date" in errors and "7 Tage" in errors["move_out_date"]
    settings = RuleSettings(abmeldung_earliest_days=10)
    assert _errors(_abmeldung(move_out_date=TODAY + timedelta(days=8)), settings) == {}
    late = _abmeldung(move_out_date=TODAY - timedelta(days=20))
    assert _errors(late) == {} and "move_out_date" in _warnings(late)
    assert "move_out_date" in _errors(_abmeldung(move_out_date=None))
    assert "previous_dwelling" in _errors(_abmeldung(previous_dwelling=None))


def test_hauptwohnung_change() -> None:
    case = sample_case(CaseType.HAUPTWOHNUNG, 1, TODAY)
    assert isinstance(case, RegistrationCase)
    assert _errors(case) == {}
    assert case.new_dwelling is not None
    case.new_dwelling.status = DwellingStatus.NEBEN
    assert "new_dwelling.status" in _errors(case)
    case.new_dwelling.status = DwellingStatus.HAUPT
    case.other_dwellings = []
    assert "other_dwellings" in _errors(case)


def test_registration_date_in_future() -> None:
    case = _anmeldung(registration_date=TODAY + timedelta(days=1), move_in_date=TODAY)
    assert "registration_date" in _errors(case)


def test_ensure_valid_raises_first_error() -> None:
    case = _anmeldung(landlord_confirmation=None, persons=[person(40, family="X1")])
    with pytest.raises(RuleViolation) as info:
        ensure_valid(case, TODAY, RuleSettings())
    assert isinstance(info.value, ValidationError)
    assert info.value.field == "persons[0].family_name"
    assert len([f for f in info.value.findings if f.severity == "error"]) == 2
    assert info.value.message_en.startswith("family name:")
    warnings = ensure_valid(_anmeldung(move_in_date=TODAY - timedelta(days=20)), TODAY)
    assert [w.field for w in warnings] == ["move_in_date"]


def test_every_finding_has_both_languages() -> None:
    case = _anmeldung(landlord_confirmation=None, persons=[], new_dwelling=None)
    for finding in check(case, TODAY):
        assert finding.message and finding.message_en
        assert finding.message != finding.message_en
