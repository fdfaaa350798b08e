"""Drafts: what the clerk has typed so far, exactly as typed.

A draft is not yet a valid case (required data is missing, dates may be half
typed), so it keeps raw text per field. It is saved, encrypted, with every
change (``UnlockedStore.save_case``) and turned into the domain model once the
wizard completes. Pure data, no Qt.

Payload shape (JSON-compatible)::

    {"kiosk_draft": 1, "case_type": "anmeldung", "step": "persons",
     "persons": [{"family_name": "…", …}, …], "dwelling": {"street": "…", …}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from koffer.casework.household import HOUSEHOLD_FIELDS, drop_person_links
from koffer.casework.payload_values import texts_of

DRAFT_VERSION = 1

PERSON_FIELDS: tuple[str, ...] = (
    "family_name",
    "given_names",
    "birth_name",
    "doctoral_degree",
    "birth_date",
    "birth_place",
    "sex",
    "nationalities",
    # Widersprüche (§ 42 Abs. 3, § 50 Abs. 5 BMG): "1" when the person objects
    "objection_religionsgesellschaft",
    "objection_parteien",
    "objection_jubilaeen",
    # Eheschließung/Lebenspartnerschaft and links (§ 3 Abs. 1 Nr. 14–16 BMG)
    *HOUSEHOLD_FIELDS,
)

#: draft key of each objection
OBJECTION_FIELDS: dict[str, str] = {
    "religionsgesellschaft": "objection_religionsgesellschaft",
    "parteien": "objection_parteien",
    "jubilaeen": "objection_jubilaeen",
}

DWELLING_FIELDS: tuple[str, ...] = (
    "street",
    "house_number",
    "addition",
    "floor_or_flat",
    "postcode",
    "city",
    "district",
    "status",
    "move_in_date",
)


@dataclass
class RegistrationDraft:
    """The form state of a registration case (Anmeldung for now)."""

    case_type: str = "anmeldung"
    step: str = "persons"
    persons: list[dict[str, str]] = field(default_factory=lambda: [{}])
    dwelling: dict[str, str] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return {
            "kiosk_draft": DRAFT_VERSION,
            "case_type": self.case_type,
            "step": self.step,
            "persons": [dict(p) for p in self.persons],
            "dwelling": dict(self.dwelling),
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> RegistrationDraft:
        """Read a saved draft; unknown or damaged parts are dropped, never fatal."""
        persons_raw = payload.get("persons")
        persons = (
            [texts_of(p, PERSON_FIELDS) for p in persons_raw if isinstance(p, Mapping)]
            if isinstance(persons_raw, list)
            else []
        )
        step = payload.get("step")
        case_type = payload.get("case_type")
        return cls(
            case_type=case_type if isinstance(case_type, str) else "anmeldung",
            step=step if isinstance(step, str) else "persons",
            persons=persons or [{}],
            dwelling=texts_of(payload.get("dwelling"), DWELLING_FIELDS),
        )

    def set_person_field(self, index: int, key: str, value: str) -> None:
        if key not in PERSON_FIELDS:
            raise KeyError(key)
        while len(self.persons) <= index:
            self.persons.append({})
        self.persons[index][key] = value

    def set_dwelling_field(self, key: str, value: str) -> None:
        if key not in DWELLING_FIELDS:
            raise KeyError(key)
        self.dwelling[key] = value

    def add_person(self) -> int:
        self.persons.append({})
        return len(self.persons) - 1

    def remove_person(self, index: int) -> None:
        if len(self.persons) > 1 and 0 <= index < len(self.persons):
            drop_person_links(self.persons, index)
            del self.persons[index]

    def person_label(self, index: int) -> str:
        """Display name of person ``index`` (may be empty)."""
        return display_name(self.persons[index])


def display_name(person: object) -> str:
    """ "Vornamen Familienname" of a draft's person as typed ("" if none)."""
    if not isinstance(person, Mapping):
        return ""
    parts = (person.get("given_names", ""), person.get("family_name", ""))
    return " ".join(p for p in parts if isinstance(p, str) and p).strip()


def citizen_name(payload: Mapping[str, Any]) -> str:
    """Whose case a draft is, for the clerk's screen only (never for logs).

    A registration names its first person (and how many more there are), a
    Personalausweis application its applicant; anything else gives "".
    """
    persons = payload.get("persons")
    if isinstance(persons, list) and persons:
        names = [name for name in (display_name(p) for p in persons) if name]
        if not names:
            return ""
        return names[0] if len(names) == 1 else f"{names[0]} + {len(names) - 1}"
    return display_name(payload.get("person"))
