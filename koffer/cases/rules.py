"""The legal rules of a case (BMG, PAuswG, PAuswV, DIN 91379).

:func:`check` returns every finding (errors block, warnings inform);
:func:`ensure_valid` raises :class:`RuleViolation` with the first error.

Summary of the rules (details in the domain page):

- every name field is DIN 91379 type A, every address/place field type B,
  free text type C;
- Anmeldung / Wechsel der Hauptwohnung more than ``late_registration_days``
  after the move: **warning** (Ordnungswidrigkeit), never a refusal;
- Anmeldung needs a Wohnungsgeberbestätigung (the four § 19 Abs. 3 BMG items)
  or its Zuordnungsmerkmal;
- Abmeldung only without a new domestic dwelling or for a Nebenwohnung, and not
  earlier than ``abmeldung_earliest_days`` before the Auszug;
- persons under 16 are registered by an adult of the same case (the signer);
- a dwelling that is not the alleinige Wohnung needs all other dwellings listed,
  with exactly one Hauptwohnung;
- Personalausweis: no fingerprints under 6; one print per hand, finger order
  index → thumb → middle → ring, never the little finger, skipped fingers need a
  reason; at most 3 captures, the best kept; Direktversand from 16, to the
  Hauptwohnung, with a second ID, not express, not by a representative; signature
  from ``signature_min_age`` (configurable, [unverified]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from koffer.cases.dates import age_on
from koffer.cases.din91379 import InvalidCharacters, validate
from koffer.cases.dwelling import Dwelling, LandlordConfirmation
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    Delivery,
    DwellingStatus,
    ExemptionReason,
    FingerCode,
    Hand,
    PhotoSource,
)
from koffer.cases.id_card import fee, finger_substitution_order
from koffer.cases.model import Case, IdCardApplication, RegistrationCase
from koffer.cases.person import Person
from koffer.cases.settings import RuleSettings
from koffer.errors import ValidationError

__all__ = ["Finding", "RuleSettings", "RuleViolation", "check", "ensure_valid"]

Severity = Literal["error", "warning"]

_COUNTRY = re.compile(r"[A-Z]{2}")
_NATIONALITY = re.compile(r"[A-Z]{2,3}")
_RELIGION = re.compile(r"[a-z]{2,3}")
_POSTCODE_DE = re.compile(r"[0-9]{5}")
_MUNICIPALITY_KEY = re.compile(r"[0-9]{8}")
_SERIAL = re.compile(r"[0-9A-Z]{4,20}")
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
class _Collector:
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


# ------------------------------------------------------------------ persons


def _check_person(c: _Collector, p: str, person: Person, on: date) -> None:
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


def _check_dwelling(c: _Collector, p: str, d: Dwelling) -> None:
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


def _check_dwelling_set(c: _Collector, case: RegistrationCase, new: Dwelling) -> None:
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


def _check_landlord(c: _Collector, lc: LandlordConfirmation | None, move_in: date | None) -> None:
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


# ------------------------------------------------------------ registrations


def _check_signer(c: _Collector, case: RegistrationCase) -> None:
    s = c.settings
    on = case.registration_date
    signer = case.signer
    if signer is None:
        c.error(
            "signer_index",
            "Bitte wählen Sie die Person aus, die den Meldeschein unterschreibt.",
            "Please choose the person who signs the registration form.",
        )
        return
    signer_age = age_on(signer.birth_date, on)
    minors = [i for i, p in enumerate(case.persons) if age_on(p.birth_date, on) < 16]
    if minors and signer_age < s.adult_age:
        c.error(
            "signer_index",
            "Personen unter 16 Jahren werden von einer volljährigen Person angemeldet, die "
            "mit ihnen einzieht. Bitte wählen Sie eine volljährige Person als "
            "Unterzeichnende.",
            "Persons under 16 are registered by an adult who moves in with them. Please "
            "choose an adult as the signer.",
        )
    elif signer_age < s.self_registration_min_age:
        c.error(
            "signer_index",
            f"Die unterschreibende Person muss mindestens {s.self_registration_min_age} "
            "Jahre alt sein.",
            f"The signer must be at least {s.self_registration_min_age} years old.",
        )


#: the day the deadline counts from, per kind of registration
_EVENT_DE = {"Anmeldung": "Einzug", "Meldung des Wechsels": "Wechsel"}


def _late_warning(c: _Collector, path: str, event: date, registered: date, what: str) -> None:
    days = (registered - event).days
    if days > c.settings.late_registration_days:
        c.warning(
            path,
            f"Die {what} erfolgt {days} Tage nach dem {_EVENT_DE.get(what, 'Umzug')}; "
            f"gemeldet werden muss innerhalb von {c.settings.late_registration_days} Tagen "
            "danach (§ 17 BMG). Eine verspätete Meldung kann eine Ordnungswidrigkeit sein "
            "(§ 54 BMG). Die Meldung wird trotzdem angenommen.",
            f"The registration is {days} days after the move; the deadline is "
            f"{c.settings.late_registration_days} days. This may be an administrative "
            "offence (§ 54 BMG). The registration is accepted nonetheless.",
        )


def _check_registration(c: _Collector, case: RegistrationCase) -> None:
    on = case.registration_date
    if on > c.today:
        c.error(
            "registration_date",
            "Das Meldedatum liegt in der Zukunft. Bitte prüfen Sie das Datum.",
            "The registration date lies in the future. Please check the date.",
        )
    if not case.persons:
        c.error(
            "persons",
            "Bitte erfassen Sie mindestens eine Person.",
            "Please enter at least one person.",
        )
    for i, person in enumerate(case.persons):
        _check_person(c, f"persons[{i}]", person, on)
    if case.persons:
        _check_signer(c, case)
    for name in ("new_dwelling", "previous_dwelling", "last_domestic_dwelling"):
        dwelling = getattr(case, name)
        if dwelling is not None:
            _check_dwelling(c, name, dwelling)
    for i, d in enumerate(case.other_dwellings):
        _check_dwelling(c, f"other_dwellings[{i}]", d)
    for i, name in enumerate(case.signature_attachments):
        c.attachment(f"signature_attachments[{i}]", name)
    c.text("remarks", case.remarks, "C")
    if case.case_type is CaseType.ANMELDUNG:
        _check_anmeldung(c, case)
    elif case.case_type is CaseType.ABMELDUNG:
        _check_abmeldung(c, case)
    elif case.case_type is CaseType.HAUPTWOHNUNG:
        _check_main_change(c, case)
    else:
        c.error(
            "case_type",
            "Dieser Vorgang ist kein Meldevorgang. Bitte legen Sie den Vorgang neu an.",
            "This case is not a registration. Please create the case again.",
        )


def _need_move_in(c: _Collector, case: RegistrationCase, what: str, what_en: str) -> date | None:
    if case.move_in_date is None:
        c.error(
            "move_in_date",
            f"Bitte geben Sie das {what} an.",
            f"Please enter the {what_en}.",
        )
    return case.move_in_date


def _check_anmeldung(c: _Collector, case: RegistrationCase) -> None:
    kind = case.anmeldung_kind
    if kind is None:
        c.error(
            "anmeldung_kind",
            "Bitte wählen Sie die Art der Anmeldung (Zuzug, Zuzug aus dem Ausland oder Umzug "
            "innerhalb der Gemeinde).",
            "Please choose the kind of registration (move from another municipality, from "
            "abroad, or within the municipality).",
        )
    new = case.new_dwelling
    if new is None:
        c.error(
            "new_dwelling",
            "Bitte erfassen Sie die neue Wohnung.",
            "Please enter the new dwelling.",
        )
    else:
        if not new.is_domestic:
            c.error(
                "new_dwelling.country",
                "Angemeldet werden kann nur eine Wohnung in Deutschland.",
                "Only a dwelling in Germany can be registered.",
            )
        _check_dwelling_set(c, case, new)
    move_in = _need_move_in(c, case, "Einzugsdatum", "move-in date")
    if move_in is not None:
        if case.registration_date < move_in:
            c.error(
                "move_in_date",
                "Eine Anmeldung ist erst nach dem Einzug möglich. Bitte prüfen Sie das "
                "Einzugsdatum.",
                "A registration is only possible after moving in. Please check the move-in date.",
            )
        else:
            _late_warning(c, "move_in_date", move_in, case.registration_date, "Anmeldung")
    _check_landlord(c, case.landlord_confirmation, move_in)
    prev = case.previous_dwelling
    if kind in (AnmeldungKind.ZUZUG, AnmeldungKind.UMZUG_INNERHALB):
        if prev is None:
            c.error(
                "previous_dwelling",
                "Bitte erfassen Sie die bisherige Wohnung.",
                "Please enter the previous dwelling.",
            )
        elif not prev.is_domestic:
            c.error(
                "previous_dwelling.country",
                "Die bisherige Wohnung liegt im Ausland. Bitte wählen Sie „Zuzug aus dem Ausland“.",
                "The previous dwelling is abroad. Please choose 'move from abroad'.",
            )
    if kind is AnmeldungKind.ZUZUG_AUSLAND and prev is not None and prev.is_domestic:
        c.error(
            "previous_dwelling.country",
            "Bei einem Zuzug aus dem Ausland liegt die bisherige Wohnung im Ausland. Bitte "
            "prüfen Sie den Staat oder die Art der Anmeldung.",
            "For a move from abroad the previous dwelling is abroad. Please check the "
            "country or the kind of registration.",
        )


def _check_abmeldung(c: _Collector, case: RegistrationCase) -> None:
    s = c.settings
    given_up = case.previous_dwelling
    if given_up is None:
        c.error(
            "previous_dwelling",
            "Bitte erfassen Sie die Wohnung, die aufgegeben wird.",
            "Please enter the dwelling that is given up.",
        )
    new = case.new_dwelling
    if (
        new is not None
        and new.is_domestic
        and (given_up is None or given_up.status is not DwellingStatus.NEBEN)
    ):
        c.error(
            "new_dwelling",
            "Eine Abmeldung ist nur beim Wegzug ins Ausland oder bei Aufgabe einer "
            "Nebenwohnung möglich. Bei einem Umzug im Inland genügt die Anmeldung bei der "
            "neuen Wohnung.",
            "A deregistration is only possible when moving abroad or giving up a secondary "
            "residence. For a move within Germany, registering at the new dwelling is enough.",
        )
    if given_up is not None and given_up.status is DwellingStatus.NEBEN:
        main = [d for d in case.other_dwellings if d.status is not DwellingStatus.NEBEN]
        if len(main) != 1:
            c.error(
                "other_dwellings",
                "Bei Aufgabe einer Nebenwohnung tragen Sie bitte alle weiteren Wohnungen ein, "
                "darunter genau eine Hauptwohnung.",
                "When giving up a secondary residence, please list all other dwellings, "
                "exactly one of them the main residence.",
            )
    out = case.move_out_date
    if out is None:
        c.error(
            "move_out_date",
            "Bitte geben Sie das Auszugsdatum an.",
            "Please enter the move-out date.",
        )
        return
    days = (case.registration_date - out).days
    if days < -s.abmeldung_earliest_days:
        c.error(
            "move_out_date",
            f"Eine Abmeldung ist frühestens {s.abmeldung_earliest_days} Tage vor dem Auszug "
            "möglich. Bitte kommen Sie später wieder oder prüfen Sie das Auszugsdatum.",
            f"A deregistration is possible at the earliest {s.abmeldung_earliest_days} days "
            "before moving out. Please come back later or check the move-out date.",
        )
    elif days > s.late_abmeldung_days:
        c.warning(
            "move_out_date",
            f"Die Abmeldung erfolgt {days} Tage nach dem Auszug; die Frist beträgt "
            f"{s.late_abmeldung_days} Tage. Das kann eine Ordnungswidrigkeit sein "
            "(§ 54 BMG). Die Abmeldung wird trotzdem angenommen.",
            f"The deregistration is {days} days after moving out; the deadline is "
            f"{s.late_abmeldung_days} days. This may be an administrative offence. "
            "It is accepted nonetheless.",
        )


def _check_main_change(c: _Collector, case: RegistrationCase) -> None:
    new = case.new_dwelling
    if new is None:
        c.error(
            "new_dwelling",
            "Bitte erfassen Sie die Wohnung, die Hauptwohnung werden soll.",
            "Please enter the dwelling that becomes the main residence.",
        )
    else:
        if new.status is not DwellingStatus.HAUPT:
            c.error(
                "new_dwelling.status",
                "Beim Wechsel der Hauptwohnung muss die gewählte Wohnung als Hauptwohnung "
                "gekennzeichnet sein.",
                "For a change of main residence the chosen dwelling must be marked as the "
                "main residence.",
            )
        _check_dwelling_set(c, case, new)
    change = _need_move_in(c, case, "Datum des Wechsels", "date of the change")
    if change is not None:
        _late_warning(c, "move_in_date", change, case.registration_date, "Meldung des Wechsels")


# ------------------------------------------------------------ ID card


def _check_photo(c: _Collector, app: IdCardApplication) -> None:
    photo = app.photo
    if photo is None:
        c.error(
            "photo",
            "Es fehlt ein Lichtbild. Bitte nehmen Sie ein Foto auf oder scannen Sie den Code "
            "des Fotostudios.",
            "A photo is missing. Please take a photo or scan the photo studio's code.",
        )
        return
    if photo.attachment is not None:
        c.attachment("photo.attachment", photo.attachment)
    if photo.source is PhotoSource.AUTHORITY_CAPTURE and not photo.attachment:
        c.error(
            "photo.attachment",
            "Das Lichtbild wurde noch nicht aufgenommen. Bitte nehmen Sie das Foto auf.",
            "The photo has not been taken yet. Please take the photo.",
        )
    if photo.source is PhotoSource.PROVIDER_CLOUD_CODE and not (
        (photo.cloud_code or "").strip() or photo.attachment
    ):
        c.error(
            "photo.cloud_code",
            "Bitte scannen Sie den Lichtbild-Code (DataMatrix) des Fotostudios.",
            "Please scan the photo studio's photo code (DataMatrix).",
        )
    c.text("photo.cloud_code", photo.cloud_code, "B")


def _check_fingerprints(c: _Collector, app: IdCardApplication, age: int) -> None:
    s = c.settings
    prints = app.fingerprints
    global_reasons = {e.reason for e in app.fingerprint_exemptions if e.finger is None}
    if age < s.fingerprint_min_age:
        if prints:
            c.error(
                "fingerprints",
                f"Von Kindern unter {s.fingerprint_min_age} Jahren werden keine "
                "Fingerabdrücke genommen. Bitte löschen Sie die Fingerabdrücke.",
                f"No fingerprints are taken from children under {s.fingerprint_min_age}. "
                "Please delete the fingerprints.",
            )
        return
    if ExemptionReason.UNDER_AGE in global_reasons:
        c.error(
            "fingerprint_exemptions",
            f"Die antragstellende Person ist {s.fingerprint_min_age} Jahre oder älter; die "
            "Befreiung wegen des Alters gilt nicht.",
            f"The applicant is {s.fingerprint_min_age} or older; the age exemption does not apply.",
        )
    if len(prints) > 2:
        c.error(
            "fingerprints",
            "Es werden höchstens zwei Fingerabdrücke gespeichert (je einer pro Hand).",
            "At most two fingerprints are stored (one per hand).",
        )
    skipped = {
        e.finger
        for e in app.fingerprint_exemptions
        if e.finger is not None
        and e.reason in (ExemptionReason.MISSING, ExemptionReason.INJURED, ExemptionReason.QUALITY)
    }
    hands_done: set[Hand] = set()
    for i, record in enumerate(prints):
        p = f"fingerprints[{i}]"
        finger = record.finger
        if finger.is_little:
            c.error(
                f"{p}.finger",
                "Kleine Finger werden nicht erfasst. Bitte verwenden Sie Zeigefinger, Daumen, "
                "Mittel- oder Ringfinger.",
                "Little fingers are not captured. Please use the index finger, thumb, middle "
                "or ring finger.",
            )
            continue
        if finger.hand in hands_done:
            c.error(
                f"{p}.finger",
                "Je Hand wird nur ein Fingerabdruck gespeichert.",
                "Only one fingerprint per hand is stored.",
            )
        hands_done.add(finger.hand)
        order = finger_substitution_order(finger.hand)
        missing_reason = [f for f in order[: order.index(finger)] if f not in skipped]
        if missing_reason:
            first = missing_reason[0]
            c.error(
                f"{p}.finger",
                f"Statt des Fingers „{finger.label}“ ist zuerst der Finger „{first.label}“ zu "
                "erfassen (Reihenfolge Zeigefinger, Daumen, Mittelfinger, Ringfinger). Bitte "
                "erfassen Sie ihn oder geben Sie den Grund an, warum das nicht geht.",
                f"Instead of the {finger.label_en}, the {first.label_en} must be captured first "
                "(order index, thumb, middle, ring finger). Please capture it or give the "
                "reason why that is not possible.",
            )
        n = len(record.qualities)
        if not 1 <= n <= s.max_captures_per_finger:
            c.error(
                f"{p}.qualities",
                f"Je Finger sind 1 bis {s.max_captures_per_finger} Aufnahmen vorgesehen.",
                f"1 to {s.max_captures_per_finger} captures per finger are expected.",
            )
        elif any(not 0 <= q <= 100 for q in record.qualities):
            c.error(
                f"{p}.qualities",
                "Ein Qualitätswert liegt außerhalb von 0 bis 100. Bitte erfassen Sie den "
                "Finger erneut.",
                "A quality score lies outside 0 to 100. Please capture the finger again.",
            )
        elif not 0 <= record.kept_index < n or record.qualities[record.kept_index] != max(
            record.qualities
        ):
            c.error(
                f"{p}.kept_index",
                "Es muss die beste der Aufnahmen gespeichert werden. Bitte erfassen Sie den "
                "Finger erneut.",
                "The best capture must be kept. Please capture the finger again.",
            )
        c.attachment(f"{p}.attachment", record.attachment)
    whole = global_reasons & {ExemptionReason.TEMPORARY, ExemptionReason.PERMANENT}
    for hand in (Hand.LEFT, Hand.RIGHT):
        if hand in hands_done or whole:
            continue
        if not all(f in skipped for f in finger_substitution_order(hand)):
            target: FingerCode = finger_substitution_order(hand)[0]
            c.error(
                "fingerprints",
                f"Der Fingerabdruck „{target.label}“ fehlt. Bitte erfassen Sie ihn, einen "
                "Ersatzfinger oder geben Sie den Grund an.",
                f"The fingerprint '{target.label_en}' is missing. Please capture it or a "
                "substitute finger, or give the reason.",
            )
    if ExemptionReason.TEMPORARY in global_reasons and not app.provisional:
        c.warning(
            "fingerprint_exemptions",
            "Fingerabdrücke sind vorübergehend nicht möglich: Bitte verschieben Sie den Antrag "
            "oder stellen Sie einen vorläufigen Personalausweis aus.",
            "Fingerprints are temporarily impossible: please postpone the application or "
            "issue a provisional ID card.",
        )


def _check_delivery(c: _Collector, app: IdCardApplication, age: int) -> None:
    if app.delivery is not Delivery.DIRECT_DELIVERY:
        return
    s = c.settings
    problems: list[tuple[str, str, str]] = []
    if age < s.direct_delivery_min_age:
        problems.append(
            (
                "delivery",
                f"Direktversand ist erst ab {s.direct_delivery_min_age} Jahren möglich.",
                f"Direct delivery is only possible from age {s.direct_delivery_min_age}.",
            )
        )
    address = app.address
    target = app.delivery_address or address
    if (
        address is None
        or target is None
        or address.status is DwellingStatus.NEBEN
        or not target.same_address(address)
    ):
        problems.append(
            (
                "delivery_address",
                "Direktversand ist nur an die Hauptwohnung möglich.",
                "Direct delivery is only possible to the main residence.",
            )
        )
    if not app.second_id_present:
        problems.append(
            (
                "second_id_present",
                "Für den Direktversand muss ein zweites gültiges Ausweisdokument vorgelegt "
                "werden, weil der alte Ausweis bei Antragstellung entwertet wird.",
                "Direct delivery needs a second valid ID document, because the old card is "
                "invalidated at application.",
            )
        )
    if app.express:
        problems.append(
            (
                "express",
                "Direktversand ist im Expressverfahren nicht möglich.",
                "Direct delivery is not possible for express orders.",
            )
        )
    if not app.applicant_in_person:
        problems.append(
            (
                "applicant_in_person",
                "Direktversand ist nur möglich, wenn die Person den Antrag selbst stellt.",
                "Direct delivery is only possible when the applicant applies in person.",
            )
        )
    if app.provisional:
        problems.append(
            (
                "provisional",
                "Ein vorläufiger Personalausweis wird sofort ausgehändigt und nicht versandt.",
                "A provisional ID card is handed over at once and not sent.",
            )
        )
    for path, de, en in problems:
        c.error(path, f"{de} Bitte wählen Sie Abholung.", f"{en} Please choose pick-up.")


def _check_id_card(c: _Collector, app: IdCardApplication) -> None:
    s = c.settings
    on = app.application_date
    if on > c.today:
        c.error(
            "application_date",
            "Das Antragsdatum liegt in der Zukunft. Bitte prüfen Sie das Datum.",
            "The application date lies in the future. Please check the date.",
        )
    _check_person(c, "person", app.person, on)
    age = age_on(app.person.birth_date, on)
    if app.address is None:
        c.error(
            "address",
            "Bitte erfassen Sie die Anschrift (Hauptwohnung).",
            "Please enter the address (main residence).",
        )
    else:
        _check_dwelling(c, "address", app.address)
    if app.delivery_address is not None:
        _check_dwelling(c, "delivery_address", app.delivery_address)
    _check_photo(c, app)
    _check_fingerprints(c, app, age)
    for i, name in enumerate(app.signature_attachments):
        c.attachment(f"signature_attachments[{i}]", name)
    if age >= s.signature_min_age and not app.signature_attachments:
        c.error(
            "signature_attachments",
            "Die Unterschrift fehlt. Bitte lassen Sie die antragstellende Person auf dem "
            "Unterschriftenfeld unterschreiben.",
            "The signature is missing. Please let the applicant sign on the signature pad.",
        )
    if app.height_cm is not None and not 40 <= app.height_cm <= 250:
        c.error(
            "height_cm",
            "Die Größe muss zwischen 40 und 250 cm liegen.",
            "The height must be between 40 and 250 cm.",
        )
    c.text("eye_color", app.eye_color, "B")
    _check_delivery(c, app, age)
    if app.pin_letter_handed_out and not (app.pin_letter_number or "").strip():
        c.error(
            "pin_letter_number",
            "Bitte tragen Sie die Nummer des ausgehändigten PIN-Briefs ein.",
            "Please enter the number of the PIN letter handed out.",
        )
    c.text("pin_letter_number", app.pin_letter_number, "B")
    if not app.pin_letter_handed_out:
        c.warning(
            "pin_letter_handed_out",
            "Der PIN-Brief wurde noch nicht ausgehändigt. Er wird bei der Antragstellung "
            "übergeben.",
            "The PIN letter has not been handed out yet. It is handed over at application.",
        )
    for i, cert in enumerate(app.device_certificates):
        c.text(f"device_certificates[{i}]", cert, "B", required=True)
    c.text("remarks", app.remarks, "C")
    if app.fee_amount is not None:
        try:
            expected = fee(
                on,
                app.person.birth_date,
                direct_delivery=app.direct_delivery,
                authority_photo=app.authority_photo,
                outside_hours_surcharge=app.outside_hours_surcharge,
                provisional=app.provisional,
            )
        except ValidationError:
            return  # reported by the delivery rules
        if app.fee_amount < 0 or (
            app.fee_amount > expected if app.fee_waived else app.fee_amount != expected
        ):
            c.error(
                "fee_amount",
                f"Die erfasste Gebühr stimmt nicht mit der Gebührenordnung überein "
                f"({expected} EUR). Bitte berechnen Sie die Gebühr neu.",
                f"The recorded fee does not match the fee schedule ({expected} EUR). "
                "Please recompute the fee.",
            )


# ------------------------------------------------------------ entry points


def check(case: Case, today: date, settings: RuleSettings | None = None) -> list[Finding]:
    """Every finding for ``case`` on the day ``today`` (errors first, then warnings)."""
    c = _Collector(today=today, settings=settings or RuleSettings())
    if isinstance(case, IdCardApplication):
        _check_id_card(c, case)
    else:
        _check_registration(c, case)
    errors = [f for f in c.findings if f.severity == "error"]
    warnings = [f for f in c.findings if f.severity == "warning"]
    return errors + warnings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def ensure_valid(case: Case, today: date, settings: RuleSettings | None = None) -> list[Finding]:
    """Raise :class:`RuleViolation` (a ``ValidationError``) at the first error.

    Returns the warnings when there is no error.
    """
    findings = check(case, today, settings)
    found = errors(findings)
    if found:
        raise RuleViolation(found[0], findings)
    return findings
