"""Familienstand facts and links within one Meldeschein (§ 3 Abs. 1 Nr. 14–16 BMG).

Every fact is optional: the citizens give them or not. When given:

- the date of the Eheschließung / Begründung der Lebenspartnerschaft lies
  neither in the future nor before the person's birth, and its place is
  DIN 91379 type B (like the Geburtsort);
- a link (Ehegatte/Lebenspartner, Elternteil) points to **another** person of
  the same case;
- a spouse link is mutual (if A names B, B names A);
- a child is not its own parent, and names each parent once.
"""

from __future__ import annotations

from collections.abc import Sequence

from koffer.cases.findings import Collector
from koffer.cases.model import RegistrationCase
from koffer.cases.person import Person

__all__ = ["check_household", "check_marriage", "household_rows"]


def check_marriage(c: Collector, p: str, person: Person) -> None:
    """Date and place of the marriage / partnership of one person."""
    c.text(f"{p}.marriage_place", person.marriage_place, "B")
    married = person.marriage_date
    if married is None:
        return
    if married > c.today:
        c.error(
            f"{p}.marriage_date",
            "Das Datum der Eheschließung liegt in der Zukunft. Bitte prüfen Sie die Eingabe.",
            "The date of marriage lies in the future. Please check the entry.",
        )
    elif married < person.birth_date:
        c.error(
            f"{p}.marriage_date",
            "Das Datum der Eheschließung liegt vor dem Geburtsdatum. Bitte prüfen Sie die Eingabe.",
            "The date of marriage lies before the date of birth. Please check the entry.",
        )


def _listed(index: int, own: int, count: int) -> bool:
    return 0 <= index < count and index != own


def check_household(c: Collector, case: RegistrationCase) -> None:
    """The links between the persons (their marriage facts: :func:`check_person`)."""
    count = len(case.persons)
    for i, person in enumerate(case.persons):
        p = f"persons[{i}]"
        spouse = person.spouse_index
        if spouse is not None:
            if spouse == i:
                c.error(
                    f"{p}.spouse_index",
                    "Eine Person kann nicht mit sich selbst verheiratet oder verpartnert sein.",
                    "A person cannot be married to or in a partnership with themselves.",
                )
            elif not _listed(spouse, i, count):
                c.error(
                    f"{p}.spouse_index",
                    "Der Ehegatte oder Lebenspartner muss eine Person dieses Meldescheins sein.",
                    "The spouse or partner must be a person of this registration form.",
                )
            elif case.persons[spouse].spouse_index != i:
                c.error(
                    f"{p}.spouse_index",
                    "Ehegatten und Lebenspartner müssen gegenseitig angegeben sein. "
                    "Bitte geben Sie die Verbindung bei beiden Personen an.",
                    "Spouses and partners must name each other. "
                    "Please enter the link for both persons.",
                )
        seen: set[int] = set()
        for parent in person.parent_indices:
            if parent == i:
                c.error(
                    f"{p}.parent_indices",
                    "Ein Kind kann nicht sein eigener Elternteil sein.",
                    "A child cannot be its own parent.",
                )
            elif not _listed(parent, i, count):
                c.error(
                    f"{p}.parent_indices",
                    "Der Elternteil muss eine Person dieses Meldescheins sein.",
                    "The parent must be a person of this registration form.",
                )
            elif parent in seen:
                c.error(
                    f"{p}.parent_indices",
                    "Ein Elternteil ist doppelt angegeben.",
                    "A parent is entered twice.",
                )
            seen.add(parent)


def _name(person: Person) -> str:
    return " ".join([*person.given_names, person.family_name]).strip()


def household_rows(
    persons: Sequence[Person], index: int, language: str = "de"
) -> list[tuple[str, str]]:
    """(label, value) rows of the household facts of ``persons[index]`` (none if not given).

    For the printout and the citizen's review; links name the other person.
    """
    en = language == "en"
    person = persons[index]
    rows: list[tuple[str, str]] = []
    if person.marriage_date is not None:
        rows.append(
            (
                "Date of marriage / civil partnership"
                if en
                else "Eheschließung / Lebenspartnerschaft am",
                person.marriage_date.strftime("%d.%m.%Y"),
            )
        )
    if person.marriage_place:
        rows.append(
            (
                "Place of marriage / civil partnership"
                if en
                else "Eheschließung / Lebenspartnerschaft in",
                person.marriage_place,
            )
        )
    spouse = person.spouse_index
    if spouse is not None and _listed(spouse, index, len(persons)):
        rows.append(
            (
                "Married to / civil partner of" if en else "Verheiratet / verpartnert mit",
                _name(persons[spouse]),
            )
        )
    parents = [_name(persons[i]) for i in person.parent_indices if _listed(i, index, len(persons))]
    if parents:
        rows.append(("Child of" if en else "Kind von", (" and " if en else " und ").join(parents)))
    return rows
