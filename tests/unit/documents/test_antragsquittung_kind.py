"""The Antragsquittung and the back end's export name the document kind applied for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

import xmlschema

from koffer.backend.db import ReceivedCase
from koffer.backend.export import NS, SCHEMA_FILE, case_header, to_xml
from koffer.cases import CaseType, Delivery, PassportApplication, case_to_dict, sample_case
from koffer.crypto import sealing
from koffer.devices.interfaces import ReceiptText
from koffer.documents import antragsquittung, antragsquittung_receipt
from tests.unit.cases.factories import person
from tests.unit.documents import samples as s
from tests.unit.documents.pdftools import needs_poppler, pdftotext, words

TODAY = date(2025, 6, 12)


def _text(pdf: bytes) -> str:
    return " ".join(words(pdftotext(pdf)))


def _passport(**changes: object) -> PassportApplication:
    case = sample_case(CaseType.REISEPASS, 5, TODAY, persons=[person(30)])
    assert isinstance(case, PassportApplication)
    for key, value in changes.items():
        setattr(case, key, value)
    return case


@needs_poppler
def test_passport_receipt_names_the_reisepass_and_no_pin_letter() -> None:
    case = _passport(pages_48=True, delivery=Delivery.PICKUP, fee_amount=Decimal("98.00"))
    text = _text(antragsquittung(case, s.MUNICIPALITY, TODAY))
    assert "Antragsquittung Reisepass" in text
    assert "Dokument Reisepass (48 Seiten)" in text
    assert "Personalausweis" not in text
    assert "PIN-Brief" not in text
    # PassV § 27: 70.00 + 22.00 + 6.00 (authority photo)
    assert "98,00" in text
    assert case.case_number in text


@needs_poppler
def test_id_card_receipt_names_the_personalausweis() -> None:
    case = sample_case(CaseType.PERSONALAUSWEIS, 5, TODAY, persons=[person(30)])
    text = _text(antragsquittung(case, s.MUNICIPALITY, TODAY))
    assert "Antragsquittung Personalausweis" in text
    assert "Reisepass" not in text
    assert "PIN-Brief" in text


@needs_poppler
def test_waived_passport_fee_cites_passv_28_and_old_passport_with_visas() -> None:
    case = _passport(
        fee_waived=True,
        fee_waiver_reason="Bürgergeld",
        fee_amount=Decimal("0.00"),
        old_passport_invalidated=False,
        old_passport_valid_visas=True,
    )
    text = _text(antragsquittung(case, s.MUNICIPALITY, TODAY))
    assert "Ermäßigung oder Befreiung (§ 28 PassV)" in text
    assert "gültige Visa" in text and "nicht entwertet" in text
    assert "Bürgergeld" not in text  # the reason is for the file, not the receipt


def test_receipt_printer_names_the_kind_too() -> None:
    items = antragsquittung_receipt(_passport(), s.MUNICIPALITY, TODAY)
    lines = [i.text for i in items if isinstance(i, ReceiptText)]
    assert "Reisepass" in lines
    assert not any(line.startswith("PIN-Brief") for line in lines)


def _row(case_type: str) -> ReceivedCase:
    return ReceivedCase(
        device_id="koffer-1",
        envelope_id="3f9a2c1e-0000-4000-8000-000000000001",
        case_type=case_type,
        created="2025-06-12T09:00:00Z",
        received_at=datetime(2025, 6, 12, 10, 0, tzinfo=UTC),
        payload_hash="0" * 64,
        created_implausible=None,
    )


def test_export_header_names_the_document_kind() -> None:
    now = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)
    assert case_header(_row("reisepass"), now)["dokumentart"] == "Reisepass"
    assert case_header(_row("personalausweis"), now)["dokumentart"] == "Personalausweis"
    assert "dokumentart" not in case_header(_row("anmeldung"), now)


def test_export_xml_carries_kind_and_representative() -> None:
    case = sample_case(CaseType.REISEPASS, 5, TODAY, persons=[person(12)])
    now = datetime(2025, 6, 12, 12, 0, tzinfo=UTC)
    header = case_header(_row("reisepass"), now)
    payload = sealing.Payload(1, case_to_dict(case), ())
    xml = to_xml(header, payload, set())
    xmlschema.XMLSchema(str(SCHEMA_FILE)).validate(xml.decode("utf-8"))
    root = ET.fromstring(xml)
    k = f"{{{NS}}}"
    assert root.findtext(f"{k}nachrichtenkopf/{k}vorgangsart") == "reisepass"
    assert root.findtext(f"{k}nachrichtenkopf/{k}dokumentart") == "Reisepass"
    rep = root.find(f"{k}daten/{k}gesetzlicheVertreter/{k}eintrag")
    assert rep is not None and rep.findtext(f"{k}familienname") == case.person.family_name
    assert rep.findtext(f"{k}verhaeltnis") == "mutter"
