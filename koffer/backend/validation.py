"""Validate a received case with the same domain rules the suitcase uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from koffer.backend.cashbook import is_closing, validate_closing
from koffer.cases.rules import ensure_valid
from koffer.cases.serialize import case_from_dict
from koffer.errors import ValidationError


def capture_date(created: str) -> date:
    """The day a case was sealed (rules about dates are judged on that day)."""
    try:
        return date.fromisoformat(created[:10])
    except ValueError as exc:
        raise ValidationError(
            "Das Erstellungsdatum des Umschlags ist ungültig.",
            message_en="The envelope's creation date is invalid.",
        ) from exc


def validate_case(case: Mapping[str, Any], created: str) -> None:
    """``case_from_dict`` + ``ensure_valid`` from :mod:`koffer.cases`.

    A Kassenabschluss (:mod:`koffer.backend.cashbook`) is checked for its shape.
    """
    if is_closing(case):
        capture_date(created)
        validate_closing(case, created)
        return
    obj = case_from_dict(dict(case))
    ensure_valid(obj, capture_date(created))


def accept_any(case: Mapping[str, Any], created: str) -> None:
    """A validator that only checks the shape (for tests of the transport alone)."""
    capture_date(created)
    if not isinstance(case, Mapping):
        raise ValidationError("Vorgangsdaten fehlen.", message_en="Case data missing.")
