"""Rules of Anmeldung, Abmeldung and Wechsel der Hauptwohnung (BMG)."""

from __future__ import annotations

from datetime import date

from koffer.cases.dates import age_on
from koffer.cases.enums import (
    AnmeldungKind,
    CaseType,
    DwellingStatus,
)
from koffer.cases.findings import Collector
from koffer.cases.household import check_household
from koffer.cases.model import RegistrationCase
from koffer.cases.person_rules import (
    check_dwelling,
    check_dwelling_set,
    check_landlord,
    check_person,
)

# ------------------------------------------------------------ registrations


def _check_signer(c: Collector, case: RegistrationCase) -> None:
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


def _late_warning(c: Collector, path: str, event: date, registered: date, what: str) -> None:
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


def check_registration(c: Collector, case: RegistrationCase) -> None:
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
        check_person(c, f"persons[{i}]", person, on)
    check_household(c, case)
    if case.persons:
        _check_signer(c, case)
    for name in ("new_dwelling", "previous_dwelling", "last_domestic_dwelling"):
        dwelling = getattr(case, name)
        if dwelling is not None:
            check_dwelling(c, name, dwelling)
    for i, d in enumerate(case.other_dwellings):
        check_dwelling(c, f"other_dwellings[{i}]", d)
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


def _need_move_in(c: Collector, case: RegistrationCase, what: str, what_en: str) -> date | None:
    if case.move_in_date is None:
        c.error(
            "move_in_date",
            f"Bitte geben Sie das {what} an.",
            f"Please enter the {what_en}.",
        )
    return case.move_in_date


def _check_anmeldung(c: Collector, case: RegistrationCase) -> None:
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
        check_dwelling_set(c, case, new)
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
    check_landlord(c, case.landlord_confirmation, move_in)
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


def _check_abmeldung(c: Collector, case: RegistrationCase) -> None:
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


def _check_main_change(c: Collector, case: RegistrationCase) -> None:
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
        check_dwelling_set(c, case, new)
    change = _need_move_in(c, case, "Datum des Wechsels", "date of the change")
    if change is not None:
        _late_warning(c, "move_in_date", change, case.registration_date, "Meldung des Wechsels")
