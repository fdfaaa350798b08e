"""Rules for one person and one dwelling (BMG, DIN 91379), shared by every case type."""

from __future__ import annotations

import re
from datetime import date

from koffer.cases.dates import age_on
from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    DwellingStatus,
)
from koffer.cases.findings import Collector
from koffer.cases.household import check_marriage
from koffer.cases.model import RegistrationCase
from koffer.cases.person import Person

# ------------------------------------------------------------------ persons

_COUNTRY = re.compile(r"[A-Z]{2}")
_NATIONALITY = re.compile(r"[A-Z]{2,3}")
_RELIGION = re.compile(r"[a-z]{2,3}")
_POSTCODE_DE = re.compile(r"[0-9]{5}")
_MUNICIPALITY_KEY = re.compile(r"[0-9]{8}")
_SERIAL = re.compile(r"[0-9A-Z]{4,20}")


def check_person(c: Collector, p: str, person: Person, on: date) -> None:
    c.text(f"{p}.family_name", person.family_name, "A", required=True)
    if not person.given_names:
        c.warning(
            f"{p}.given_names",
            "Es ist kein Vorname angegeben. Bitte prüfen Sie das Ausweisdokument.",
            "No given name is entered. Please check the ID document.",
        )
    for i, name in enumerate(person.given_names):
        c.text(f"{p}.given_names[{i}]", name, "A", required=True)
    index = person.preferred_given_name
    if index is not None and not 0 <= index < len(person.given_names):
        c.error(
            f"{p}.preferred_given_name",
            "Der gebräuchliche Vorname muss einer der angegebenen Vornamen sein.",
            "The preferred given name must be one of the given names.",
        )
    c.text(f"{p}.birth_name", person.birth_name, "A")
    for i, name in enumerate(person.former_names):
        c.text(f"{p}.former_names[{i}]", name, "A", required=True)
    c.text(f"{p}.doctoral_degree", person.doctoral_degree, "A")
    c.text(f"{p}.religious_or_artist_name", person.religious_or_artist_name, "A")
    c.text(f"{p}.birth_place", person.birth_place, "B", required=True)
    check_marriage(c, p, person)
    if not _COUNTRY.fullmatch(person.birth_country):
        c.error(
            f"{p}.birth_country",
            "Geburtsstaat: Bitte wählen Sie einen Staat aus der Liste.",
            "Country of birth: please choose a country from the list.",
        )
    if person.birth_date > on:
        c.error(
            f"{p}.birth_date",
            "Das Geburtsdatum liegt in der Zukunft. Bitte prüfen Sie die Eingabe.",
            "The date of birth lies in the future. Please check the entry.",
        )
    elif age_on(person.birth_date, on) > 130:
        c.error(
            f"{p}.birth_date",
            "Das Geburtsdatum liegt mehr als 130 Jahre zurück. Bitte prüfen Sie die Eingabe.",
            "The date of birth is more than 130 years ago. Please check the entry.",
        )
    if not person.nationalities:
        c.error(
            f"{p}.nationalities",
            "Bitte geben Sie mindestens eine Staatsangehörigkeit an.",
            "Please enter at least one nationality.",
        )
    for i, code in enumerate(person.nationalities):
        if not _NATIONALITY.fullmatch(code):
            c.error(
                f"{p}.nationalities[{i}]",
                "Staatsangehörigkeit: Bitte wählen Sie einen Eintrag aus der Liste.",
                "Nationality: please choose an entry from the list.",
            )
    if len(set(person.nationalities)) != len(person.nationalities):
        c.error(
            f"{p}.nationalities",
            "Eine Staatsangehörigkeit ist doppelt angegeben. Bitte entfernen Sie den Eintrag.",
            "A nationality is listed twice. Please remove the duplicate.",
        )
    if person.religion is not None and not _RELIGION.fullmatch(person.religion):
        c.error(
            f"{p}.religion",
            "Religionsgesellschaft: Bitte wählen Sie einen Eintrag aus der Liste.",
            "Religious community: please choose an entry from the list.",
        )
    for i, doc in enumerate(person.id_documents):
        d = f"{p}.id_documents[{i}]"
        if not _SERIAL.fullmatch(doc.serial):
            c.error(
                f"{d}.serial",
                "Die Seriennummer des Ausweisdokuments besteht aus 4 bis 20 Großbuchstaben "
                "und Ziffern. Bitte prüfen Sie die Eingabe.",
                "The document serial number consists of 4 to 20 capital letters and digits.",
            )
        c.text(f"{d}.authority", doc.authority, "B", required=True)
        if doc.expires <= doc.issued:
            c.error(
                f"{d}.expires",
                "Das Ablaufdatum des Ausweisdokuments liegt nicht nach dem Ausstellungsdatum.",
                "The document's expiry date is not after its issue date.",
            )
        if doc.issued > c.today:
            c.error(
                f"{d}.issued",
                "Das Ausstellungsdatum des Ausweisdokuments liegt in der Zukunft.",
                "The document's issue date lies in the future.",
            )
        if doc.expires < c.today:
            c.warning(
                f"{d}.expires",
                "Das Ausweisdokument ist abgelaufen.",
                "The identity document has expired.",
            )


# ---------------------------------------------------------------- dwellings


def check_dwelling(c: Collector, p: str, d: Dwelling) -> None:
    c.text(f"{p}.street", d.street, "B", required=True)
    c.text(f"{p}.house_number", d.house_number, "B", required=d.is_domestic)
    c.text(f"{p}.addition", d.addition, "B")
    c.text(f"{p}.floor_or_flat", d.floor_or_flat, "B")
    c.text(f"{p}.city", d.city, "B", required=True)
    c.text(f"{p}.district", d.district, "B")
    if not _COUNTRY.fullmatch(d.country):
        c.error(
            f"{p}.country",
            "Staat: Bitte wählen Sie einen Staat aus der Liste.",
            "Country: please choose a country from the list.",
        )
    if d.is_domestic:
        if not _POSTCODE_DE.fullmatch(d.postcode):
            c.error(
                f"{p}.postcode",
                "Die Postleitzahl besteht aus fünf Ziffern. Bitte prüfen Sie die Eingabe.",
                "The postcode consists of five digits. Please check the entry.",
            )
        if d.municipality_key is not None and not _MUNICIPALITY_KEY.fullmatch(d.municipality_key):
            c.error(
                f"{p}.municipality_key",
                "Der amtliche Gemeindeschlüssel besteht aus acht Ziffern.",
                "The official municipality key consists of eight digits.",
            )
    else:
        c.text(f"{p}.postcode", d.postcode, "B")


def check_dwelling_set(c: Collector, case: RegistrationCase, new: Dwelling) -> None:
    """Status rules of §§ 21, 22 BMG for the new dwelling and the other dwellings."""
    others = case.other_dwellings
    if new.status is DwellingStatus.ALLEINIGE:
        if others:
            c.error(
                "other_dwellings",
                "Die neue Wohnung ist als alleinige Wohnung angegeben, es sind aber weitere "
                "Wohnungen eingetragen. Bitte ändern Sie den Wohnungsstatus oder entfernen "
                "Sie die weiteren Wohnungen.",
                "The new dwelling is the only dwelling, but other dwellings are listed. "
                "Please change the status or remove the other dwellings.",
            )
        return
    if not others:
        c.error(
            "other_dwellings",
            "Die neue Wohnung ist nicht die alleinige Wohnung. Bitte tragen Sie alle "
            "weiteren Wohnungen ein (Beiblatt).",
            "The new dwelling is not the only dwelling. Please list all other dwellings.",
        )
        return
    everything = [new, *others]
    if any(d.status is DwellingStatus.ALLEINIGE for d in others):
        c.error(
            "other_dwellings",
            "Eine weitere Wohnung ist als alleinige Wohnung angegeben. Bei mehreren "
            "Wohnungen ist genau eine die Hauptwohnung, alle anderen sind Nebenwohnungen.",
            "Another dwelling is marked as the only dwelling. With several dwellings, "
            "exactly one is the main residence, all others are secondary.",
        )
    main = sum(1 for d in everything if d.status is DwellingStatus.HAUPT)
    if main != 1:
        c.error(
            "other_dwellings",
            f"Es sind {main} Hauptwohnungen angegeben. Bitte kennzeichnen Sie genau eine "
            "Wohnung als Hauptwohnung (die vorwiegend benutzte Wohnung).",
            f"{main} main residences are marked. Please mark exactly one dwelling as "
            "the main residence (the one used most).",
        )


def check_landlord(c: Collector, lc: LandlordConfirmation | None, move_in: date | None) -> None:
    p = "landlord_confirmation"
    if lc is None or not lc.is_sufficient():
        c.error(
            p,
            "Für den Einzug fehlt die Wohnungsgeberbestätigung: Bitte erfassen Sie Name und "
            "Anschrift des Wohnungsgebers, das Einzugsdatum, die Anschrift der Wohnung und die "
            "Namen der Personen – oder das Zuordnungsmerkmal der elektronischen Bestätigung.",
            "The landlord's confirmation is missing: please enter the landlord's name and "
            "address, the move-in date, the address of the dwelling and the names of the "
            "persons – or the assignment code of the electronic confirmation.",
        )
        if lc is None:
            return
    c.text(f"{p}.landlord_name", lc.landlord_name, "B")
    c.text(f"{p}.landlord_address", lc.landlord_address, "B")
    c.text(f"{p}.owner_name", lc.owner_name, "B")
    c.text(f"{p}.dwelling_address", lc.dwelling_address, "B")
    for i, name in enumerate(lc.person_names):
        c.text(f"{p}.person_names[{i}]", name, "A")
    c.text(f"{p}.assignment_code", lc.assignment_code, "B")
    if lc.move_in_date is not None and move_in is not None and lc.move_in_date != move_in:
        c.warning(
            f"{p}.move_in_date",
            "Das Einzugsdatum der Wohnungsgeberbestätigung weicht vom angegebenen "
            "Einzugsdatum ab. Bitte klären Sie das Datum.",
            "The move-in date on the landlord's confirmation differs from the move-in "
            "date entered. Please clarify the date.",
        )
