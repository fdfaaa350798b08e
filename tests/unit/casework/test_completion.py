"""Completion of a case on a real store: conversion, rules, state, documents, seal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from koffer.cases import (
    Case,
    CaseState,
    CaseType,
    Finding,
    IdCardApplication,
    RegistrationCase,
    RuleViolation,
    case_from_dict,
    case_to_dict,
    sample_case,
)
from koffer.casework import completion
from koffer.casework.case_store import CaseStore
from koffer.casework.completion import (
    complete_case,
    register_converter,
    render_documents,
    to_domain,
)
from koffer.casework.sealing import seal_completed
from koffer.crypto.enrollment import DeviceCredentials
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import TransmissionError, ValidationError
from koffer.queue.outbox import Outbox, OutboxEntry
from koffer.store.unlocked import UnlockedStore
from tests.unit.casework.conftest import TODAY, complete_anmeldung

MUNICIPALITY = MunicipalitySettings(name="Gemeinde Musterdorf", address=("Rathausplatz 1",))


def _draft(store: CaseStore, payload: Mapping[str, Any] | None = None) -> str:
    return store.create_case("anmeldung", payload or complete_anmeldung().to_payload())


def _events(unlocked: UnlockedStore, event: str) -> int:
    return [e.event for e in unlocked.list_audit()].count(event)


# ---------------------------------------------------------------- to_domain


def test_to_domain_converts_a_registration_draft() -> None:
    payload = complete_anmeldung().to_payload()
    case, findings = to_domain("anmeldung", payload, TODAY, "case-1", "2025-000001")
    assert isinstance(case, RegistrationCase)
    assert findings == []
    assert case.case_id == "case-1" and case.case_number == "2025-000001"


@pytest.mark.parametrize("key", ["application", "case"])
def test_to_domain_reads_a_finished_case_inside_the_payload(key: str) -> None:
    sample = sample_case(CaseType.PERSONALAUSWEIS, 3, TODAY)
    payload = {"kiosk_draft": 1, "case_type": "personalausweis", key: case_to_dict(sample)}
    case, findings = to_domain("personalausweis", payload, TODAY, "x", "2025-000002")
    assert isinstance(case, IdCardApplication)
    assert case_to_dict(case) == case_to_dict(sample)
    assert [f for f in findings if f.severity == "error"] == []


def test_to_domain_reads_a_payload_that_is_a_case() -> None:
    sample = sample_case(CaseType.HAUPTWOHNUNG, 4, TODAY)
    case, findings = to_domain("hauptwohnung", case_to_dict(sample), TODAY, "x", "y")
    assert case is not None and case_to_dict(case) == case_to_dict(sample)
    assert [f for f in findings if f.severity == "error"] == []


def test_to_domain_without_a_converter_is_not_ready() -> None:
    with pytest.raises(ValidationError) as caught:
        to_domain("personalausweis", {"kiosk_draft": 1, "step": "photo"}, TODAY, "x", "y")
    assert caught.value.message.startswith("Dieser Vorgang ist noch nicht vollständig erfasst.")


def test_registered_converter_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # a private copy of the registry, so that other tests do not see the new converter
    monkeypatch.setattr(completion, "_CONVERTERS", dict(completion._CONVERTERS))
    sample = sample_case(CaseType.ANMELDUNG, 5, TODAY)
    calls: list[tuple[str, str]] = []

    def convert(
        payload: Mapping[str, Any], today: date, case_id: str, number: str
    ) -> tuple[Case | None, list[Finding]]:
        calls.append((case_id, number))
        return sample, []

    register_converter("umzugsmeldung", convert)
    case, findings = to_domain("umzugsmeldung", {"kiosk_draft": 1}, TODAY, "c-9", "2025-000009")
    assert case is sample and findings == []
    assert calls == [("c-9", "2025-000009")]


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("case_type", "kind", "title"),
    [
        (CaseType.ANMELDUNG, "meldebestaetigung", "Meldebestätigung"),
        (CaseType.ABMELDUNG, "meldebestaetigung", "Meldebestätigung"),
        (CaseType.HAUPTWOHNUNG, "meldebestaetigung", "Meldebestätigung"),
        (CaseType.PERSONALAUSWEIS, "antragsquittung", "Antragsquittung"),
    ],
)
def test_render_documents_gives_one_pdf(case_type: CaseType, kind: str, title: str) -> None:
    case = sample_case(case_type, 1, TODAY)
    (document,) = render_documents(case, MUNICIPALITY, TODAY)
    assert document.kind == kind
    assert document.pdf.startswith(b"%PDF")
    assert document.title == f"{title} {case.case_number}"
    assert not document.printed
    # the title goes to the printer: no personal data in it
    family_names = (
        [case.person.family_name]
        if isinstance(case, IdCardApplication)
        else [p.family_name for p in case.persons]
    )
    assert not any(name in document.title for name in family_names)


# ---------------------------------------------------------------- complete_case


def test_complete_draft_becomes_completed_with_documents(case_store: CaseStore) -> None:
    unlocked = case_store.unlocked
    case_id = _draft(case_store)
    number = unlocked.case_meta(case_id).case_number

    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)

    assert result.case_id == case_id
    assert result.case_number == number
    assert result.case_type == "anmeldung"
    assert result.warnings == []
    assert result.envelope is None  # seal=None: no envelope
    (document,) = result.documents
    assert document.kind == "meldebestaetigung"
    assert document.pdf.startswith(b"%PDF")
    assert number in document.title
    stored = case_store.load_case(case_id)
    assert stored.state == "completed"
    assert unlocked.case_meta(case_id).readable
    # the payload is the finished case now, in state "completed"
    case = case_from_dict(stored.payload)
    assert isinstance(case, RegistrationCase)
    assert case.state is CaseState.COMPLETED
    assert case.case_id == case_id and case.case_number == number
    assert [p.given_names for p in case.persons] == [["Anna", "Lena"], ["Zoë"]]
    assert Outbox(unlocked).counts() == {}
    assert _events(unlocked, "case_state") == 1


def test_completing_again_changes_nothing(case_store: CaseStore) -> None:
    unlocked = case_store.unlocked
    case_id = _draft(case_store)
    complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)
    before = case_store.load_case(case_id)
    audit_before = len(unlocked.list_audit())

    again = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)

    after = case_store.load_case(case_id)
    assert after.state == "completed"
    assert after.payload == before.payload
    assert after.updated_at == before.updated_at
    assert len(unlocked.list_audit()) == audit_before
    assert again.documents[0].pdf.startswith(b"%PDF")
    assert again.envelope is None


def test_rule_violation_leaves_the_draft_unchanged(case_store: CaseStore) -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "family_name", "")
    case_id = _draft(case_store, draft.to_payload())
    before = case_store.load_case(case_id)

    with pytest.raises(RuleViolation) as caught:
        complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)

    assert caught.value.field == "persons[0].family_name"
    assert caught.value.message == "Familienname: Bitte geben Sie einen Wert ein."
    assert caught.value.findings[0].severity == "error"
    after = case_store.load_case(case_id)
    assert after.state == "draft"
    assert after.payload == before.payload
    assert after.updated_at == before.updated_at
    assert _events(case_store.unlocked, "case_state") == 0


def test_unparseable_draft_raises_its_first_finding(case_store: CaseStore) -> None:
    draft = complete_anmeldung()
    draft.set_person_field(0, "birth_date", "7.3.")
    case_id = _draft(case_store, draft.to_payload())
    before = case_store.load_case(case_id)

    with pytest.raises(ValidationError) as caught:
        complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)

    assert not isinstance(caught.value, RuleViolation)
    assert caught.value.message == "Geburtsdatum: Bitte geben Sie das Datum als TT.MM.JJJJ ein."
    after = case_store.load_case(case_id)
    assert after.state == "draft" and after.payload == before.payload


def test_late_registration_completes_with_its_warning(case_store: CaseStore) -> None:
    draft = complete_anmeldung()
    draft.set_dwelling_field("move_in_date", "01.09.2025")
    case_id = _draft(case_store, draft.to_payload())
    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)
    assert [w.field for w in result.warnings] == ["move_in_date"]
    assert all(w.severity == "warning" for w in result.warnings)
    assert case_store.load_case(case_id).state == "completed"


def test_id_card_application_completes_with_a_receipt(case_store: CaseStore) -> None:
    sample = sample_case(CaseType.PERSONALAUSWEIS, 2, TODAY)
    payload = {
        "kiosk_draft": 1,
        "case_type": "personalausweis",
        "application": case_to_dict(sample),
    }
    case_id = case_store.create_case("personalausweis", payload)

    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=None)

    (document,) = result.documents
    assert document.kind == "antragsquittung" and document.pdf.startswith(b"%PDF")
    stored = case_store.load_case(case_id)
    assert stored.state == "completed"
    assert "schema_version" in stored.payload and "kiosk_draft" not in stored.payload
    assert case_from_dict(stored.payload).state is CaseState.COMPLETED


def test_seal_runs_after_the_completed_state_is_committed(
    case_store: CaseStore, creds: DeviceCredentials
) -> None:
    case_id = _draft(case_store)
    seen: list[str] = []

    def seal(store: UnlockedStore, sealed_id: str) -> OutboxEntry:
        assert store is case_store.unlocked
        seen.append(store.case_meta(sealed_id).state)
        return seal_completed(store, sealed_id, creds=creds)

    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=seal)

    assert seen == ["completed"]
    assert result.envelope is not None
    assert result.envelope.state == "sealed"
    assert result.envelope.case_number == result.case_number
    meta = case_store.unlocked.case_meta(case_id)
    assert meta.state == "sealed" and not meta.readable
    assert Outbox(case_store.unlocked).counts() == {"sealed": 1}


def test_failed_sealing_leaves_a_completed_case_that_is_sealed_on_retry(
    case_store: CaseStore, creds: DeviceCredentials
) -> None:
    unlocked = case_store.unlocked
    case_id = _draft(case_store)

    def not_enrolled(store: UnlockedStore, sealed_id: str) -> OutboxEntry:
        return seal_completed(store, sealed_id)  # no identity stored: refused

    with pytest.raises(TransmissionError) as caught:
        complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=not_enrolled)
    assert "noch nicht bei der Gegenstelle eingerichtet" in caught.value.message
    assert case_store.load_case(case_id).state == "completed"
    assert Outbox(unlocked).counts() == {}
    payload = case_store.load_case(case_id).payload

    def enrolled(store: UnlockedStore, sealed_id: str) -> OutboxEntry:
        assert store.load_case(sealed_id).payload == payload  # not changed again
        return seal_completed(store, sealed_id, creds=creds)

    result = complete_case(case_store, case_id, TODAY, MUNICIPALITY, seal=enrolled)
    assert result.envelope is not None
    assert unlocked.case_meta(case_id).state == "sealed"
    assert Outbox(unlocked).counts() == {"sealed": 1}
