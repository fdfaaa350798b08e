"""Authority that cannot be edited in SQL, and technicians without case keys.

Every edit is made with the ``sqlite3`` module on the real store file, as
someone with the disk (but without a passphrase) would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params
from koffer.errors import AuthenticationError, CryptoError, LockedError, StoreError
from koffer.store import Store, StoreSettings, casecrypto
from koffer.store.authority import slot_of
from koffer.store.models import Account
from koffer.store.slots import SlotBinding, open_slot
from tests.unit.store.conftest import ADMIN_PASS

TECH_PASS = "technik-passphrase"
ANNA_PASS = "anna-passphrase"


def _sql(data_dir: Path, statement: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(data_dir / "koffer-store.sqlite3")
    try:
        rows = con.execute(statement, params).fetchall()
        con.commit()
    finally:
        con.close()
    return rows


@pytest.fixture
def staffed(data_dir: Path, settings: StoreSettings) -> Path:
    with Store.open(data_dir, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("tech", "technician", TECH_PASS)
        admin.add_account("anna", "clerk", ANNA_PASS)
        admin.create_case("anmeldung", {"name": "Erika"})
        admin.encrypt_secret("probe", b"x")  # the device key works for admins
    return data_dir


@pytest.mark.parametrize(("name", "secret"), [("tech", TECH_PASS), ("anna", ANNA_PASS)])
def test_role_edited_to_admin_makes_the_account_unusable(
    staffed: Path, settings: StoreSettings, name: str, secret: str
) -> None:
    _sql(staffed, "UPDATE accounts SET role = 'admin' WHERE name = ?", name)
    with Store.open(staffed, settings) as store:
        with pytest.raises(AuthenticationError):
            store.unlock(name, secret)
        failed = {a.name: a.failed_attempts for a in store.list_accounts()}[name]
    assert failed == 1  # counted like a wrong passphrase, not admitted


def test_role_edited_back_works_again_and_slot_version_edit_does_not(
    staffed: Path, settings: StoreSettings
) -> None:
    _sql(staffed, "UPDATE accounts SET role = 'admin' WHERE name = 'tech'")
    _sql(staffed, "UPDATE accounts SET role = 'technician' WHERE name = 'tech'")
    with Store.open(staffed, settings) as store:
        store.unlock("tech", TECH_PASS).close()
    # pretending to be a slot from before the update does not help either
    _sql(staffed, "UPDATE accounts SET slot_version = 1, role = 'admin' WHERE name = 'tech'")
    with Store.open(staffed, settings) as store, pytest.raises(AuthenticationError):
        store.unlock("tech", TECH_PASS)


def test_admin_does_not_reseal_an_account_whose_role_was_edited(
    staffed: Path, settings: StoreSettings
) -> None:
    _sql(staffed, "UPDATE accounts SET role = 'admin' WHERE name = 'tech'")
    with Store.open(staffed, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        with pytest.raises(StoreError, match="nicht bestätigt"):
            admin.reset_passphrase("tech", "neue-technik-passphrase")
        # a genuine account can still be reset
        admin.reset_passphrase("anna", "anna-neue-passphrase")
    _sql(staffed, "UPDATE accounts SET record_mac = NULL WHERE name = 'anna'")
    with Store.open(staffed, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        with pytest.raises(StoreError, match="nicht bestätigt"):
            admin.reset_passphrase("anna", "anna-dritte-passphrase")


def test_disabled_account_key_is_destroyed_not_flagged(
    staffed: Path, settings: StoreSettings
) -> None:
    [(before,)] = _sql(staffed, "SELECT wrapped_store_key FROM accounts WHERE name = 'anna'")
    with Store.open(staffed, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        admin.disable_account("anna")
    [(after,)] = _sql(staffed, "SELECT wrapped_store_key FROM accounts WHERE name = 'anna'")
    assert isinstance(before, bytes) and len(before) == keys.WRAPPED_SIZE
    assert after == b""
    # the old wrapped key is nowhere in the database file any more
    assert bytes(before) not in (staffed / "koffer-store.sqlite3").read_bytes()
    _sql(staffed, "UPDATE accounts SET disabled = 0 WHERE name = 'anna'")
    with Store.open(staffed, settings) as store, pytest.raises(AuthenticationError):
        store.unlock("anna", ANNA_PASS)


def test_lock_flag_and_counter_edits_are_the_documented_limit(
    staffed: Path, settings: StoreSettings
) -> None:
    # locked accounts refuse the right passphrase ...
    _sql(staffed, "UPDATE accounts SET locked = 1 WHERE name = 'anna'")
    with Store.open(staffed, settings) as store, pytest.raises(LockedError):
        store.unlock("anna", ANNA_PASS)
    # ... but the flag is not authenticated (it is written before any key is
    # known): clearing it in SQL lifts the lock. Whoever can do this has the
    # disk and can guess offline anyway (docs/betrieb.md § 5).
    _sql(staffed, "UPDATE accounts SET locked = 0 WHERE name = 'anna'")
    with Store.open(staffed, settings) as store:
        store.unlock("anna", ANNA_PASS).close()


def test_technician_reads_device_secrets_but_no_case_data(
    staffed: Path, settings: StoreSettings
) -> None:
    with Store.open(staffed, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            secret_blob = admin.encrypt_secret("device-key", b"signing key")
            [case] = admin.list_cases()
        with store.unlock("tech", TECH_PASS) as tech:
            assert not tech.can_read_cases
            assert tech.decrypt_secret("device-key", secret_blob) == b"signing key"
            assert [c.case_number for c in tech.list_cases()] == [case.case_number]
            for call in (
                lambda: tech.load_case(case.case_id),
                lambda: tech.create_case("anmeldung", {"x": 1}),
                lambda: tech.save_case(case.case_id, {"x": 2}),
            ):
                with pytest.raises(StoreError, match="Technik-Konto"):
                    call()
    # cryptographically: what the technician's passphrase unwraps is not the
    # store key, and it does not unwrap the case's data key
    [(wrapped_data_key,)] = _sql(
        staffed, "SELECT wrapped_data_key FROM cases WHERE case_id = ?", case.case_id
    )
    with Store.open(staffed, settings) as store:
        store_id = store.store_id
        rows = {r.name: r for r in _accounts(store)}
    tech_payload = open_slot(
        TECH_PASS, slot_of(rows["tech"]), SlotBinding(store_id, "tech", "technician")
    )
    admin_payload = open_slot(
        ADMIN_PASS, slot_of(rows["admin"]), SlotBinding(store_id, "admin", "admin")
    )
    assert tech_payload != admin_payload
    assert isinstance(wrapped_data_key, bytes)
    casecrypto.unwrap_data_key(
        keys.subkey(admin_payload, "case-data-keys"), case.case_id, wrapped_data_key
    )
    with pytest.raises(CryptoError):
        casecrypto.unwrap_data_key(
            keys.subkey(tech_payload, "case-data-keys"), case.case_id, wrapped_data_key
        )


def _accounts(store: Store) -> list[Account]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    with Session(store._ctx.engine) as session:
        rows = list(session.scalars(select(Account)))
        session.expunge_all()
    return rows


POLICY_SQL = (
    "SELECT argon2_memory_kib, argon2_iterations, max_failed_attempts, "
    "throttle_base_seconds, throttle_max_seconds FROM store_policy"
)


def _strict_store(tmp_path: Path) -> Path:
    data = tmp_path / "strict"
    settings = StoreSettings.insecure_fast(
        argon2=Argon2Params(7168, 5, 1),
        max_failed_attempts=5,
        throttle_base_seconds=2.0,
        throttle_max_seconds=120.0,
    )
    Store.create(data, "admin", ADMIN_PASS, settings)
    with Store.open(data, settings) as store, store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("tech", "technician", TECH_PASS)
    return data


def test_policy_edited_in_sql_is_put_back_at_the_next_sign_in(tmp_path: Path) -> None:
    data = _strict_store(tmp_path)
    before = _sql(data, POLICY_SQL)
    _sql(
        data,
        "UPDATE store_policy SET max_failed_attempts = 1000, throttle_base_seconds = 0, "
        "argon2_memory_kib = 64, argon2_iterations = 1",
    )
    with Store.open(data, StoreSettings.insecure_fast()) as store:
        with store.unlock("tech", TECH_PASS) as tech:  # any role holds the device key
            assert tech.policy().max_failed_attempts == 5
    assert _sql(data, POLICY_SQL) == before
    events = [r[0] for r in _sql(data, "SELECT event FROM audit_log")]
    assert "policy_restored" in events


def test_damaged_sealed_policy_raises_the_rules_to_the_minimums(tmp_path: Path) -> None:
    data = _strict_store(tmp_path)
    _sql(
        data,
        "UPDATE store_policy SET sealed = X'00', max_failed_attempts = 1000, "
        "throttle_base_seconds = 0",
    )
    with Store.open(data, StoreSettings.insecure_fast()) as store:
        store.unlock("admin", ADMIN_PASS).close()
        policy = store.policy()
    assert policy.max_failed_attempts == 10 and policy.throttle_base_seconds == 1.0
    assert policy.argon2 == Argon2Params(7168, 5, 1)
    # and the copy is whole again: a later edit is put back to these values
    _sql(data, "UPDATE store_policy SET max_failed_attempts = 1000")
    with Store.open(data, StoreSettings.insecure_fast()) as store:
        store.unlock("admin", ADMIN_PASS).close()
        assert store.policy().max_failed_attempts == 10


def test_technician_passphrase_change_and_admin_reset_keep_the_device_key_only(
    staffed: Path, settings: StoreSettings
) -> None:
    with Store.open(staffed, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            blob = admin.encrypt_secret("device-key", b"tls key")
        with store.unlock("tech", TECH_PASS) as tech:
            tech.change_passphrase(TECH_PASS, "technik-zwei-passphrase")
        with store.unlock("tech", "technik-zwei-passphrase") as tech:
            assert tech.decrypt_secret("device-key", blob) == b"tls key"
            assert not tech.can_read_cases
        with store.unlock("admin", ADMIN_PASS) as admin:
            admin.reset_passphrase("tech", "technik-drei-passphrase")
        with store.unlock("tech", "technik-drei-passphrase") as tech:
            assert tech.decrypt_secret("device-key", blob) == b"tls key"
            assert not tech.can_read_cases
