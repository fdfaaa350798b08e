"""Formatting persons and dwellings for documents (shared by several documents)."""

from __future__ import annotations

from koffer.cases.dwelling import Dwelling
from koffer.cases.person import Person
from koffer.documents.labels import country


def given_name_segments(person: Person) -> list[tuple[str, bool]]:
    """Vornamen as (text, underlined) segments; the gebräuchlicher Vorname is underlined."""
    names = [name for name in person.given_names if name.strip()]
    if not names:
        return []
    segments: list[tuple[str, bool]] = []
    preferred = person.preferred_given_name
    for index, name in enumerate(person.given_names):
        if not name.strip():
            continue
        if segments:
            segments.append((" ", False))
        segments.append((name, index == preferred))
    return segments


def full_name(person: Person) -> str:
    """Doktorgrad, Vornamen and Familienname on one line."""
    parts = [person.doctoral_degree or "", " ".join(person.given_names), person.family_name]
    return " ".join(part.strip() for part in parts if part and part.strip())


def address_lines(dwelling: Dwelling) -> list[str]:
    """The address as postal lines."""
    number = f"{dwelling.house_number}{dwelling.addition or ''}".strip()
    lines = [f"{dwelling.street} {number}".strip()]
    if dwelling.floor_or_flat:
        lines.append(dwelling.floor_or_flat)
    lines.append(f"{dwelling.postcode} {dwelling.city}".strip())
    if dwelling.district:
        lines.append(f"Ortsteil {dwelling.district}")
    if not dwelling.is_domestic:
        lines.append(country(dwelling.country))
    return [line for line in lines if line]
