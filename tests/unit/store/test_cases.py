"""Cases and attachments: round trip, updates, metadata, transactions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from koffer.errors import CryptoError, StoreError
from koffer.store import Store, StoreSettings, UnlockedStore
from tests.unit.store.conftest import ADMIN_PASS

PAYLOAD = {
    "persons": [
        {"familienname": "Dvořák-Þórsdóttir", "vornamen": ["Nœl"], "geboren": "1990-02-03"}
    ],
    "dwelling": {"strasse": "Hauptstraße", "hausnummer": "7a", "plz": "01234"},
    "fee": "46.00",
    "flags": [True, False, None],
    "count": 3,
}


def test_round_trip_payload_and_attachments(unlocked: UnlockedStore) -> None:
    photo, fp = b"\x89PNG" + bytes(range(256)) * 40, b"\xff\xa0WSQ" * 1000
    case_id = unlocked.create_case("personalausweis", PAYLOAD, {"photo": photo, "fp-r2": fp})
    assert re.fullmatch(r"[0-9a-f-]{36}", case_id)
    case = unlocked.load_case(case_id)
    assert case.payload == PAYLOAD
    assert case.case_type == "personalausweis"
    assert case.state == "draft"
    assert case.attachment_names == ("fp-r2", "photo")
    assert re.fullmatch(rf"{datetime.now(UTC).year}-000001", case.case_number)
    assert case.created_at.tzinfo is not None
    assert unlocked.load_attachment(case_id, "photo") == photo
    assert unlocked.load_attachment(case_id, "fp-r2") == fp


def test_save_case_replaces_payload_and_sets_or_deletes_attachments(
    unlocked: UnlockedStore,
) -> None:
    case_id = unlocked.create_case("anmeldung", {"step": 1}, {"a": b"1", "b": b"2"})
    before = unlocked.load_case(case_id)
    unlocked.save_case(case_id, {"step": 2}, {"a": None, "b": b"22", "c": b"3"})
    after = unlocked.load_case(case_id)
    assert after.payload == {"step": 2}
    assert after.attachment_names == ("b", "c")
    assert unlocked.load_attachment(case_id, "b") == b"22"
    assert after.updated_at >= before.updated_at
    # payload None: only attachments change; deleting a missing one is harmless
    unlocked.save_case(case_id, None, {"zz": None, "c": b"33"})
    assert unlocked.load_case(case_id).payload == {"step": 2}
    assert unlocked.load_attachment(case_id, "c") == b"33"
    with pytest.raises(StoreError, match="Anlage"):
        unlocked.load_attachment(case_id, "a")


def test_case_numbers_are_sequential_and_metadata_is_non_personal(
    unlocked: UnlockedStore,
) -> None:
    ids = [unlocked.create_case("anmeldung", {"n": i}) for i in range(3)]
    unlocked.set_state(ids[1], "ready")
    metas = unlocked.list_cases()
    assert [m.case_id for m in metas] == ids
    year = datetime.now(UTC).year
    assert [m.case_number for m in metas] == [f"{year}-00000{i}" for i in (1, 2, 3)]
    assert all(m.readable for m in metas)
    assert [m.case_id for m in unlocked.list_cases(states=["ready"])] == [ids[1]]
    assert unlocked.list_cases(states=[]) == []
    assert not hasattr(metas[0], "payload")
    assert unlocked.case_meta(ids[1]).state == "ready"


def test_unknown_case_and_bad_input_give_german_errors(unlocked: UnlockedStore) -> None:
    with pytest.raises(StoreError, match="nicht gefunden"):
        unlocked.load_case("00000000-0000-0000-0000-000000000000")
    with pytest.raises(StoreError, match="nicht gefunden"):
        unlocked.save_case("nope", {"x": 1})
    with pytest.raises(StoreError, match="kein JSON"):
        unlocked.create_case("anmeldung", {"when": datetime.now(UTC)})
    with pytest.raises(StoreError, match="Anlage"):
        unlocked.create_case("anmeldung", {}, {"Foto von Zoë": b"x"})
    with pytest.raises(StoreError, match="Fallart"):
        unlocked.create_case("Zoë Müller", {})
    # nothing half-written by the refused calls
    assert unlocked.list_cases() == []


def test_transaction_is_all_or_nothing(unlocked: UnlockedStore) -> None:
    kept = unlocked.create_case("anmeldung", {"v": 1})
    with pytest.raises(RuntimeError), unlocked.transaction() as session:
        unlocked.create_case("anmeldung", {"v": 2}, session=session)
        unlocked.save_case(kept, {"v": 99}, session=session)
        unlocked.destroy_case_key(kept, session=session)
        raise RuntimeError("sealing failed")
    assert [m.case_id for m in unlocked.list_cases()] == [kept]
    assert unlocked.load_case(kept).payload == {"v": 1}

    with unlocked.transaction() as session:
        new = unlocked.create_case("anmeldung", {"v": 3}, session=session)
        unlocked.set_state(new, "sealed", session=session)
        session.execute(text("SELECT 1"))
    assert unlocked.load_case(new).state == "sealed"


def test_closed_unlocked_store_refuses_work(store: Store) -> None:
    with store.unlock("admin", ADMIN_PASS) as unlocked:
        case_id = unlocked.create_case("anmeldung", {})
    assert not unlocked.is_open
    with pytest.raises(StoreError, match="gesperrt"):
        unlocked.load_case(case_id)
    with pytest.raises(StoreError, match="gesperrt"):
        unlocked.list_cases()


def test_secrets_are_bound_to_purpose(unlocked: UnlockedStore) -> None:
    blob = unlocked.encrypt_secret("device-identity", b"-----PRIVATE KEY-----")
    assert b"PRIVATE" not in blob
    assert unlocked.decrypt_secret("device-identity", blob) == b"-----PRIVATE KEY-----"
    with pytest.raises(CryptoError):
        unlocked.decrypt_secret("tls-client", blob)


def test_secret_of_another_store_does_not_decrypt(
    unlocked: UnlockedStore, tmp_path: Path, settings: StoreSettings
) -> None:
    other_dir = tmp_path / "other"
    Store.create(other_dir, "admin", "andere-passphrase", settings)
    with (
        Store.open(other_dir, settings) as other,
        other.unlock("admin", "andere-passphrase") as second,
    ):
        blob = second.encrypt_secret("device-identity", b"key")
    with pytest.raises(CryptoError):
        unlocked.decrypt_secret("device-identity", blob)


def test_audit_log_records_events_without_personal_data(unlocked: UnlockedStore) -> None:
    case_id = unlocked.create_case("anmeldung", {"name": "Zoë Müller"})
    unlocked.set_state(case_id, "ready")
    unlocked.audit("documents_printed", copies=2, kind="meldebestaetigung")
    events = [e.event for e in unlocked.list_audit()]
    assert events[:2] == ["store_created", "unlocked"]
    assert events[-3:] == ["case_created", "case_state", "documents_printed"]
    last = unlocked.list_audit(limit=1)[0]
    assert last.detail == {"copies": 2, "kind": "meldebestaetigung"}
    assert last.account == "admin"
    assert all("Zoë" not in str(e) for e in unlocked.list_audit())
    with pytest.raises(StoreError):
        unlocked.audit("Bad Event")
    with pytest.raises(StoreError):
        unlocked.audit("ok", note="x" * 500)
