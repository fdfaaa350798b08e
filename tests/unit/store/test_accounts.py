"""Creating, opening, unlocking, throttling, lock-out and account management."""

from __future__ import annotations

import time
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from koffer.crypto.kdf import Argon2Params
from koffer.errors import AuthenticationError, LockedError, StoreError
from koffer.store import Store, StoreSettings, ThrottledError
from tests.unit.store.conftest import ADMIN_PASS


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _fresh(tmp_path: Path, settings: StoreSettings) -> Path:
    """A new store whose own policy comes from ``settings``."""
    path = tmp_path / "fresh"
    Store.create(path, "admin", ADMIN_PASS, settings)
    return path


def test_create_refuses_an_existing_store(data_dir: Path, settings: StoreSettings) -> None:
    with pytest.raises(StoreError, match="bereits einen Datenbestand"):
        Store.create(data_dir, "admin", ADMIN_PASS, settings)


def test_open_without_store_says_what_to_do(tmp_path: Path, settings: StoreSettings) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path / "leer", settings)
    assert "Kein Datenbestand in" in info.value.message
    assert "`koffer init`" in info.value.message
    assert not (tmp_path / "leer").exists()


def test_create_checks_name_and_passphrase(tmp_path: Path, settings: StoreSettings) -> None:
    with pytest.raises(StoreError, match="zu kurz"):
        Store.create(tmp_path / "a", "admin", "kurz", settings)
    with pytest.raises(StoreError, match="Kontoname"):
        Store.create(tmp_path / "b", "Zoë Müller", ADMIN_PASS, settings)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_locked_store_lists_accounts_only(store: Store) -> None:
    [admin] = store.list_accounts()
    assert (admin.name, admin.role, admin.locked, admin.disabled) == (
        "admin",
        "admin",
        False,
        False,
    )
    assert store.accounts() == [admin]
    assert not hasattr(store, "load_case")


def test_wrong_passphrase_and_unknown_account(store: Store) -> None:
    with pytest.raises(AuthenticationError, match="Passphrase ist falsch"):
        store.unlock("admin", "falsche-passphrase")
    with pytest.raises(AuthenticationError, match="Passphrase ist falsch"):
        store.unlock("niemand", ADMIN_PASS)
    assert store.list_accounts()[0].failed_attempts == 1


def test_nfd_passphrase_unlocks_an_nfc_account(store: Store) -> None:
    nfc = unicodedata.normalize("NFC", "Grüße-aus-Ösel")
    with store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("anna", "clerk", nfc)
    with store.unlock("anna", unicodedata.normalize("NFD", nfc)) as anna:
        assert anna.account.role == "clerk"


def test_throttle_grows_and_survives_a_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    settings = StoreSettings.insecure_fast(
        throttle_base_seconds=10.0, throttle_max_seconds=1000.0, max_failed_attempts=5
    )
    data_dir = _fresh(tmp_path, settings)
    store = Store.open(data_dir, settings, clock=clock)
    with pytest.raises(AuthenticationError):
        store.unlock("admin", "falsch-1")
    # even the right passphrase is refused during the wait; it is not counted
    with pytest.raises(ThrottledError) as info:
        store.unlock("admin", ADMIN_PASS)
    assert info.value.remaining_seconds == pytest.approx(10.0)
    assert "10 Sekunden" in info.value.message
    clock.advance(10)
    with pytest.raises(AuthenticationError):
        store.unlock("admin", "falsch-2")
    store.close()

    # a restart resets nothing: the second failure means 20 s
    store = Store.open(data_dir, settings, clock=clock)
    clock.advance(15)
    with pytest.raises(LockedError) as locked:
        store.unlock("admin", ADMIN_PASS)
    assert isinstance(locked.value, ThrottledError)
    assert locked.value.remaining_seconds == pytest.approx(5.0)
    clock.advance(5)
    with store.unlock("admin", ADMIN_PASS) as unlocked:
        assert unlocked.account.name == "admin"
    assert store.list_accounts()[0].failed_attempts == 0  # success resets the counter
    store.close()


def test_throttle_with_a_real_clock(tmp_path: Path) -> None:
    settings = StoreSettings.insecure_fast(throttle_base_seconds=0.2, throttle_max_seconds=1.0)
    data_dir = _fresh(tmp_path, settings)
    with Store.open(data_dir, settings) as store:
        with pytest.raises(AuthenticationError):
            store.unlock("admin", "falsch-1")
        with pytest.raises(ThrottledError):
            store.unlock("admin", ADMIN_PASS)
        time.sleep(0.25)
        store.unlock("admin", ADMIN_PASS).close()


def test_lockout_after_max_failures_and_admin_unlock(tmp_path: Path) -> None:
    settings = StoreSettings.insecure_fast(max_failed_attempts=3)
    data_dir = _fresh(tmp_path, settings)
    with Store.open(data_dir, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            admin.add_account("anna", "clerk", "anna-passphrase")
            admin.add_account("chef", "admin", "chef-passphrase")
        for attempt in range(2):
            with pytest.raises(AuthenticationError):
                store.unlock("anna", f"falsch-{attempt}")
        with pytest.raises(LockedError, match="gesperrt"):
            store.unlock("anna", "falsch-3")
        # locked: the right passphrase does not help, not even after a restart
        with pytest.raises(LockedError, match="entsperren"):
            store.unlock("anna", "anna-passphrase")
    with Store.open(data_dir, settings) as store:
        assert {a.name: a.locked for a in store.list_accounts()}["anna"]
        with pytest.raises(LockedError):
            store.unlock("anna", "anna-passphrase")
        with store.unlock("chef", "chef-passphrase") as chef:
            chef.unlock_account("anna")
        with store.unlock("anna", "anna-passphrase") as anna:
            events = [e.event for e in anna.list_audit()]
        assert "account_locked" in events and "account_unlocked" in events


def test_only_admins_manage_accounts(store: Store) -> None:
    with store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("tech", "technician", "tech-passphrase")
        with pytest.raises(StoreError, match="gibt es bereits"):
            admin.add_account("tech", "clerk", "tech-passphrase")
        with pytest.raises(StoreError, match="Rolle"):
            admin.add_account("boss", "superuser", "boss-passphrase")
        with pytest.raises(StoreError, match="gibt es nicht"):
            admin.disable_account("ghost")
    with store.unlock("tech", "tech-passphrase") as tech:
        for call in (
            lambda: tech.add_account("x", "clerk", "x-passphrase"),
            lambda: tech.disable_account("admin"),
            lambda: tech.unlock_account("admin"),
            lambda: tech.reset_passphrase("admin", "neue-passphrase"),
        ):
            with pytest.raises(StoreError, match="Nur ein Administrator-Konto"):
                call()
        assert [a.name for a in tech.list_accounts()] == ["admin", "tech"]


def test_disabled_account_cannot_unlock_and_last_admin_stays(store: Store) -> None:
    with store.unlock("admin", ADMIN_PASS) as admin:
        with pytest.raises(StoreError, match="letzte aktive Administrator"):
            admin.disable_account("admin")
        admin.add_account("anna", "clerk", "anna-passphrase")
        admin.disable_account("anna")
        admin.disable_account("anna")  # twice is harmless
    with pytest.raises(AuthenticationError, match="deaktiviert"):
        store.unlock("anna", "anna-passphrase")


def test_change_and_reset_passphrase(store: Store) -> None:
    with store.unlock("admin", ADMIN_PASS) as admin:
        admin.add_account("anna", "clerk", "anna-passphrase")
        with pytest.raises(AuthenticationError, match="bisherige Passphrase"):
            admin.change_passphrase("falsch-falsch", "neu-neu-neu-neu")
        admin.change_passphrase(ADMIN_PASS, "neu-neu-neu-neu")
        admin.reset_passphrase("anna", "anna-neu-neu")
    with pytest.raises(AuthenticationError):
        store.unlock("admin", ADMIN_PASS)
    with store.unlock("admin", "neu-neu-neu-neu") as again:
        case_id = again.create_case("anmeldung", {"x": 1})
    with store.unlock("anna", "anna-neu-neu") as anna:
        assert anna.load_case(case_id).payload == {"x": 1}  # same store key


def test_raised_policy_rewraps_on_unlock(data_dir: Path, settings: StoreSettings) -> None:
    stronger = Argon2Params(memory_kib=7168, iterations=5, lanes=1)
    with Store.open(data_dir, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            admin.set_policy(
                replace(
                    admin.policy(),
                    argon2=stronger,
                    throttle_base_seconds=1.0,
                    throttle_max_seconds=60.0,
                )
            )
        store.unlock("admin", ADMIN_PASS).close()
    import sqlite3

    con = sqlite3.connect(data_dir / "koffer-store.sqlite3")
    row = con.execute("SELECT kdf_memory_kib, kdf_iterations, kdf_lanes FROM accounts").fetchone()
    con.close()
    assert row == (7168, 5, 1)
    with Store.open(data_dir, settings) as store:
        store.unlock("admin", ADMIN_PASS).close()


def test_closed_store_refuses(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="geschlossen"):
        store.list_accounts()


def test_abandoned_attempts_count_as_failures_but_do_not_block_for_ever(tmp_path: Path) -> None:
    import sqlite3

    clock = FakeClock()
    settings = StoreSettings.insecure_fast(max_failed_attempts=5)
    data_dir = _fresh(tmp_path, settings)
    # three processes reserved an attempt and died during Argon2id
    con = sqlite3.connect(data_dir / "koffer-store.sqlite3")
    con.execute(
        "UPDATE accounts SET pending_attempts = 3, last_failed_at = ? WHERE name = 'admin'",
        (clock.now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
    )
    con.commit()
    con.close()
    with Store.open(data_dir, settings, clock=clock) as store:
        # still "under way": two more may start, the sixth finds the limit
        for attempt in range(2):
            with pytest.raises((AuthenticationError, LockedError)):
                store.unlock("admin", f"falsch-{attempt}")
        with pytest.raises(LockedError):
            store.unlock("admin", ADMIN_PASS)
        assert store.list_accounts()[0].failed_attempts == 2
        # later they are counted as failures: 2 + 3 = 5 = the limit, locked
        clock.advance(301)
        with pytest.raises(LockedError, match="gesperrt"):
            store.unlock("admin", ADMIN_PASS)
        [admin] = store.list_accounts()
        assert (admin.failed_attempts, admin.locked) == (5, True)
