"""Content, privacy and error behaviour of the generated documents."""

from __future__ import annotations

import base64
import re
import zlib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from koffer.cases.enums import Delivery
from koffer.config import Config
from koffer.devices.interfaces import ReceiptCut, ReceiptQr, ReceiptText
from koffer.documents import (
    MunicipalitySettings,
    anmeldung_ausdruck,
    antragsquittung,
    antragsquittung_receipt,
    meldebestaetigung,
)
from koffer.documents.labels import euro
from koffer.documents.selftest_report import render as selftest_report
from koffer.errors import ConfigError, ValidationError
from tests.unit.documents import samples as s
from tests.unit.documents.pdftools import needs_poppler, pdftotext, poppler, words


def _text(pdf: bytes) -> str:
    return " ".join(words(pdftotext(pdf)))


# ------------------------------------------------------------ Meldebestätigung


@needs_poppler
def test_meldebestaetigung_has_exactly_the_eight_fields_per_person() -> None:
    case = s.anmeldung()
    text = _text(meldebestaetigung(case, s.MUNICIPALITY, s.ISSUED))
    for label in (
        "Familienname",
        "Vornamen",
        "Doktorgrad",
        "Geburtsdatum",
        "Einzugsdatum",
        "Datum der Anmeldung",
        "Anschrift",
        "Wohnungsstatus",
    ):
        assert text.count(label) == len(case.persons), label
    assert "Dvořák-Þórsdóttir" in text
    assert "Nœl Ľudmila L̥̄ena" in text
    assert "29.02.1988" in text and "01.07.2016" in text
    assert "01.03.2026" in text and "16.03.2026" in text
    assert "Schmidt-Strauß-Straße 17a, 2. OG links, 99999 Beispielstadt" in text
    assert "Hauptwohnung" in text


@needs_poppler
def test_meldebestaetigung_contains_no_other_personal_data() -> None:
    text = _text(meldebestaetigung(s.anmeldung(), s.MUNICIPALITY, s.ISSUED))
    for forbidden in (
        "Brno",  # Geburtsort
        "weiblich",  # Geschlecht
        "verheiratet",  # Familienstand
        "römisch",  # Religion
        "L01X00T47",  # Ausweis
        "Ringstraße",  # bisherige Wohnung
        "Seeweg",  # weitere Wohnung
        "WGB-7K2M",  # Zuordnungsmerkmal
        "Geburtsname",
        "Staatsangeh",
        "CZ",
    ):
        assert forbidden not in text, forbidden


def _page_contents(pdf: bytes) -> list[bytes]:
    """Decoded page content streams (reportlab: ASCII85 + Flate)."""
    out = []
    for match in re.finditer(
        rb"/Filter \[ /ASCII85Decode /FlateDecode \].*?stream\r?\n(.*?)endstream", pdf, re.S
    ):
        body = match.group(1).strip()
        body = body[:-2] if body.endswith(b"~>") else body
        out.append(zlib.decompress(base64.a85decode(body)))
    return out


def _underlines(pdf: bytes) -> int:
    """Number of stroked straight lines in the page contents."""
    return sum(len(re.findall(rb" l\s+S", data)) for data in _page_contents(pdf))


def test_gebraeuchlicher_vorname_is_underlined() -> None:
    case = s.abmeldung()
    with_mark = _underlines(meldebestaetigung(case, s.MUNICIPALITY, s.ISSUED))
    case.persons[0].preferred_given_name = None
    without_mark = _underlines(meldebestaetigung(case, s.MUNICIPALITY, s.ISSUED))
    assert with_mark == without_mark + 1


@needs_poppler
def test_abmeldung_uses_auszug_wording_and_the_given_up_dwelling() -> None:
    text = _text(meldebestaetigung(s.abmeldung(), s.MUNICIPALITY, s.ISSUED))
    assert "Auszugsdatum 20.03.2026" in text
    assert "Datum der Abmeldung 16.03.2026" in text
    assert "Einzugsdatum" not in text
    assert "Schmidt-Strauß-Straße 17a" in text


def test_meldebestaetigung_refuses_unsuitable_cases() -> None:
    with pytest.raises(ValidationError, match="Ausweisantrag"):
        meldebestaetigung(s.application(), s.MUNICIPALITY, s.ISSUED)
    empty = s.anmeldung()
    empty.persons = []
    with pytest.raises(ValidationError, match="keine Person"):
        meldebestaetigung(empty, s.MUNICIPALITY, s.ISSUED)
    no_dwelling = s.anmeldung()
    no_dwelling.new_dwelling = None
    with pytest.raises(ValidationError, match="Anschrift") as info:
        meldebestaetigung(no_dwelling, s.MUNICIPALITY, s.ISSUED)
    assert info.value.message_en != info.value.message


def test_output_is_deterministic_and_dated_from_issued() -> None:
    first = meldebestaetigung(s.anmeldung(), s.MUNICIPALITY, s.ISSUED)
    second = meldebestaetigung(s.anmeldung(), s.MUNICIPALITY, s.ISSUED)
    assert first == second
    assert b"D:20260316000000+00'00'" in first
    assert b"2026-03-16T00:00:00+00:00" in first


# ------------------------------------------------------------ Antragsquittung


@needs_poppler
def test_antragsquittung_content() -> None:
    application = s.application()
    text = " ".join(
        words(pdftotext(antragsquittung(application, s.MUNICIPALITY, s.ISSUED), raw=True))
    )
    assert application.case_number in text
    assert "Personalausweis (ab 24 Jahre) 46,00 €" in text
    assert "Direktversand 15,00 €" in text
    assert "Lichtbild durch die Behörde 6,00 €" in text
    assert "Gesamt 67,00 €" in text
    assert "PostIdent" in text
    assert "ausgehändigt" in text
    assert "So geht es weiter" in text
    # no personal data at all
    for forbidden in ("Dvořák", "Nœl", "1988", "Schmidt-Strauß", "PB-000123", "172"):
        assert forbidden not in text


def _qr_modules(pdf: bytes) -> int:
    """Filled module squares drawn in the page contents."""
    return sum(len(re.findall(rb" re\b", data)) for data in _page_contents(pdf))


def test_qr_code_carries_only_the_case_number() -> None:
    from reportlab.graphics.barcode import qrencoder

    application = s.application()
    pdf = antragsquittung(application, s.MUNICIPALITY, s.ISSUED)
    # the drawn modules are exactly those of a QR code of the case number alone
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(application.case_number)
    code.make()
    count = code.getModuleCount()
    dark = sum(code.isDark(r, c) for r in range(count) for c in range(count))
    assert _qr_modules(pdf) == dark
    other = s.application(case_id="aa9a2c10-0000-4000-8000-0000000000ff")
    assert other.case_number != application.case_number


@needs_poppler
def test_pickup_without_pin_letter_and_waived_fee() -> None:
    application = s.application(
        delivery=Delivery.PICKUP,
        pin_letter_handed_out=False,
        fee_waived=True,
        fee_amount=Decimal("10.00"),
    )
    pdf = antragsquittung(application, s.MUNICIPALITY, s.ISSUED)
    text = " ".join(words(pdftotext(pdf, raw=True)))
    assert "Abholung bei der Behörde" in text
    assert "nicht ausgehändigt" in text
    assert "Ermäßigung oder Befreiung" in text
    assert "-42,00 €" in text
    assert "Gesamt 10,00 €" in text


def test_antragsquittung_refuses_provisional_direct_delivery() -> None:
    application = s.application(provisional=True)
    with pytest.raises(ValidationError, match="Direktversand"):
        antragsquittung(application, s.MUNICIPALITY, s.ISSUED)
    with pytest.raises(ValidationError):
        antragsquittung(s.anmeldung(), s.MUNICIPALITY, s.ISSUED)  # type: ignore[arg-type]


def test_receipt_variant() -> None:
    application = s.application()
    items = antragsquittung_receipt(application, s.MUNICIPALITY, columns=42)
    texts = [item.text for item in items if isinstance(item, ReceiptText)]
    assert all(len(t) <= 42 for t in texts)
    assert any(application.case_number in t for t in texts)
    assert any(t.startswith("Gesamt") and t.endswith("67,00 EUR") for t in texts)
    qrs = [item for item in items if isinstance(item, ReceiptQr)]
    assert [q.data for q in qrs] == [application.case_number]
    assert isinstance(items[-1], ReceiptCut)
    joined = " ".join(texts)
    assert "Dvořák" not in joined and "1988" not in joined
    assert "€" not in joined


def test_euro_format() -> None:
    assert euro(Decimal("1234.5")) == "1.234,50 €"
    assert euro(Decimal("-42"), symbol="EUR") == "-42,00 EUR"


# ------------------------------------------------------------ Ausdruck, report


@needs_poppler
def test_anmeldung_ausdruck_lists_all_captured_data_and_signature_lines() -> None:
    text = _text(anmeldung_ausdruck(s.anmeldung(), s.MUNICIPALITY))
    for expected in (
        "Zuzug aus einer anderen Gemeinde",
        "Ringstraße 5",
        "Seeweg 2",
        "Nebenwohnung",
        "WGB-7K2M-9QXP",
        "Brno",
        "weiblich",
        "verheiratet",
        "römisch-katholisch",
        "L01X00T47",
        "Geburtsname Dvořák",
        "Ǻsa C̨̆elina",
        "Unterschrift der meldepflichtigen Person",
        "Ort, Datum",
        "Gemeindeschlüssel 09999999",
    ):
        assert expected in text, expected


def test_anmeldung_ausdruck_refuses_id_card_application() -> None:
    with pytest.raises(ValidationError, match="Meldevorgänge"):
        anmeldung_ausdruck(s.application(), s.MUNICIPALITY)


@needs_poppler
def test_selftest_report_summarises_results() -> None:
    pdf = selftest_report(
        s.SELFTEST_RESULTS, generated_at=datetime(2026, 3, 16, 8, 0, tzinfo=UTC), kit_name="K 07"
    )
    text = _text(pdf)
    assert "Einsatzbereit" in text
    assert "1 optionales Gerät mit Fehler" in text
    assert "FEHLER" in text and "Papier ist leer" in text
    failing = [*s.SELFTEST_RESULTS[:1]]
    failing[0] = s.FakeResult("fingerprint", "r30x", True, False, "keine Antwort")
    text = _text(selftest_report(failing, kit_name="K 07"))
    assert "Nicht einsatzbereit: 1 notwendiges Gerät mit Fehler" in text
    assert "(s)" not in text and "(e)" not in text


# ------------------------------------------------------------ PDF/A, settings


@needs_poppler
def test_pdfa_structure() -> None:
    pdf = antragsquittung(s.application(), s.MUNICIPALITY, s.ISSUED)
    meta = poppler("pdfinfo", pdf, "-meta")
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        assert " yes yes yes " in line, line  # embedded, subset, ToUnicode
    assert "Helvetica" not in "".join(fonts)
    assert b"/OutputIntents" in pdf and b"/GTS_PDFA1" in pdf
    assert b"/DestOutputProfile" in pdf
    for forbidden in (b"/JavaScript", b"/Encrypt", b"/SMask", b"/CA ", b"/ca "):
        assert forbidden not in pdf
    info = poppler("pdfinfo", pdf)
    assert re.search(r"PDF version:\s+1\.7", info)
    assert "Title:           Antragsquittung K-" in info


def test_municipality_from_config(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (60, 40), (0, 80, 160, 128)).save(logo)
    config = Config(
        raw={
            "municipality": {
                "name": "Markt Beispielheim",
                "authority": "Einwohnermeldeamt",
                "address": "Marktplatz 3; 99998 Beispielheim",
                "logo": str(logo),
            }
        }
    )
    settings = MunicipalitySettings.from_config(config)
    assert settings.name == "Markt Beispielheim"
    assert settings.address == ("Marktplatz 3", "99998 Beispielheim")
    image = settings.logo_image()
    assert image is not None and image.mode == "RGB"
    pdf = meldebestaetigung(s.anmeldung(), settings, s.ISSUED)
    assert b"/Subtype /Image" in pdf
    assert b"/SMask" not in pdf  # flattened: no transparency


def test_municipality_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unbekannter Schlüssel"):
        MunicipalitySettings.from_config(Config(raw={"municipality": {"nmae": "x"}}))
    with pytest.raises(ConfigError, match="nicht gefunden"):
        MunicipalitySettings.from_config(
            Config(raw={"municipality": {"logo": str(tmp_path / "missing.png")}})
        )
    broken = MunicipalitySettings(logo=b"not an image")
    with pytest.raises(ConfigError, match="Logo"):
        broken.logo_image()
    assert MunicipalitySettings.from_config(Config()).name.startswith("Gemeinde")
