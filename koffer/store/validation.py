"""Checks of identifiers the store keeps in plaintext.

Account names, case types, states, attachment names and audit event names
are stored unencrypted, so they must be short technical identifiers, never
free text that could carry personal data. Messages never echo the value.
"""

from __future__ import annotations

import re

from koffer.errors import StoreError
from koffer.store.records import ROLES

_ACCOUNT = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ATTACHMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_EVENT = re.compile(r"[a-z][a-z0-9_.-]{0,63}")


def account_name(name: str) -> str:
    if not _ACCOUNT.fullmatch(name):
        raise StoreError(
            "Ungültiger Kontoname. Erlaubt sind Kleinbuchstaben a–z, Ziffern, Punkt, "
            "Binde- und Unterstrich (höchstens 64 Zeichen, beginnend mit einem Buchstaben).",
            message_en="Invalid account name. Use a-z, digits, '.', '-', '_' "
            "(at most 64 characters, starting with a letter).",
        )
    return name


def role(value: str) -> str:
    if value not in ROLES:
        raise StoreError(
            f"Unbekannte Rolle. Erlaubt sind: {', '.join(ROLES)}.",
            message_en=f"Unknown role. Allowed: {', '.join(ROLES)}.",
        )
    return value


def passphrase(value: str, min_length: int) -> str:
    if len(value) < min_length:
        raise StoreError(
            f"Die Passphrase ist zu kurz. Bitte wählen Sie mindestens {min_length} Zeichen.",
            message_en=f"The passphrase is too short. Use at least {min_length} characters.",
        )
    if value != value.strip() or "\n" in value or "\r" in value:
        raise StoreError(
            "Die Passphrase darf nicht mit Leerzeichen beginnen oder enden und keinen "
            "Zeilenumbruch enthalten.",
            message_en="The passphrase must not start or end with spaces or contain line breaks.",
        )
    return value


def identifier(value: str, what: str, what_en: str) -> str:
    """A case type or state: a short technical name."""
    if not _IDENTIFIER.fullmatch(value):
        raise StoreError(
            f"Ungültiger {what}: erlaubt sind Buchstaben A–Z, Ziffern, Punkt, Binde- und "
            "Unterstrich (höchstens 64 Zeichen).",
            message_en=f"Invalid {what_en}: use A-Z, digits, '.', '-', '_' (at most 64).",
        )
    return value


def attachment_name(value: str) -> str:
    if not _ATTACHMENT.fullmatch(value):
        raise StoreError(
            "Ungültiger Name einer Anlage: erlaubt sind Buchstaben A–Z, Ziffern, Punkt, "
            "Binde- und Unterstrich (höchstens 128 Zeichen).",
            message_en="Invalid attachment name: use A-Z, digits, '.', '-', '_' (at most 128).",
        )
    return value


def event_name(value: str) -> str:
    if not _EVENT.fullmatch(value):
        raise StoreError(
            "Ungültiger Name eines Protokolleintrags.",
            message_en="Invalid audit event name.",
        )
    return value


def audit_detail(detail: dict[str, str | int]) -> dict[str, str | int]:
    for key, value in detail.items():
        if not _EVENT.fullmatch(key) or not isinstance(value, str | int):
            raise StoreError(
                "Ungültige Angabe im Protokolleintrag (nur kurze Texte und Zahlen).",
                message_en="Invalid audit detail (only short texts and numbers).",
            )
        if isinstance(value, str) and len(value) > 200:
            raise StoreError(
                "Angabe im Protokolleintrag ist zu lang (höchstens 200 Zeichen).",
                message_en="Audit detail too long (at most 200 characters).",
            )
    return detail
