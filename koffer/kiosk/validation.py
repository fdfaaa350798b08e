"""Field validators for the forms: each returns ``None`` or the message to show.

They run on the GUI thread on every key press, so they are cheap and pure.
Messages come in the UI language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication

from koffer.cases.dates import parse_date
from koffer.cases.din91379 import InvalidCharacters, validate

Validator = Callable[[str], str | None]


def din91379(datatype: str, language: Callable[[], str]) -> Validator:
    """DIN 91379 data type ``datatype``; the message names the offending character."""

    def check(text: str) -> str | None:
        try:
            validate(text, datatype)
        except InvalidCharacters as exc:
            return exc.localized(language())
        return None

    return check


def date_field(today: Callable[[], date], *, past_only: bool = False) -> Validator:
    def check(text: str) -> str | None:
        value = parse_date(text)
        if value is None:
            return QCoreApplication.translate(
                "Validation",
                "Bitte geben Sie das Datum als TT.MM.JJJJ ein, z. B. 07.03.1985 oder 07031985.",
            )
        if past_only and value > today():
            return QCoreApplication.translate(
                "Validation", "Das Datum liegt in der Zukunft. Bitte prüfen Sie es."
            )
        if value.year < 1880:
            return QCoreApplication.translate("Validation", "Bitte prüfen Sie das Jahr.")
        return None

    return check


def postcode() -> Validator:
    def check(text: str) -> str | None:
        if re.fullmatch(r"\d{5}", text.strip()):
            return None
        return QCoreApplication.translate(
            "Validation", "Eine deutsche Postleitzahl hat genau fünf Ziffern."
        )

    return check


def all_of(*validators: Validator) -> Validator:
    def check(text: str) -> str | None:
        for validator in validators:
            message = validator(text)
            if message is not None:
                return message
        return None

    return check


def required_message() -> str:
    return QCoreApplication.translate("Validation", "Bitte füllen Sie dieses Feld aus.")
