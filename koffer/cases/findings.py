"""Findings of the rule checks: :class:`Finding`, :class:`RuleViolation`, the collector."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from koffer.cases.din91379 import InvalidCharacters, validate
from koffer.cases.settings import RuleSettings
from koffer.errors import ValidationError

Severity = Literal["error", "warning"]

_ATTACHMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

#: German / English labels of field names (last path component, index removed)
_LABELS: dict[str, tuple[str, str]] = {
    "family_name": ("Familienname", "family name"),
    "given_names": ("Vorname", "given name"),
    "birth_name": ("Geburtsname", "birth name"),
    "former_names": ("Früherer Name", "former name"),
    "doctoral_degree": ("Doktorgrad", "doctoral degree"),
    "religious_or_artist_name": ("Ordens-/Künstlername", "religious or artist name"),
    "birth_place": ("Geburtsort", "place of birth"),
    "marriage_place": ("Ort der Eheschließung", "place of marriage"),
    "street": ("Straße", "street"),
    "house_number": ("Hausnummer", "house number"),
    "addition": ("Hausnummernzusatz", "house number addition"),
    "floor_or_flat": ("Stockwerk/Wohnung", "floor/flat"),
    "postcode": ("Postleitzahl", "postcode"),
    "city": ("Ort", "city"),
    "district": ("Gemeindeteil", "district"),
    "authority": ("Ausstellende Behörde", "issuing authority"),
    "landlord_name": ("Name des Wohnungsgebers", "landlord's name"),
    "landlord_address": ("Anschrift des Wohnungsgebers", "landlord's address"),
    "owner_name": ("Name des Eigentümers", "owner's name"),
    "dwelling_address": ("Anschrift der Wohnung", "address of the dwelling"),
    "person_names": ("Name der meldepflichtigen Person", "name of the person"),
    "assignment_code": ("Zuordnungsmerkmal", "assignment code"),
    "remarks": ("Bemerkungen", "remarks"),
    "eye_color": ("Augenfarbe", "eye colour"),
    "device_certificates": ("Gerätezertifikat", "device certificate"),
    "pin_letter_number": ("Nummer des PIN-Briefs", "PIN letter number"),
    "cloud_code": ("Lichtbild-Code", "photo code"),
}


@dataclass(frozen=True)
class Finding:
    """One result of :func:`check`.

    :ivar severity: "error" (blocks the case) or "warning" (informs the clerk)
    :ivar field: dotted path of the field, e.g. ``persons[1].family_name``
    :ivar message: German text for the clerk
    :ivar message_en: English text
    """

    severity: Severity
    field: str
    message: str
    message_en: str


class RuleViolation(ValidationError):
    """The case breaks a rule; ``field`` names the first offending field."""

    def __init__(self, first: Finding, findings: list[Finding]) -> None:
        super().__init__(first.message, message_en=first.message_en)
        self.field = first.field
        self.findings = findings


@dataclass
class Collector:
    today: date
    settings: RuleSettings
    findings: list[Finding] = field(default_factory=list)

    def error(self, path: str, de: str, en: str) -> None:
        self.findings.append(Finding("error", path, de, en))

    def warning(self, path: str, de: str, en: str) -> None:
        self.findings.append(Finding("warning", path, de, en))

    def text(self, path: str, value: str | None, datatype: str, *, required: bool = False) -> None:
        """DIN 91379 check of one text field (and presence if ``required``)."""
        if value is None or not value.strip():
            if required:
                de, en = _label(path)
                self.error(
                    path,
                    f"{de}: Bitte geben Sie einen Wert ein.",
                    f"{en}: please enter a value.",
                )
            return
        try:
            validate(value, datatype)
        except InvalidCharacters as exc:
            de, en = _label(path)
            self.error(path, f"{de}: {exc.message}", f"{en}: {exc.message_en}")

    def attachment(self, path: str, name: str) -> None:
        if not _ATTACHMENT.fullmatch(name):
            self.error(
                path,
                "Der Name der Anlage ist ungültig. Bitte erfassen Sie die Anlage erneut.",
                "The attachment name is invalid. Please capture the attachment again.",
            )


def _label(path: str) -> tuple[str, str]:
    last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    return _LABELS.get(last, (last, last))
