"""Words for machine values a person reads: outbox states, roles, case types.

Also the states of a case at the Gegenstelle (``koffer backend stats``).

One table, Qt-free, importing nothing of koffer: the command line uses it
directly; the kiosk keeps its ``tr()`` texts (for Qt Linguist) but says the
same German words (``tests/gui`` checks them against this table). Names follow
``docs/glossar.md``. Stored values, ``--json`` output and the command-line
input (``--role clerk``) stay the machine values.
"""

from __future__ import annotations

#: outbox state -> (German, English), as the kiosk's Postausgang shows them
OUTBOX_STATES: dict[str, tuple[str, str]] = {
    "sealed": ("wartet auf Versand", "waiting to be sent"),
    "sending": ("wird gesendet", "being sent"),
    "acknowledged": ("bestätigt", "acknowledged"),
    "purged": ("übertragen, Quittung liegt vor", "sent, receipt kept"),
    "rejected": ("abgelehnt", "rejected"),
    "dead_letter": ("unzustellbar", "undeliverable"),
}

#: state of a case received by the Gegenstelle -> (German, English), ``koffer backend stats``
BACKEND_STATES: dict[str, tuple[str, str]] = {
    "received": ("eingegangen", "received"),
    "exported": ("an das Fachverfahren exportiert", "exported to the registry software"),
}

#: account role -> (German, English), as the kiosk's Verwaltung (accounts) shows them
ROLES: dict[str, tuple[str, str]] = {
    "clerk": ("Sachbearbeitung", "clerk"),
    "technician": ("Technik", "technician"),
    "admin": ("Administration", "administration"),
}

#: case type -> (German, English), as the kiosk's Übersicht shows them
CASE_TYPES: dict[str, tuple[str, str]] = {
    "anmeldung": ("Anmeldung", "registration"),
    "abmeldung": ("Abmeldung", "deregistration"),
    "hauptwohnung": ("Wechsel der Hauptwohnung", "change of main residence"),
    "personalausweis": ("Personalausweis", "identity card"),
    "reisepass": ("Reisepass", "passport"),
}


def _label(table: dict[str, tuple[str, str]], value: str, language: str) -> str:
    words = table.get(value)
    if words is None:
        return value
    return words[1] if language == "en" else words[0]


def outbox_state(state: str, language: str = "de") -> str:
    """The outbox ``state`` in words (an unknown value is shown as it is)."""
    return _label(OUTBOX_STATES, state, language)


def backend_state(state: str, language: str = "de") -> str:
    """The state of a case at the Gegenstelle in words."""
    return _label(BACKEND_STATES, state, language)


def role(name: str, language: str = "de") -> str:
    """The account role ``name`` in words."""
    return _label(ROLES, name, language)


def case_type(name: str, language: str = "de") -> str:
    """The case type ``name`` in words."""
    return _label(CASE_TYPES, name, language)


def role_choices(language: str = "de") -> str:
    """``clerk (Sachbearbeitung), technician (Technik), admin (Administration)``."""
    return ", ".join(f"{value} ({_label(ROLES, value, language)})" for value in ROLES)
