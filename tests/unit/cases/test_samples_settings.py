"""Sample generators, the people-file parser and the [rules] settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from koffer.cases import (
    CaseType,
    IdCardApplication,
    RegistrationCase,
    RuleSettings,
    Sex,
    case_to_dict,
    ensure_valid,
    is_valid,
    person_from_json,
    sample_case,
    sample_persons,
)
from koffer.config import Config, load_config
from koffer.errors import ConfigError, ValidationError
from tests.unit.cases.factories import TODAY, person


def test_sample_persons_are_deterministic_and_valid() -> None:
    first = sample_persons(40, seed=3)
    assert first == sample_persons(40, seed=3)
    assert first != sample_persons(40, seed=4)
    for p in first:
        assert is_valid(p.family_name, "A")
        assert all(is_valid(g, "A") for g in p.given_names)
        assert is_valid(p.birth_place, "B")
    names = {p.family_name for p in sample_persons(200, seed=1)}
    assert any(not n.isascii() for n in names)
    assert any("\u035f" in n or "\u0304" in n for n in names)  # combining sequences


def test_sample_case_is_deterministic() -> None:
    for case_type in CaseType:
        a = sample_case(case_type, 9, TODAY)
        b = sample_case(case_type, 9, TODAY)
        assert case_to_dict(a) == case_to_dict(b)
        assert a.case_type is case_type


def test_sample_case_with_given_persons() -> None:
    people = [person(44, family="Øster"), person(8, family="Øster", given="Mia")]
    reg = sample_case(CaseType.ANMELDUNG, 1, TODAY, persons=people)
    assert isinstance(reg, RegistrationCase)
    assert reg.persons == people and reg.signer_index == 0
    ensure_valid(reg, TODAY)
    app = sample_case(CaseType.PERSONALAUSWEIS, 1, TODAY, persons=people[1:])
    assert isinstance(app, IdCardApplication)
    ensure_valid(app, TODAY)
    with pytest.raises(ValidationError):
        sample_case(CaseType.ANMELDUNG, 1, TODAY, persons=[person(15), person(3)])


def test_person_from_json() -> None:
    p = person_from_json(
        {
            "family_name": "Mu\u0308ller",
            "given_names": ["Nœl", "Karl"],
            "birth_date": "1990-02-28",
            "birth_place": "Fürth",
            "sex": "m",
        }
    )
    assert p.family_name == "Müller"
    assert p.preferred_name == "Nœl"
    assert p.birth_date == date(1990, 2, 28)
    assert p.sex is Sex.MALE
    assert p.nationalities == ["DE"]


@pytest.mark.parametrize(
    "obj",
    [
        [],
        {
            "family_name": "",
            "given_names": [],
            "birth_date": "1990-01-01",
            "birth_place": "X",
            "sex": "m",
        },
        {
            "family_name": "A",
            "given_names": "Anna",
            "birth_date": "1990-01-01",
            "birth_place": "X",
            "sex": "m",
        },
        {
            "family_name": "A",
            "given_names": [],
            "birth_date": "01.01.1990",
            "birth_place": "X",
            "sex": "m",
        },
        {
            "family_name": "A",
            "given_names": [],
            "birth_date": "1990-02-30",
            "birth_place": "X",
            "sex": "m",
        },
        {
            "family_name": "A",
            "given_names": [],
            "birth_date": "1990-01-01",
            "birth_place": "",
            "sex": "m",
        },
        {
            "family_name": "A",
            "given_names": [],
            "birth_date": "1990-01-01",
            "birth_place": "X",
            "sex": "f",
        },
        {
            "family_name": "A",
            "given_names": [],
            "birth_date": "1990-01-01",
            "birth_place": "X",
            "sex": "m",
            "x": 1,
        },
    ],
)
def test_person_from_json_refuses_bad_lines(obj: object) -> None:
    with pytest.raises(ValidationError) as info:
        person_from_json(obj)
    assert "Personendatei" in info.value.message


def test_rule_settings_defaults_and_config(tmp_path: Path) -> None:
    assert RuleSettings.from_config(Config()) == RuleSettings()
    path = tmp_path / "koffer.toml"
    path.write_text(
        "[rules]\nsignature_min_age = 12\nlate_registration_days = 21\n", encoding="utf-8"
    )
    settings = RuleSettings.from_config(load_config(path))
    assert settings.signature_min_age == 12
    assert settings.late_registration_days == 21
    assert settings.fingerprint_min_age == 6


@pytest.mark.parametrize(
    "table",
    [
        {"unknown_key": 1},
        {"signature_min_age": "zehn"},
        {"adult_age": 3},
        {"late_registration_days": True},
    ],
)
def test_rule_settings_refuse_bad_config(table: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as info:
        RuleSettings.from_config(Config(raw={"rules": table}))
    assert "[rules]" in info.value.message
