"""German wording for enum values and amounts on the documents."""

from __future__ import annotations

from decimal import Decimal

from koffer.cases.countries import country_name
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Delivery,
    DwellingStatus,
    IdDocumentKind,
    MaritalStatus,
    Sex,
)

DWELLING_STATUS = {
    DwellingStatus.ALLEINIGE: "alleinige Wohnung",
    DwellingStatus.HAUPT: "Hauptwohnung",
    DwellingStatus.NEBEN: "Nebenwohnung",
}

CASE_TYPE = {
    CaseType.ANMELDUNG: "Anmeldung",
    CaseType.ABMELDUNG: "Abmeldung",
    CaseType.HAUPTWOHNUNG: "Wechsel der Hauptwohnung",
    CaseType.PERSONALAUSWEIS: "Antrag auf einen Personalausweis",
    CaseType.REISEPASS: "Antrag auf einen Reisepass",
}

ANMELDUNG_KIND = {
    AnmeldungKind.ZUZUG: "Zuzug aus einer anderen Gemeinde",
    AnmeldungKind.ZUZUG_AUSLAND: "Zuzug aus dem Ausland",
    AnmeldungKind.UMZUG_INNERHALB: "Umzug innerhalb der Gemeinde",
}

SEX = {
    Sex.MALE: "männlich",
    Sex.FEMALE: "weiblich",
    Sex.DIVERSE: "divers",
    Sex.UNSPECIFIED: "ohne Angabe",
}

MARITAL_STATUS = {
    MaritalStatus.SINGLE: "ledig",
    MaritalStatus.MARRIED: "verheiratet",
    MaritalStatus.WIDOWED: "verwitwet",
    MaritalStatus.DIVORCED: "geschieden",
    MaritalStatus.MARRIAGE_ANNULLED: "Ehe aufgehoben",
    MaritalStatus.PARTNERSHIP: "in eingetragener Lebenspartnerschaft",
    MaritalStatus.PARTNER_DECEASED: "Lebenspartnerschaft durch Tod aufgelöst",
    MaritalStatus.PARTNERSHIP_ANNULLED: "Lebenspartnerschaft aufgehoben",
    MaritalStatus.PARTNERSHIP_DECLARED_DEAD: "Lebenspartnerschaft durch Todeserklärung aufgelöst",
    MaritalStatus.UNKNOWN: "nicht bekannt",
}

ID_DOCUMENT = {
    IdDocumentKind.PA: "Personalausweis",
    IdDocumentKind.VPA: "vorläufiger Personalausweis",
    IdDocumentKind.RP: "Reisepass",
    IdDocumentKind.VRP: "vorläufiger Reisepass",
    IdDocumentKind.KRP: "Kinderreisepass",
    IdDocumentKind.PEP: "Passersatzpapier",
    IdDocumentKind.OTHER: "sonstiges Dokument",
}

ID_DOCUMENT_EN = {
    IdDocumentKind.PA: "ID card",
    IdDocumentKind.VPA: "provisional ID card",
    IdDocumentKind.RP: "passport",
    IdDocumentKind.VRP: "provisional passport",
    IdDocumentKind.KRP: "children's passport",
    IdDocumentKind.PEP: "substitute passport",
    IdDocumentKind.OTHER: "other document",
}

DELIVERY = {
    Delivery.PICKUP: "Abholung bei der Behörde",
    Delivery.DIRECT_DELIVERY: "Direktversand an die Hauptwohnung (Deutsche Post, PostIdent)",
}

RELIGION = {
    "rk": "römisch-katholisch",
    "ev": "evangelisch",
    "lt": "evangelisch-lutherisch",
    "rf": "evangelisch-reformiert",
    "ak": "altkatholisch",
    "jd": "jüdisch",
    "vd": "keine öffentlich-rechtliche Religionsgesellschaft",
}


def country(code: str) -> str:
    return country_name(code)


def yes_no(value: bool) -> str:
    return "ja" if value else "nein"


def euro(amount: Decimal, *, symbol: str = "€") -> str:
    """German amount format: 1.234,50 €."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{text} {symbol}"
