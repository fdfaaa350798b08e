"""Draft side of the Familienstand facts and household links (§ 3 Abs. 1 Nr. 14–16 BMG).

Per person of a :class:`~koffer.casework.drafts.RegistrationDraft`, all optional:

- ``marriage_date`` (TT.MM.JJJJ) and ``marriage_place``: Eheschließung /
  Begründung der Lebenspartnerschaft;
- ``spouse``: the index (as text, e.g. ``"1"``) of the listed person who is the
  Ehegatte / Lebenspartner;
- ``parents``: comma-separated indices of the listed persons whose child this
  person is (``"0,1"``).

Older drafts have none of these keys and load unchanged. Pure data, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

from koffer.cases import Finding, Person
from koffer.cases.dates import parse_date

#: the draft keys of each person (added to ``PERSON_FIELDS``)
HOUSEHOLD_FIELDS: tuple[str, ...] = ("marriage_date", "marriage_place", "spouse", "parents")


def parent_list(text: str | None) -> list[int]:
    """The indices of a ``parents`` text (``"0, 1"`` → ``[0, 1]``); junk is dropped."""
    result: list[int] = []
    for part in (text or "").split(","):
        word = part.strip()
        if word.isdigit():
            result.append(int(word))
    return result


def parent_text(indices: Sequence[int]) -> str:
    return ",".join(str(i) for i in indices)


def apply_household(person: Person, index: int, values: Mapping[str, str]) -> list[Finding]:
    """Set the household facts typed for draft person ``index`` on ``person``.

    Returns findings for texts that cannot be parsed (a half-typed date).
    """
    path = f"persons[{index}]"
    findings: list[Finding] = []
    raw_date = (values.get("marriage_date") or "").strip()
    if raw_date:
        married = parse_date(raw_date)
        if married is None:
            findings.append(
                Finding(
                    "error",
                    f"{path}.marriage_date",
                    "Datum der Eheschließung: Bitte geben Sie das Datum als TT.MM.JJJJ ein.",
                    "Date of marriage: please enter the date as DD.MM.YYYY.",
                )
            )
        person.marriage_date = married
    person.marriage_place = (values.get("marriage_place") or "").strip() or None
    spouse = (values.get("spouse") or "").strip()
    person.spouse_index = int(spouse) if spouse.isdigit() else None
    person.parent_indices = parent_list(values.get("parents"))
    return findings


def drop_person_links(persons: Sequence[MutableMapping[str, str]], removed: int) -> None:
    """Renumber the links after draft person ``removed`` is deleted (call before deleting).

    Links to the removed person disappear; links to later persons move one place up.
    """

    def moved(i: int) -> int | None:
        if i == removed:
            return None
        return i - 1 if i > removed else i

    for values in persons:
        spouse = (values.get("spouse") or "").strip()
        if spouse.isdigit():
            new = moved(int(spouse))
            values["spouse"] = "" if new is None else str(new)
        if "parents" in values:
            kept = [m for m in (moved(i) for i in parent_list(values["parents"])) if m is not None]
            values["parents"] = parent_text(kept)


def link_spouses(persons: list[dict[str, str]], a: int, b: int | None) -> None:
    """Make ``a`` and ``b`` each other's spouse (``b`` None: ``a`` has none).

    Keeps the link mutual: a former spouse of either loses the link.
    """
    old = (persons[a].get("spouse") or "").strip()
    if old.isdigit() and int(old) < len(persons) and persons[int(old)].get("spouse") == str(a):
        persons[int(old)]["spouse"] = ""
    if b is None or b == a or not 0 <= b < len(persons):
        persons[a]["spouse"] = ""
        return
    other = (persons[b].get("spouse") or "").strip()
    if other.isdigit() and int(other) < len(persons) and int(other) != a:
        persons[int(other)]["spouse"] = ""
    persons[a]["spouse"] = str(b)
    persons[b]["spouse"] = str(a)
