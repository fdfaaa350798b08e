"""Amounts: integer cents inside, EUR text with two decimals outside. Pure."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from koffer.errors import ConfigError

_EUR = re.compile(r"-?\d{1,9}([.,]\d{1,2})?")


def parse_eur(text: str) -> int:
    """``"46"``, ``"46.5"``, ``"46,50"`` -> cents; :class:`ConfigError` otherwise."""
    value = text.strip()
    if not _EUR.fullmatch(value):
        raise ConfigError(
            f"Betrag „{text}“ ist ungültig. Bitte in Euro mit höchstens zwei "
            "Nachkommastellen angeben, zum Beispiel 46.00.",
            message_en=f"Amount {text!r} is not valid; give EUR with at most two decimals.",
        )
    return decimal_to_cents(Decimal(value.replace(",", ".")))


def decimal_to_cents(amount: Decimal) -> int:
    """A :class:`Decimal` EUR amount with at most two decimals -> cents."""
    try:
        cents = amount * 100
        if cents != cents.to_integral_value():
            raise InvalidOperation
    except InvalidOperation as exc:
        raise ConfigError(
            f"Betrag {amount} hat mehr als zwei Nachkommastellen.",
            message_en=f"Amount {amount} has more than two decimals.",
        ) from exc
    return int(cents)


def format_eur(cents: int) -> str:
    """Cents -> ``"46.00"`` (``"-46.00"`` for a negative amount)."""
    sign = "-" if cents < 0 else ""
    value = abs(cents)
    return f"{sign}{value // 100}.{value % 100:02d}"


def format_eur_de(cents: int) -> str:
    """Cents -> ``"46,00 EUR"`` for German text."""
    return format_eur(cents).replace(".", ",") + " EUR"
