"""Widersprüche at the Anmeldung (§ 42 Abs. 3, § 50 Abs. 5 BMG) travel with the case:
in the payload, on the Anmeldung printout (pdftotext), in the back end's export
XML, and from the kiosk's draft into the case."""

from __future__ import annotations

import dataclasses
from datetime import date
from xml.etree import ElementTree as ET

from koffer.backend.export import NS, to_xml
from koffer.cases import RegistrationCase, TransferObjection, case_from_dict, case_to_dict
from koffer.casework.registration import MeldeDraft, draft_to_case
from koffer.crypto.sealing import Payload
from koffer.documents import anmeldung_ausdruck
from tests.unit.documents import samples as s
from tests.unit.documents.pdftools import needs_poppler, pdftotext, words

OBJECTING = [TransferObjection.RELIGION, TransferObjection.JUBILEES]


def _case_with_objections() -> RegistrationCase:
    case = s.anmeldung()
    first = dataclasses.replace(case.persons[0], transfer_objections=list(OBJECTING))
    return dataclasses.replace(case, persons=[first, *case.persons[1:]])


def test_objections_survive_the_payload_round_trip() -> None:
    case = _case_with_objections()
    data = case_to_dict(case)
    assert data["persons"][0]["transfer_objections"] == ["religionsgesellschaft", "jubilaeen"]
    assert case_from_dict(data).persons[0].transfer_objections == OBJECTING
    # a payload written before the field existed still reads (no objections)
    del data["persons"][0]["transfer_objections"]
    assert case_from_dict(data).persons[0].transfer_objections == []


@needs_poppler
def test_objections_are_printed_as_uebermittlungssperren() -> None:
    text = " ".join(words(pdftotext(anmeldung_ausdruck(_case_with_objections(), s.MUNICIPALITY))))
    assert "Übermittlungssperren" in text
    assert "Religionsgesellschaft (§ 42 Abs. 3 BMG)" in text
    assert "Alters- und Ehejubiläen (§ 50 Abs. 2 BMG)" in text
    assert "Parteien und Wählergruppen" not in text  # not objected to
    plain = " ".join(words(pdftotext(anmeldung_ausdruck(s.anmeldung(), s.MUNICIPALITY))))
    assert "Übermittlungssperren" not in plain


def test_objections_are_in_the_export_xml() -> None:
    payload = Payload(schema_version=1, case=case_to_dict(_case_with_objections()))
    root = ET.fromstring(to_xml({"vorgangsnummer": "2026-000001"}, payload, set()))
    person = root.find(f"{{{NS}}}daten/{{{NS}}}personen/{{{NS}}}eintrag")
    assert person is not None
    blocks = person.find(f"{{{NS}}}uebermittlungssperren")
    assert blocks is not None
    assert [e.text for e in blocks] == ["religionsgesellschaft", "jubilaeen"]


def test_kiosk_draft_choices_become_objections() -> None:
    draft = MeldeDraft(case_type="anmeldung")
    draft.persons = [
        {
            "family_name": "Yılmaz",
            "given_names": "Ayşe",
            "birth_date": "14.05.1986",
            "birth_place": "Köln",
            "sex": "w",
            "objection_parteien": "1",
            "objection_jubilaeen": "",
        }
    ]
    case, _problems = draft_to_case(draft, date(2026, 12, 2))
    assert case is not None
    assert case.persons[0].transfer_objections == [TransferObjection.PARTIES]
