"""The printout ("Ausdruck") of a registration for a handwritten signature.

With an automated register the citizen confirms the captured data by signing
a printout (§ 23 BMG). It shows everything captured for the case: the case
data, all dwellings, the Wohnungsgeberbestätigung and every person, followed
by the declaration and the signature lines.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from reportlab.lib.units import mm

from koffer.cases.dwelling import Dwelling
from koffer.cases.household import household_rows
from koffer.cases.model import Case, RegistrationCase
from koffer.cases.person import Person
from koffer.documents.labels import (
    ANMELDUNG_KIND,
    CASE_TYPE,
    DWELLING_STATUS,
    ID_DOCUMENT,
    MARITAL_STATUS,
    RELIGION,
    SEX,
    country,
    yes_no,
)
from koffer.documents.layout import FormLayout, format_date
from koffer.documents.pdfa import DocumentInfo
from koffer.documents.persons import full_name, given_name_segments
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ValidationError


def _dwelling(layout: FormLayout, title: str, dwelling: Dwelling) -> None:
    layout.heading(title)
    number = f"{dwelling.house_number}{dwelling.addition or ''}".strip()
    layout.field("Straße, Hausnummer", f"{dwelling.street} {number}".strip())
    if dwelling.floor_or_flat:
        layout.field("Stockwerk / Wohnung", dwelling.floor_or_flat)
    layout.field("Postleitzahl, Ort", f"{dwelling.postcode} {dwelling.city}".strip())
    if dwelling.district:
        layout.field("Gemeindeteil", dwelling.district)
    if dwelling.municipality_key:
        layout.field("Gemeindeschlüssel", dwelling.municipality_key)
    layout.field("Staat", country(dwelling.country))
    layout.field("Wohnungsstatus", DWELLING_STATUS[dwelling.status])


def _person(layout: FormLayout, title: str, persons: list[Person], index: int) -> None:
    person = persons[index]
    layout.heading(title)
    layout.field("Familienname", person.family_name)
    if person.birth_name:
        layout.field("Geburtsname", person.birth_name)
    if person.former_names:
        layout.field("Frühere Namen", ", ".join(person.former_names))
    layout.field("Vornamen (Rufname unterstrichen)", given_name_segments(person))
    layout.field("Doktorgrad", person.doctoral_degree or "–")
    if person.religious_or_artist_name:
        layout.field("Ordens- / Künstlername", person.religious_or_artist_name)
    layout.field("Geschlecht", SEX[person.sex])
    layout.field("Geburtsdatum", format_date(person.birth_date))
    place = person.birth_place
    if person.birth_country != "DE":
        place = f"{place} ({country(person.birth_country)})"
    layout.field("Geburtsort", place)
    layout.field(
        "Staatsangehörigkeit(en)", ", ".join(country(c) for c in person.nationalities) or "–"
    )
    layout.field("Familienstand", MARITAL_STATUS[person.marital_status])
    religion = "–" if person.religion is None else RELIGION.get(person.religion, person.religion)
    layout.field("Religionsgesellschaft", religion)
    layout.field("Auskunftssperre beantragt", yes_no(person.information_block_requested))
    if person.transfer_objections:
        # each objection is an Übermittlungssperre (§ 42 Abs. 3, § 50 Abs. 5 BMG)
        layout.field(
            "Übermittlungssperren",
            "; ".join(f"Widerspruch: {o.label}" for o in person.transfer_objections),
        )
    # Eheschließung / Lebenspartnerschaft and links (§ 3 Abs. 1 Nr. 14–16 BMG)
    for label, value in household_rows(persons, index):
        layout.field(label, value)
    for document in person.id_documents:
        layout.field(
            ID_DOCUMENT[document.kind],
            f"Nr. {document.serial}, {document.authority}, ausgestellt "
            f"{format_date(document.issued)}, gültig bis {format_date(document.expires)}",
        )


def anmeldung_ausdruck(
    case: Case, municipality: MunicipalitySettings, issued: date | None = None
) -> bytes:
    """The signature printout of a registration case as PDF/A-2b bytes."""
    if not isinstance(case, RegistrationCase):
        raise ValidationError(
            "Den Ausdruck zur Unterschrift gibt es nur für Meldevorgänge.",
            message_en="The signature printout exists only for registration cases.",
        )
    if not case.persons:
        raise ValidationError(
            "Der Vorgang enthält keine Person. Bitte erfassen Sie zuerst die Personen.",
            message_en="The case contains no person. Please enter the persons first.",
        )
    day = issued or case.registration_date
    kind = CASE_TYPE[case.case_type]
    layout = FormLayout(
        municipality,
        f"{kind} – Ausdruck zur Unterschrift",
        [("Datum", format_date(day)), ("Vorgangsnummer", case.case_number)],
        footer_note=f"Meldeschein (Ausdruck nach § 23 BMG) · {case.case_number}",
    )
    layout.heading("Vorgang")
    layout.field("Art", kind)
    if case.anmeldung_kind is not None:
        layout.field("Art der Anmeldung", ANMELDUNG_KIND[case.anmeldung_kind])
    layout.field("Datum der Meldung", format_date(case.registration_date))
    if case.move_in_date is not None:
        layout.field("Einzugsdatum", format_date(case.move_in_date))
    if case.move_out_date is not None:
        layout.field("Auszugsdatum", format_date(case.move_out_date))
    if case.new_dwelling is not None:
        _dwelling(layout, "Neue Wohnung", case.new_dwelling)
    if case.previous_dwelling is not None:
        _dwelling(layout, "Bisherige Wohnung", case.previous_dwelling)
    if case.last_domestic_dwelling is not None:
        _dwelling(layout, "Letzte Anschrift im Inland", case.last_domestic_dwelling)
    for index, other in enumerate(case.other_dwellings, start=1):
        _dwelling(layout, f"Weitere Wohnung {index}", other)
    confirmation = case.landlord_confirmation
    if confirmation is not None:
        layout.heading("Wohnungsgeberbestätigung (§ 19 BMG)")
        if confirmation.assignment_code:
            layout.field("Zuordnungsmerkmal", confirmation.assignment_code)
        if confirmation.landlord_name:
            layout.field("Wohnungsgeber", confirmation.landlord_name)
        if confirmation.landlord_address:
            layout.field("Anschrift des Wohnungsgebers", confirmation.landlord_address)
        if confirmation.owner_name:
            layout.field("Eigentümer", confirmation.owner_name)
        if confirmation.move_in_date is not None:
            layout.field("Einzugsdatum", format_date(confirmation.move_in_date))
        if confirmation.dwelling_address:
            layout.field("Anschrift der Wohnung", confirmation.dwelling_address)
        if confirmation.person_names:
            layout.field("Personen", ", ".join(confirmation.person_names))
    count = len(case.persons)
    for index in range(count):
        _person(layout, f"Person {index + 1} von {count}", case.persons, index)
    if case.remarks:
        layout.heading("Bemerkungen")
        layout.paragraph(case.remarks)
    layout.keep(62 * mm)
    layout.heading("Erklärung")
    layout.paragraph(
        "Ich bestätige, dass die Angaben in diesem Ausdruck richtig und vollständig sind. "
        "Falsche oder unvollständige Angaben können als Ordnungswidrigkeit geahndet werden "
        "(§ 54 Bundesmeldegesetz).",
        size=9.5,
    )
    signer = case.signer
    signer_label = "Unterschrift der meldepflichtigen Person"
    if signer is not None:
        signer_label += f" ({full_name(signer)})"
    layout.signature_lines(["Ort, Datum", signer_label])
    layout.signature_lines(["Aufgenommen von (Behörde)", "Dienstsiegel"])
    info = DocumentInfo(
        title=f"Meldeschein {case.case_number}",
        subject=f"{kind} – Ausdruck zur Unterschrift",
        created=datetime.combine(day, time(0, 0), tzinfo=UTC),
        author=municipality.name,
    )
    return layout.render(info)


__all__ = ["anmeldung_ausdruck"]
