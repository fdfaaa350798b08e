"""The kiosk's view of the encrypted store, on a real store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from koffer.casework.case_store import (
    CaseStore,
    StoreGateway,
    load_attachment,
    remaining_wait,
    save_with_attachments,
)
from koffer.config import Config
from koffer.errors import StoreError
from koffer.store.unlocked import UnlockedStore
from tests.unit.casework.conftest import ACCOUNT, FAST_STORE, PASSPHRASE

PAYLOAD: dict[str, Any] = {"kiosk_draft": 1, "case_type": "anmeldung", "persons": [{}]}


def test_unlocked_is_the_store_it_wraps(unlocked: UnlockedStore) -> None:
    store = CaseStore(unlocked, "clerk-1", "clerk")
    assert store.unlocked is unlocked
    assert (store.account, store.role) == ("clerk-1", "clerk")


def test_create_save_load_and_list(case_store: CaseStore) -> None:
    assert case_store.list_cases() == []
    case_id = case_store.create_case("anmeldung", PAYLOAD)
    stored = case_store.load_case(case_id)
    assert stored.payload == PAYLOAD
    assert stored.state == "draft"
    assert stored.attachment_names == ()

    changed = {**PAYLOAD, "step": "dwelling"}
    case_store.save_case(case_id, changed)
    assert case_store.load_case(case_id).payload == changed
    (meta,) = case_store.list_cases()
    assert (meta.case_id, meta.case_type, meta.state) == (case_id, "anmeldung", "draft")
    assert meta.readable


def test_attachments_round_trip_through_the_store(case_store: CaseStore) -> None:
    case_id = case_store.create_case("personalausweis", PAYLOAD)
    photo = bytes(range(256)) * 40
    strokes = b'[[{"x": 1, "y": 2}]]'
    payload = {**PAYLOAD, "step": "signature"}

    save_with_attachments(
        case_store, case_id, payload, {"photo.jpg": photo, "signature-strokes.json": strokes}
    )

    stored = case_store.load_case(case_id)
    assert stored.payload == payload  # saved in the same go
    assert stored.attachment_names == ("photo.jpg", "signature-strokes.json")
    assert load_attachment(case_store, case_id, "photo.jpg") == photo
    assert load_attachment(case_store, case_id, "signature-strokes.json") == strokes
    assert isinstance(load_attachment(case_store, case_id, "photo.jpg"), bytes)


def test_none_deletes_an_attachment_and_others_stay(case_store: CaseStore) -> None:
    case_id = case_store.create_case("personalausweis", PAYLOAD)
    save_with_attachments(case_store, case_id, PAYLOAD, {"photo.jpg": b"old", "a.png": b"png"})

    save_with_attachments(case_store, case_id, PAYLOAD, {"photo.jpg": None, "b.png": b"new"})

    assert case_store.load_case(case_id).attachment_names == ("a.png", "b.png")
    assert load_attachment(case_store, case_id, "a.png") == b"png"
    with pytest.raises(StoreError) as caught:
        load_attachment(case_store, case_id, "photo.jpg")
    assert "nicht gespeichert" in caught.value.message


def test_attachment_replaced_by_new_bytes(case_store: CaseStore) -> None:
    case_id = case_store.create_case("personalausweis", PAYLOAD)
    save_with_attachments(case_store, case_id, PAYLOAD, {"photo.jpg": b"first"})
    save_with_attachments(case_store, case_id, PAYLOAD, {"photo.jpg": b"second"})
    assert load_attachment(case_store, case_id, "photo.jpg") == b"second"


def test_attachments_are_stored_encrypted(data_dir: Path, case_store: CaseStore) -> None:
    case_id = case_store.create_case("personalausweis", PAYLOAD)
    marker = b"Brzeczyszczykiewicz-photo-" * 64
    save_with_attachments(case_store, case_id, PAYLOAD, {"photo.jpg": marker})
    case_store.unlocked.checkpoint()
    on_disk = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert marker[:26] not in on_disk
    assert load_attachment(case_store, case_id, "photo.jpg") == marker


def test_close_closes_the_unlocked_store(case_store: CaseStore) -> None:
    case_store.close()
    assert not case_store.unlocked.is_open


class _Locked(Exception):
    def __init__(self, **attributes: object) -> None:
        super().__init__("locked")
        for name, value in attributes.items():
            setattr(self, name, value)


@pytest.mark.parametrize(
    ("error", "seconds"),
    [
        (_Locked(remaining_seconds=12), 12.0),
        (_Locked(wait_seconds=2.5), 2.5),
        (_Locked(retry_after=30), 30.0),
        (_Locked(remaining_seconds=0, retry_after=7), 7.0),
        (_Locked(remaining_seconds=-3), 0.0),
        (_Locked(remaining_seconds="12"), 0.0),
        (ValueError("no wait"), 0.0),
    ],
)
def test_remaining_wait(error: BaseException, seconds: float) -> None:
    assert remaining_wait(error) == seconds


def test_gateway_unlocks_an_account(data_dir: Path) -> None:
    gateway = StoreGateway(data_dir, Config(), FAST_STORE)
    gateway.open()
    gateway.open()  # opening twice is harmless
    try:
        assert [a.name for a in gateway.accounts()] == [ACCOUNT]
        store = gateway.unlock(ACCOUNT, PASSPHRASE)
        try:
            assert store.account == ACCOUNT and store.role == "admin"
            case_id = store.create_case("anmeldung", PAYLOAD)
            assert store.load_case(case_id).payload == PAYLOAD
        finally:
            store.close()
    finally:
        gateway.close()
    gateway.close()  # closing twice is harmless


def test_gateway_refuses_a_wrong_passphrase(data_dir: Path) -> None:
    gateway = StoreGateway(data_dir, Config(), FAST_STORE)
    gateway.open()
    try:
        with pytest.raises(StoreError):
            gateway.unlock(ACCOUNT, "falsche Passphrase 123")
    finally:
        gateway.close()


def test_gateway_that_is_not_open_says_so_in_german(data_dir: Path) -> None:
    gateway = StoreGateway(data_dir, Config(), FAST_STORE)
    with pytest.raises(StoreError) as caught:
        gateway.accounts()
    assert caught.value.message == "Der Datenspeicher ist nicht geöffnet."
    gateway.open()
    gateway.close()
    with pytest.raises(StoreError):
        gateway.unlock(ACCOUNT, PASSPHRASE)
