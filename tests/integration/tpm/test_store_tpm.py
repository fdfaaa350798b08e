"""The store bound to a TPM (swtpm through the real TSS): a copied disk yields nothing.

Every test creates a real store with ``Store.create(..., tpm_tcti=...)``
against a fresh simulated TPM. The attacker's view is a copy of the data
directory: on another TPM, on no TPM, with the TPM fields edited away, and
with the store's own counters reset in SQL between guesses.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from koffer.commands import wipe as ops
from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params, derive_key
from koffer.enrollment import device
from koffer.enrollment.enroll import PendingKeys
from koffer.errors import (
    AuthenticationError,
    CryptoError,
    LockedError,
    TpmError,
    TpmUnavailableError,
)
from koffer.store import Store, StoreSettings, files, tpm_slot
from koffer.store.recovery import normalize_code
from koffer.store.slots import SlotBinding
from tests.integration.tpm.swtpm import Swtpm

PASS = "richtige lange Passphrase"
WRONG = "falsche lange Passphrase"
SECRET = b"device signing key material"


def _settings() -> StoreSettings:
    return StoreSettings.insecure_fast()


def _create(data: Path, tcti: str) -> str:
    code = Store.create(data, "admin", PASS, _settings(), tpm_tcti=tcti)
    with Store.open(data, _settings()) as store, store.unlock("admin", PASS) as unlocked:
        unlocked.add_account("clerk1", "clerk", PASS + " clerk")
        assert store.tpm_protected
    return code


def _sql(data: Path, statement: str, *params: object) -> None:
    connection = sqlite3.connect(files.db_path(data))
    try:
        connection.execute(statement, params)
        connection.commit()
    finally:
        connection.close()


def _rows(data: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(files.db_path(data))
    try:
        return list(connection.execute(query))
    finally:
        connection.close()


def _blob(value: object) -> bytes:
    assert isinstance(value, bytes)
    return value


def _copy(data: Path, target: Path) -> Path:
    shutil.copytree(data, target)
    return target


def _point_to(data: Path, tcti: str) -> None:
    _sql(data, "UPDATE store_tpm SET tcti = ?", tcti)


def test_init_with_tpm_unlocks_and_keeps_secrets(swtpm_tcti: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _create(data, swtpm_tcti)
    with Store.open(data, _settings()) as store:
        with store.unlock("admin", PASS) as unlocked:
            blob = unlocked.encrypt_secret("device-identity-credentials", SECRET)
            assert unlocked.decrypt_secret("device-identity-credentials", blob) == SECRET
        with pytest.raises(AuthenticationError):
            store.unlock("admin", WRONG)
        with store.unlock("clerk1", PASS + " clerk") as clerk:
            assert clerk.account.role == "clerk"
    kinds = _rows(data, "SELECT name, slot_kind, tpm_blob IS NOT NULL FROM accounts")
    assert sorted(kinds) == [("admin", "tpm", 1), ("clerk1", "tpm", 1)]
    # doctor sees the binding without unlocking
    facts = tpm_slot.doctor_facts(data)
    assert facts is not None and facts["protected"] and facts["parent_present"]
    assert facts["failed_tries"] == 1


def test_copied_data_dir_on_another_tpm_decrypts_nothing(
    make_swtpm: Callable[[], Swtpm], tmp_path: Path
) -> None:
    original, other = make_swtpm(), make_swtpm()
    data = tmp_path / "data"
    _create(data, original.tcti)
    copy = _copy(data, tmp_path / "copy")
    # the thief's machine has its own TPM, with a store parent at the same handle
    tpm_slot.setup(other.tcti, keys.new_key())
    _point_to(copy, other.tcti)
    with Store.open(copy, _settings()) as store:
        for account, passphrase in (("admin", PASS), ("clerk1", PASS + " clerk")):
            with pytest.raises(TpmError) as info:
                store.unlock(account, passphrase)
            assert "gehört nicht zu diesem TPM" in info.value.message
    # the original still works: the copy changed nothing there
    with Store.open(data, _settings()) as store:
        store.unlock("admin", PASS).close()


def test_copied_data_dir_without_tpm_decrypts_nothing(
    make_swtpm: Callable[[], Swtpm], tmp_path: Path
) -> None:
    original = make_swtpm()
    data = tmp_path / "data"
    _create(data, original.tcti)
    copy = _copy(data, tmp_path / "copy")
    original.stop()  # no TPM reachable at the recorded address
    with Store.open(copy, _settings()) as store:
        with pytest.raises(TpmUnavailableError):
            store.unlock("admin", PASS)


def test_stripping_the_tpm_from_the_copy_does_not_help(swtpm_tcti: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _create(data, swtpm_tcti)
    copy = _copy(data, tmp_path / "copy")
    # the attacker edits the copy into a passphrase-only store
    _sql(copy, "DELETE FROM store_tpm")
    _sql(copy, "UPDATE accounts SET slot_kind = 'passphrase', tpm_blob = NULL")
    with Store.open(copy, _settings()) as store:
        with pytest.raises(AuthenticationError):
            store.unlock("admin", PASS)
    # and offline: the Argon2id output of the right passphrase does not unwrap the slot
    (salt, memory, iterations, lanes, wrapped) = _rows(
        data,
        "SELECT kdf_salt, kdf_memory_kib, kdf_iterations, kdf_lanes, wrapped_store_key "
        "FROM accounts WHERE name = 'admin'",
    )[0]
    params = Argon2Params(int(str(memory)), int(str(iterations)), int(str(lanes)))
    stretched = derive_key(PASS, _blob(salt), params)
    store_id = _rows(data, "SELECT store_id FROM store_info")[0][0]
    for kind in ("passphrase", "tpm"):
        aad = SlotBinding(str(store_id), "admin", "admin", kind=kind).aad()
        with pytest.raises(CryptoError):
            keys.unwrap_key(stretched, _blob(wrapped), aad)


def test_guessing_on_the_laptop_hits_the_tpm_lockout(swtpm_tcti: str, tmp_path: Path) -> None:
    """32 wrong passphrases, the store's own counters reset in SQL each time (a thief
    with the whole laptop can do that): the TPM locks out and refuses the right one."""
    data = tmp_path / "data"
    _create(data, swtpm_tcti)
    max_tries = tpm_slot.DEFAULT_DA.max_tries
    with Store.open(data, _settings()) as store:
        for _ in range(max_tries):
            with pytest.raises(AuthenticationError):
                store.unlock("admin", WRONG)
            _sql(
                data,
                "UPDATE accounts SET failed_attempts = 0, pending_attempts = 0, locked = 0, "
                "last_failed_at = NULL",
            )
        with pytest.raises(LockedError) as info:
            store.unlock("admin", PASS)
        assert "TPM-Sicherheitschip ist nach zu vielen falschen Passphrasen gesperrt" in (
            info.value.message
        )
        # every account shares the TPM's count
        with pytest.raises(LockedError):
            store.unlock("clerk1", PASS + " clerk")
        # a refused-by-lockout attempt is not counted as a wrong passphrase by the store
        assert _rows(data, "SELECT pending_attempts FROM accounts WHERE name = 'admin'") == [(0,)]
    facts = tpm_slot.doctor_facts(data)
    assert facts is not None and facts["locked_out"]


def test_recovery_code_lifts_the_tpm_lockout(swtpm_tcti: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code = _create(data, swtpm_tcti)
    with Store.open(data, _settings()) as store:
        for _ in range(tpm_slot.DEFAULT_DA.max_tries):
            with pytest.raises(AuthenticationError):
                store.unlock("clerk1", WRONG)
            _sql(data, "UPDATE accounts SET failed_attempts = 0, locked = 0, last_failed_at = NULL")
        with pytest.raises(LockedError):
            store.unlock("admin", PASS)
        new_code = store.recover(code, "admin", "neue lange Passphrase")
        assert normalize_code(new_code) != normalize_code(code)
        # the TPM's count is reset and the new passphrase (TPM-sealed again) works
        with store.unlock("admin", "neue lange Passphrase") as unlocked:
            assert unlocked.account.role == "admin"
        store.unlock("clerk1", PASS + " clerk").close()
    kinds = _rows(data, "SELECT slot_kind FROM accounts WHERE name = 'admin'")
    assert kinds == [("tpm",)]
    facts = tpm_slot.doctor_facts(data)
    assert facts is not None and not facts["locked_out"] and facts["failed_tries"] == 0


def test_init_refuses_an_unreachable_tpm_and_leaves_nothing(
    make_swtpm: Callable[[], Swtpm], tmp_path: Path
) -> None:
    gone = make_swtpm()
    tcti = gone.tcti
    gone.stop()
    data = tmp_path / "data"
    with pytest.raises(TpmUnavailableError):
        Store.create(data, "admin", PASS, _settings(), tpm_tcti=tcti)
    assert not Store.exists(data)


def test_wipe_evicts_the_parent_so_old_copies_stay_dead(swtpm_tcti: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _create(data, swtpm_tcti)
    copy = _copy(data, tmp_path / "copy")
    ops.wipe_data_dir(data, home=tmp_path / "nohome")
    assert not data.exists()
    with Store.open(copy, _settings()) as store, pytest.raises(TpmError) as info:
        store.unlock("admin", PASS)
    assert "gehört nicht zu diesem TPM" in info.value.message


def test_device_signing_and_tls_keys_are_under_the_tpm_bound_key(
    make_swtpm: Callable[[], Swtpm], tmp_path: Path
) -> None:
    original, other = make_swtpm(), make_swtpm()
    data = tmp_path / "data"
    _create(data, original.tcti)
    pending = PendingKeys.generate()
    with Store.open(data, _settings()) as store, store.unlock("admin", PASS) as unlocked:
        device.save_pending(unlocked, pending)
    with Store.open(data, _settings()) as store, store.unlock("admin", PASS) as unlocked:
        loaded = device.load_pending(unlocked)
    assert loaded is not None and loaded.to_bytes() == pending.to_bytes()
    copy = _copy(data, tmp_path / "copy")
    raw = b"".join(p.read_bytes() for p in copy.iterdir() if p.is_file())
    for key in (pending.tls_key, pending.signing_key):
        scalar = key.private_numbers().private_value.to_bytes(32, "big")
        assert scalar not in raw
    assert b"PRIVATE KEY" not in raw
    # on another TPM the copy yields no key that could decrypt them
    tpm_slot.setup(other.tcti, keys.new_key())
    _point_to(copy, other.tcti)
    with Store.open(copy, _settings()) as store, pytest.raises(TpmError):
        store.unlock("admin", PASS)
