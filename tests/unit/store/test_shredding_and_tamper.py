"""Crypto-shredding, and refusal of altered or swapped ciphertexts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from koffer.errors import CryptoError, StoreError
from koffer.store import Store, UnlockedStore


def _raw(store: Store) -> sqlite3.Connection:
    return sqlite3.connect(store.db_path, isolation_level=None)


def _files_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file())


def test_destroyed_case_key_makes_the_case_unrecoverable(
    store: Store, unlocked: UnlockedStore
) -> None:
    case_id = unlocked.create_case("personalausweis", {"x": "y" * 500}, {"photo": b"p" * 5000})
    keep = unlocked.create_case("anmeldung", {"keep": True})
    with _raw(store) as con:
        wrapped, payload = con.execute(
            "SELECT wrapped_data_key, payload FROM cases WHERE case_id = ?", (case_id,)
        ).fetchone()
        (photo_blob,) = con.execute("SELECT blob FROM attachments").fetchone()
    con.close()
    assert wrapped in _files_bytes(store.data_dir)  # the scan below can see it

    unlocked.destroy_case_key(case_id)
    unlocked.destroy_case_key(case_id)  # twice is harmless

    with pytest.raises(StoreError, match="unwiderruflich gelöscht"):
        unlocked.load_case(case_id)
    with pytest.raises(StoreError, match="unwiderruflich gelöscht"):
        unlocked.load_attachment(case_id, "photo")
    with pytest.raises(StoreError, match="unwiderruflich gelöscht"):
        unlocked.save_case(case_id, {"x": 1})
    meta = {m.case_id: m for m in unlocked.list_cases()}
    assert not meta[case_id].readable and meta[keep].readable
    assert unlocked.load_case(keep).payload == {"keep": True}
    assert "case_key_destroyed" in [e.event for e in unlocked.list_audit()]

    # the old key and ciphertexts are gone from every file (db, WAL, shm)
    everything = _files_bytes(store.data_dir)
    for secret in (wrapped, payload, photo_blob[:64], photo_blob[-64:]):
        assert secret not in everything
    assert store.integrity_check()


def _first_case(store: Store, unlocked: UnlockedStore) -> tuple[str, str]:
    a = unlocked.create_case("anmeldung", {"who": "a"}, {"photo": b"A" * 100, "sig": b"S" * 100})
    b = unlocked.create_case("anmeldung", {"who": "b"}, {"photo": b"B" * 100})
    return a, b


def test_flipped_byte_in_payload_is_refused(store: Store, unlocked: UnlockedStore) -> None:
    a, _ = _first_case(store, unlocked)
    con = _raw(store)
    (blob,) = con.execute("SELECT payload FROM cases WHERE case_id = ?", (a,)).fetchone()
    tampered = bytearray(blob)
    tampered[len(tampered) // 2] ^= 0x40
    con.execute("UPDATE cases SET payload = ? WHERE case_id = ?", (bytes(tampered), a))
    con.close()
    with pytest.raises(CryptoError, match="verändert"):
        unlocked.load_case(a)


def test_swapped_attachments_are_refused(store: Store, unlocked: UnlockedStore) -> None:
    a, b = _first_case(store, unlocked)
    con = _raw(store)
    photo, sig = (
        con.execute(
            "SELECT blob FROM attachments WHERE case_id = ? AND name = ?", (a, name)
        ).fetchone()[0]
        for name in ("photo", "sig")
    )
    con.execute("UPDATE attachments SET blob = ? WHERE case_id = ? AND name = 'photo'", (sig, a))
    con.execute("UPDATE attachments SET blob = ? WHERE case_id = ? AND name = 'sig'", (photo, a))
    con.close()
    with pytest.raises(CryptoError):
        unlocked.load_attachment(a, "photo")
    with pytest.raises(CryptoError):
        unlocked.load_attachment(a, "sig")
    assert unlocked.load_attachment(b, "photo") == b"B" * 100


def test_blobs_moved_between_cases_are_refused(store: Store, unlocked: UnlockedStore) -> None:
    a, b = _first_case(store, unlocked)
    con = _raw(store)
    row_a = con.execute(
        "SELECT wrapped_data_key, payload FROM cases WHERE case_id=?", (a,)
    ).fetchone()
    # b gets a's payload (under a's key): refused even with a's key moved along
    con.execute("UPDATE cases SET wrapped_data_key = ?, payload = ? WHERE case_id = ?", (*row_a, b))
    con.close()
    with pytest.raises(CryptoError):
        unlocked.load_case(b)
    assert unlocked.load_case(a).payload == {"who": "a"}
