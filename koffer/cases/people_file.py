"""One person from a line of a people file (``koffer simulate-visit --people``).

The file is data from outside: every field is checked, unknown fields are
refused, and no value is echoed in an error message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from koffer.cases.enums import Sex
from koffer.cases.person import Person
from koffer.errors import ValidationError

__all__ = ["person_from_json"]


def _bad_line(what: str, what_en: str) -> ValidationError:
    return ValidationError(
        f"Die Personendatei enthält einen ungültigen Eintrag: {what}. Bitte korrigieren "
        "Sie die Datei.",
        message_en=f"The people file contains an invalid entry: {what_en}. Please fix the file.",
    )


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def person_from_json(obj: Any) -> Person:
    """A :class:`Person` from one line of a people file.

    Format: ``{"family_name": str, "given_names": [str], "birth_date": "YYYY-MM-DD",
    "birth_place": str, "sex": "m"|"w"|"d"|"x"}``. The rest is filled in: German
    nationality, birth country DE, first given name preferred, marital status
    unknown. Texts are NFC-normalised; DIN 91379 is checked by the rules.

    :raises ValidationError: for a malformed entry (German message, no data echoed).
    """
    if not isinstance(obj, Mapping):
        raise _bad_line("kein JSON-Objekt", "not a JSON object")
    allowed = {"family_name", "given_names", "birth_date", "birth_place", "sex"}
    unknown = [k for k in obj if k not in allowed]
    if unknown:
        raise _bad_line(f"unbekanntes Feld „{unknown[0]}“", f"unknown field '{unknown[0]}'")
    family = obj.get("family_name")
    if not isinstance(family, str) or not family.strip():
        raise _bad_line("Familienname fehlt", "family name missing")
    given = obj.get("given_names", [])
    if not isinstance(given, list) or not all(isinstance(g, str) and g.strip() for g in given):
        raise _bad_line("Vornamen müssen eine Liste von Texten sein", "given names must be a list")
    raw_birth = obj.get("birth_date")
    try:
        if not isinstance(raw_birth, str) or len(raw_birth) != 10:
            raise ValueError(raw_birth)
        birth = date.fromisoformat(raw_birth)
    except ValueError:
        raise _bad_line(
            "Geburtsdatum nicht im Format JJJJ-MM-TT", "birth date not YYYY-MM-DD"
        ) from None
    place = obj.get("birth_place")
    if not isinstance(place, str) or not place.strip():
        raise _bad_line("Geburtsort fehlt", "place of birth missing")
    try:
        sex = Sex(obj.get("sex"))
    except ValueError:
        raise _bad_line("Geschlecht muss m, w, d oder x sein", "sex must be m, w, d or x") from None
    return Person(
        family_name=_nfc(family),
        given_names=[_nfc(g) for g in given],
        preferred_given_name=0 if given else None,
        birth_date=birth,
        birth_place=_nfc(place),
        sex=sex,
    )
