"""Amtliche Meldebestätigung (§ 24 Abs. 2 BMG).

The law allows exactly eight items, per person, and nothing else:

1. Familienname
2. Vornamen, the gebräuchlicher Vorname marked (here: underlined)
3. Doktorgrad
4. Geburtsdatum
5. Einzugs- oder Auszugsdatum
6. Datum der An- oder Abmeldung
7. Anschrift
8. alleinige Wohnung, Haupt- oder Nebenwohnung

No other personal data appears: the letterhead and information block carry
only the municipality, the issue date and the (non-personal) case number.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from koffer.cases.dwelling import Dwelling
from koffer.cases.enums import CaseType
from koffer.cases.model import Case, RegistrationCase
from koffer.documents.labels import DWELLING_STATUS
from koffer.documents.layout import FormLayout, format_date
from koffer.documents.pdfa import DocumentInfo
from koffer.documents.persons import given_name_segments
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ValidationError

#: the eight § 24 Abs. 2 BMG labels, in order (Anmeldung wording)
FIELD_LABELS = (
    "Familienname",
    "Vornamen",
    "Doktorgrad",
    "Geburtsdatum",
    "Einzugsdatum",
    "Datum der Anmeldung",
    "Anschrift",
    "Wohnungsstatus",
)


def _registration(case: Case) -> RegistrationCase:
    if not isinstance(case, RegistrationCase):
        raise ValidationError(
            "Eine Meldebestätigung gibt es nur für An- und Abmeldungen und den Wechsel "
            "der Hauptwohnung, nicht für einen Ausweisantrag.",
            message_en="A Meldebestätigung exists only for registrations, "
            "not for an ID-card application.",
        )
    if not case.persons:
        raise ValidationError(
            "Der Vorgang enthält keine Person. Bitte erfassen Sie zuerst die Personen.",
            message_en="The case contains no person. Please enter the persons first.",
        )
    return case


def _dwelling_and_dates(case: RegistrationCase) -> tuple[Dwelling, str, date | None, str]:
    """(dwelling, label of item 5, date of item 5, label of item 6)."""
    if case.case_type is CaseType.ABMELDUNG:
        dwelling = case.previous_dwelling
        labels = ("Auszugsdatum", case.move_out_date, "Datum der Abmeldung")
    elif case.case_type is CaseType.HAUPTWOHNUNG:
        dwelling = case.new_dwelling
        labels = ("Einzugsdatum", case.move_in_date, "Datum der Anmeldung")
    else:
        dwelling = case.new_dwelling
        labels = ("Einzugsdatum", case.move_in_date, "Datum der Anmeldung")
    if dwelling is None:
        raise ValidationError(
            "Für die Meldebestätigung fehlt die Anschrift der Wohnung. "
            "Bitte ergänzen Sie die Wohnung im Vorgang.",
            message_en="The dwelling address needed for the Meldebestätigung is missing.",
        )
    return dwelling, labels[0], labels[1], labels[2]


def _subtitle(case: RegistrationCase) -> str:
    return {
        CaseType.ANMELDUNG: "Bestätigung der Anmeldung",
        CaseType.ABMELDUNG: "Bestätigung der Abmeldung",
        CaseType.HAUPTWOHNUNG: "Bestätigung der Anmeldung (Wechsel der Hauptwohnung)",
    }.get(case.case_type, "Bestätigung")


def meldebestaetigung(case: Case, municipality: MunicipalitySettings, issued: date) -> bytes:
    """The Meldebestätigung of ``case`` as PDF/A-2b bytes (one block per person)."""
    registration = _registration(case)
    dwelling, moved_label, moved_date, registered_label = _dwelling_and_dates(registration)
    layout = FormLayout(
        municipality,
        "Amtliche Meldebestätigung",
        [("Datum", format_date(issued)), ("Vorgangsnummer", registration.case_number)],
        footer_note="Meldebestätigung nach § 24 Abs. 2 Bundesmeldegesetz · gebührenfrei",
    )
    layout.paragraph(
        f"{_subtitle(registration)} nach § 24 Abs. 2 Bundesmeldegesetz (BMG). "
        "Der gebräuchliche Vorname ist unterstrichen.",
        size=10,
    )
    status = DWELLING_STATUS[dwelling.status]
    address = dwelling.one_line()
    count = len(registration.persons)
    for number, person in enumerate(registration.persons, start=1):
        layout.heading(f"Person {number} von {count}" if count > 1 else "Angaben zur Person")
        layout.field("Familienname", person.family_name)
        layout.field("Vornamen", given_name_segments(person))
        layout.field("Doktorgrad", person.doctoral_degree or "–")
        layout.field("Geburtsdatum", format_date(person.birth_date))
        layout.field(moved_label, format_date(moved_date))
        layout.field(registered_label, format_date(registration.registration_date))
        layout.field("Anschrift", address)
        layout.field("Wohnungsstatus", status)
    layout.space(4)
    layout.paragraph(
        "Diese Bestätigung wurde maschinell erstellt und ist ohne Unterschrift gültig. Sie "
        "enthält nur die Angaben, die das Bundesmeldegesetz für die Meldebestätigung vorsieht, "
        "und ist gebührenfrei.",
        size=8.5,
    )
    info = DocumentInfo(
        title=f"Meldebestätigung {registration.case_number}",
        subject="Amtliche Meldebestätigung nach § 24 Abs. 2 BMG",
        created=datetime.combine(issued, time(0, 0), tzinfo=UTC),
        author=municipality.name,
    )
    return layout.render(info)
