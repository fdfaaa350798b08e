"""Helpers for the domain tests."""

from __future__ import annotations

from datetime import date

from koffer.cases import Person, person_from_json

TODAY = date(2025, 6, 12)


def person(age_years: int, *, family: str = "Müller", given: str = "Anna", days: int = 0) -> Person:
    """A person who is ``age_years`` old on TODAY (born ``days`` earlier than the birthday)."""
    birth = date(TODAY.year - age_years, TODAY.month, TODAY.day)
    birth = date.fromordinal(birth.toordinal() - days)
    return person_from_json(
        {
            "family_name": family,
            "given_names": [given],
            "birth_date": birth.isoformat(),
            "birth_place": "Nürnberg",
            "sex": "w",
        }
    )
