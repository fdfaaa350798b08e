"""Completion of a case: conversion, rules, state, documents, seal.

No Qt here. :func:`complete_case` blocks (store, crypto, PDF rendering):
the kiosk calls it through ``KioskController.run_in_store``, ``koffer
simulate-visit`` directly. The review before it is :mod:`koffer.casework.review`.

Which stored payloads become a domain case (:func:`to_domain`):

- a registration draft of the kiosk (``kiosk_draft`` with ``case_type``
  anmeldung/abmeldung/hauptwohnung) → :func:`~koffer.casework.registration.draft_to_case`;
- a payload carrying the finished case as ``case_to_dict`` under
  ``"application"`` (the Personalausweis wizard) or ``"case"``;
- a payload that *is* ``case_to_dict`` (``schema_version`` at the top: a
  completed case whose sealing has to be repeated).

Other flows may add converters with :func:`register_converter`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from koffer.cases import (
    Case,
    CaseState,
    Finding,
    RegistrationCase,
    case_from_dict,
    case_to_dict,
    check,
    ensure_valid,
    transition,
)
from koffer.casework.registration import MeldeDraft, draft_to_case
from koffer.errors import ValidationError

if TYPE_CHECKING:
    from koffer.cases import RuleSettings
    from koffer.casework.case_store import CaseStore
    from koffer.documents.antragsquittung import PaymentNote
    from koffer.documents.settings import MunicipalitySettings
    from koffer.queue.outbox import OutboxEntry
    from koffer.store.unlocked import UnlockedStore

log = logging.getLogger(__name__)

#: payload, today, case id, case number → (case or None, findings)
Converter = Callable[[Mapping[str, Any], date, str, str], tuple[Case | None, list[Finding]]]

REGISTRATION_TYPES = ("anmeldung", "abmeldung", "hauptwohnung")


def _registration(
    payload: Mapping[str, Any], today: date, case_id: str, number: str
) -> tuple[Case | None, list[Finding]]:
    return draft_to_case(
        MeldeDraft.from_payload(payload), today, case_id=case_id, case_number=number
    )


_CONVERTERS: dict[str, Converter] = {t: _registration for t in REGISTRATION_TYPES}


def register_converter(case_type: str, converter: Converter) -> None:
    """Let another wizard turn its drafts into domain cases for review/completion."""
    _CONVERTERS[case_type] = converter


def _not_ready() -> ValidationError:
    return ValidationError(
        "Dieser Vorgang ist noch nicht vollständig erfasst. Bitte vervollständigen Sie "
        "zuerst die Angaben im Erfassungsablauf.",
        message_en="This case is not complete yet. Please complete it in the wizard first.",
    )


def to_domain(
    case_type: str, payload: Mapping[str, Any], today: date, case_id: str, number: str
) -> tuple[Case | None, list[Finding]]:
    """The domain case of a stored payload and its findings (see the module docstring)."""
    for key in ("application", "case"):
        inner = payload.get(key)
        if isinstance(inner, Mapping) and "schema_version" in inner:
            case = case_from_dict(dict(inner))
            return case, check(case, today)
    if "schema_version" in payload:
        case = case_from_dict(dict(payload))
        return case, check(case, today)
    converter = _CONVERTERS.get(case_type)
    if converter is None:
        raise _not_ready()
    return converter(payload, today, case_id, number)


# ---------------------------------------------------------------- completion


@dataclass
class Document:
    """A rendered document, kept in memory only (printing may be retried)."""

    kind: str  # "meldebestaetigung" | "antragsquittung"
    title: str  # non-personal: the case number
    pdf: bytes
    printed: bool = False


@dataclass
class Completion:
    case_id: str
    case_number: str
    case_type: str
    warnings: list[Finding]
    documents: list[Document]
    envelope: OutboxEntry | None = None


def render_documents(
    case: Case,
    municipality: MunicipalitySettings,
    today: date,
    *,
    payment: PaymentNote | None = None,
) -> list[Document]:
    """The documents the citizen takes home (pure; PDF bytes in memory).

    ``payment`` (from the cash book) puts the payment method and amount on
    the Antragsquittung.
    """
    if isinstance(case, RegistrationCase):
        from koffer.documents.meldebestaetigung import meldebestaetigung

        pdf = meldebestaetigung(case, municipality, today)
        return [Document("meldebestaetigung", f"Meldebestätigung {case.case_number}", pdf)]
    from koffer.documents.antragsquittung import antragsquittung

    pdf = antragsquittung(case, municipality, today, payment=payment)
    return [Document("antragsquittung", f"Antragsquittung {case.case_number}", pdf)]


def _advance(case: Case, target: CaseState) -> None:
    """Walk the state machine draft → ready → signed → completed."""
    order = [CaseState.DRAFT, CaseState.READY, CaseState.SIGNED, CaseState.COMPLETED]
    if case.state not in order:
        raise _not_ready()
    while case.state is not target:
        case.state = transition(case.state, order[order.index(case.state) + 1])


def complete_case(
    store: CaseStore,
    case_id: str,
    today: date,
    municipality: MunicipalitySettings,
    *,
    seal: Callable[[UnlockedStore, str], OutboxEntry] | None,
    rules: RuleSettings | None = None,
) -> Completion:
    """Rules → state transitions → documents → completed payload → seal (blocking).

    ``rules`` is the configured ``[rules]`` table (defaults without). A
    Reisepass fee is checked by the readings recorded in the application.

    Raises :class:`~koffer.cases.RuleViolation` (nothing changed) when a rule
    fails. Idempotent: a case left ``completed`` by an earlier attempt whose
    sealing failed is sealed now without being changed again.
    """
    stored = store.load_case(case_id)
    case, findings = to_domain(stored.case_type, stored.payload, today, case_id, stored.case_number)
    if case is None:
        first = findings[0] if findings else None
        if first is None:
            raise _not_ready()
        raise ValidationError(first.message, message_en=first.message_en)
    warnings = ensure_valid(case, today, rules)
    payment = None
    if not isinstance(case, RegistrationCase):
        from koffer.casework.payment_desk import payment_note

        payment = payment_note(store.unlocked, stored.case_number)
    documents = render_documents(case, municipality, today, payment=payment)
    if case.state is not CaseState.COMPLETED:
        _advance(case, CaseState.COMPLETED)
        unlocked = store.unlocked
        with unlocked.transaction() as session:
            unlocked.save_case(case_id, case_to_dict(case), None, session=session)
            unlocked.set_state(case_id, CaseState.COMPLETED.value, session=session)
    completion = Completion(case_id, stored.case_number, stored.case_type, warnings, documents)
    if seal is not None:
        completion.envelope = seal(store.unlocked, case_id)
    return completion
