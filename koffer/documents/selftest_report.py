"""The device self-test report as a PDF.

``koffer selftest --report`` calls :func:`render` with the results of
:mod:`koffer.devices.selftest`. Any object with the attributes of
``SelfTestResult`` (kind, type, required, ok, detail, model, firmware,
serial, duration_ms) works. The report holds no personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from koffer.documents.layout import FormLayout
from koffer.documents.pdfa import DocumentInfo
from koffer.documents.settings import MunicipalitySettings

KIND_LABELS = {
    "fingerprint": "Fingerabdruckscanner",
    "signature_pad": "Unterschriften-Pad",
    "receipt_printer": "Bondrucker",
    "document_printer": "A4-Drucker",
    "camera": "Kamera",
    "payment_terminal": "Kartenterminal",
    "documents": "Dokumente und Schriften",
}


class SelfTestResultLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def ok(self) -> bool: ...
    @property
    def detail(self) -> str: ...


def _attr(result: object, name: str, default: str = "") -> str:
    value = getattr(result, name, default)
    return "" if value is None else str(value)


def _devices(count: int, adjective: str) -> str:
    """ "1 notwendiges Gerät", "2 notwendige Geräte"."""
    return f"1 {adjective}s Gerät" if count == 1 else f"{count} {adjective} Geräte"


def render(
    results: Sequence[SelfTestResultLike],
    *,
    generated_at: datetime | None = None,
    kit_name: str = "",
    municipality: MunicipalitySettings | None = None,
) -> bytes:
    """The self-test report as PDF/A-2b bytes."""
    moment = generated_at or datetime.now(UTC).replace(microsecond=0)
    letterhead = municipality or MunicipalitySettings(
        name="Bürgerservice-Koffer", authority="Technischer Selbsttest"
    )
    failed_required = [r for r in results if r.required and not r.ok]
    failed_optional = [r for r in results if not r.required and not r.ok]
    layout = FormLayout(
        letterhead,
        "Selbsttest der Geräte",
        [
            ("Erstellt", f"{moment:%d.%m.%Y %H:%M}"),
            ("Koffer", kit_name or "–"),
        ],
        footer_note="Selbsttest-Bericht · enthält keine personenbezogenen Daten",
    )
    if not results:
        summary = "Es wurden keine Geräte geprüft."
    elif failed_required:
        summary = (
            f"Nicht einsatzbereit: {_devices(len(failed_required), 'notwendige')} mit Fehler. "
            "Bitte beheben Sie die Fehler, bevor Sie Termine annehmen."
        )
    elif failed_optional:
        summary = (
            "Einsatzbereit. Alle notwendigen Geräte sind in Ordnung; "
            f"{_devices(len(failed_optional), 'optionale')} mit Fehler."
        )
    else:
        summary = "Einsatzbereit. Alle Geräte sind in Ordnung."
    layout.paragraph(summary, size=11, bold=True)
    layout.field("Geprüfte Geräte", str(len(results)))
    layout.field("In Ordnung", str(sum(1 for r in results if r.ok)))
    layout.field("Mit Fehler", str(sum(1 for r in results if not r.ok)))
    rows = []
    for result in results:
        identity = ", ".join(
            part
            for part in (
                _attr(result, "model"),
                f"FW {_attr(result, 'firmware')}" if _attr(result, "firmware") else "",
                f"SN {_attr(result, 'serial')}" if _attr(result, "serial") else "",
            )
            if part
        )
        duration = _attr(result, "duration_ms")
        rows.append(
            [
                KIND_LABELS.get(result.kind, result.kind),
                result.type or "–",
                "ja" if result.required else "nein",
                "in Ordnung" if result.ok else "FEHLER",
                identity or "–",
                f"{duration} ms" if duration else "–",
                result.detail or "–",
            ]
        )
    layout.space(2)
    layout.table(
        [
            "Gerät",
            "Treiber",
            "Pflicht",
            "Ergebnis",
            "Modell / Firmware / Seriennr.",
            "Dauer",
            "Hinweis",
        ],
        rows,
        [35, 16, 18, 18, 31, 13, 31],
    )
    info = DocumentInfo(
        title=f"Selbsttest {kit_name}".strip(),
        subject="Selbsttest der Geräte des Bürgerservice-Koffers",
        created=moment,
        author=letterhead.name,
    )
    return layout.render(info)
