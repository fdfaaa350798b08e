"""Eheschließung / Lebenspartnerschaft and the links within one Meldeschein
(§ 3 Abs. 1 Nr. 14–16 BMG): the rules, the payload round trip, the export XML
(validated against the XSD) and the Anmeldung printout (pdftotext)."""

from __future__ import annotations

import dataclasses
from datetime import date
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from koffer.backend.export import NS, SCHEMA_FILE, to_xml
from koffer.cases import RegistrationCase, case_from_dict, case_to_dict, check
from koffer.cases.household import household_rows
from koffer.cases.person import Person
from koffer.crypto.sealing import Payload
from koffer.documents import anmeldung_ausdruck
from tests.unit.documents import samples as s
from tests.unit.documents.pdftools import needs_poppler, pdftotext, words

TODAY = s.ISSUED


def _spouse() -> Person:
    return dataclasses.replace(
        s.person_noel(),
        family_name="Berg",
        given_names=["Jonas"],
        preferred_given_name=None,
        birth_date=date(1985, 4, 2),
    )


def _family(**first: object) -> RegistrationCase:
    """Nœl (0) married to Jonas (2) in Köln, the child (1) of both."""
    case = s.anmeldung()
    noel, child = case.persons
    values: dict[str, object] = {
        "marriage_date": date(2014, 8, 9),
        "marriage_place": "Köln",
        "spouse_index": 2,
    }
    values.update(first)
    noel = dataclasses.replace(noel, **values)  # type: ignore[arg-type]
    child = dataclasses.replace(child, parent_indices=[0, 2])
    jonas = dataclasses.replace(
        _spouse(), marriage_date=date(2014, 8, 9), marriage_place="Köln", spouse_index=0
    )
    return dataclasses.replace(case, persons=[noel, child, jonas])


def _household_errors(case: RegistrationCase) -> list[tuple[str, str]]:
    return [
        (f.field, f.message)
        for f in check(case, TODAY)
        if f.severity == "error"
        and f.field.split(".")[-1]
        in {"marriage_date", "marriage_place", "spouse_index", "parent_indices"}
    ]


def test_a_complete_household_passes_the_rules() -> None:
    assert _household_errors(_family()) == []


def test_without_any_household_facts_nothing_is_asked() -> None:
    assert _household_errors(s.anmeldung()) == []


def test_a_marriage_date_in_the_future_is_refused() -> None:
    errors = _household_errors(_family(marriage_date=date(2026, 3, 17)))
    assert errors == [("persons[0].marriage_date", errors[0][1])]
    assert "Zukunft" in errors[0][1]


def test_a_marriage_date_before_birth_is_refused() -> None:
    errors = _household_errors(_family(marriage_date=date(1980, 1, 1)))
    assert [field for field, _ in errors] == ["persons[0].marriage_date"]
    assert "vor dem Geburtsdatum" in errors[0][1]


def test_the_marriage_place_is_din_91379_checked() -> None:
    errors = _household_errors(_family(marriage_place="Köln\u0007"))
    assert [field for field, _ in errors] == ["persons[0].marriage_place"]
    assert errors[0][1].startswith("Ort der Eheschließung:")


@pytest.mark.parametrize("index", [5, -1])
def test_a_spouse_link_must_point_into_the_case(index: int) -> None:
    errors = _household_errors(_family(spouse_index=index))
    fields = [field for field, _ in errors]
    assert "persons[0].spouse_index" in fields
    assert any("Person dieses Meldescheins" in m for _, m in errors)


def test_a_spouse_link_is_mutual() -> None:
    errors = _household_errors(_family(spouse_index=1))  # Nœl names the child
    assert ("persons[0].spouse_index") in [field for field, _ in errors]
    assert any("gegenseitig" in m for _, m in errors)
    # Jonas still names Nœl, who no longer names him
    assert "persons[2].spouse_index" in [field for field, _ in errors]


def test_nobody_is_their_own_spouse() -> None:
    errors = _household_errors(_family(spouse_index=0))
    assert any("mit sich selbst" in m for _, m in errors)


def test_a_child_is_not_its_own_parent() -> None:
    case = _family()
    child = dataclasses.replace(case.persons[1], parent_indices=[1])
    persons = [case.persons[0], child, case.persons[2]]
    errors = _household_errors(dataclasses.replace(case, persons=persons))
    assert errors == [
        ("persons[1].parent_indices", "Ein Kind kann nicht sein eigener Elternteil sein.")
    ]


def test_a_parent_outside_the_case_or_twice_is_refused() -> None:
    case = _family()
    child = dataclasses.replace(case.persons[1], parent_indices=[0, 0, 7])
    persons = [case.persons[0], child, case.persons[2]]
    messages = [m for _, m in _household_errors(dataclasses.replace(case, persons=persons))]
    assert "Ein Elternteil ist doppelt angegeben." in messages
    assert "Der Elternteil muss eine Person dieses Meldescheins sein." in messages


def test_household_facts_survive_the_payload_round_trip() -> None:
    case = _family()
    data = case_to_dict(case)
    assert data["persons"][0]["marriage_date"] == "2014-08-09"
    assert data["persons"][0]["marriage_place"] == "Köln"
    assert data["persons"][0]["spouse_index"] == 2
    assert data["persons"][1]["parent_indices"] == [0, 2]
    again = case_from_dict(data)
    assert again.persons == case.persons


def test_a_payload_from_before_the_fields_still_reads() -> None:
    data = case_to_dict(s.anmeldung())
    for person in data["persons"]:
        for key in ("marriage_date", "marriage_place", "spouse_index", "parent_indices"):
            del person[key]
    case = case_from_dict(data)
    assert isinstance(case, RegistrationCase)
    first = case.persons[0]
    assert (first.marriage_date, first.marriage_place, first.spouse_index) == (None, None, None)
    assert first.parent_indices == []


def _header() -> dict[str, object]:
    return {
        "nachrichtenUUID": "3f9a2c10-0000-4000-8000-000000000001",
        "nachrichtentyp": "1704",
        "vorgangsart": "anmeldung",
        "erstellungszeitpunkt": "2026-03-16T09:00:00+00:00",
        "eingangszeitpunkt": "2026-03-16T10:00:00+00:00",
        "absenderGeraet": "koffer-1",
        "inhaltPruefsumme": "0" * 64,
        "rueckmeldefrist": "2026-03-19",
        "fristUeberschritten": False,
    }


def test_household_facts_are_in_the_export_xml_and_it_validates() -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA_FILE))
    for case in (_family(), s.anmeldung()):
        body = to_xml(_header(), Payload(schema_version=1, case=case_to_dict(case)), set())
        schema.validate(body.decode("utf-8"))
    body = to_xml(_header(), Payload(schema_version=1, case=case_to_dict(_family())), set())
    people = ET.fromstring(body).findall(f"{{{NS}}}daten/{{{NS}}}personen/{{{NS}}}eintrag")
    noel, child, _jonas = people

    def text(el: ET.Element, name: str) -> str | None:
        found = el.find(f"{{{NS}}}{name}")
        assert found is not None, name
        return found.text

    assert text(noel, "eheschliessungDatum") == "2014-08-09"
    assert text(noel, "eheschliessungOrt") == "Köln"
    assert text(noel, "ehegatteLebenspartner") == "2"
    parents = child.find(f"{{{NS}}}eltern")
    assert parents is not None
    assert [e.text for e in parents] == ["0", "2"]


def test_household_rows_name_the_linked_persons() -> None:
    case = _family()
    assert household_rows(case.persons, 0) == [
        ("Eheschließung / Lebenspartnerschaft am", "09.08.2014"),
        ("Eheschließung / Lebenspartnerschaft in", "Köln"),
        ("Verheiratet / verpartnert mit", "Jonas Berg"),
    ]
    assert household_rows(case.persons, 1, "en") == [
        ("Child of", "Nœl Ľudmila L̥̄ena Dvořák-Þórsdóttir and Jonas Berg")
    ]
    assert household_rows(s.anmeldung().persons, 0) == []


@needs_poppler
def test_household_facts_are_printed() -> None:
    text = " ".join(words(pdftotext(anmeldung_ausdruck(_family(), s.MUNICIPALITY))))
    assert "Eheschließung / Lebenspartnerschaft am" in text
    assert "09.08.2014" in text
    assert "Verheiratet / verpartnert mit" in text
    assert "Jonas Berg" in text
    assert "Kind von" in text
    plain = " ".join(words(pdftotext(anmeldung_ausdruck(s.anmeldung(), s.MUNICIPALITY))))
    assert "Kind von" not in plain and "Eheschließung" not in plain
