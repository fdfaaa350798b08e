"""The store's own security policy, the recovery code and the 0003 migration."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from koffer.config import Config
from koffer.crypto import keys
from koffer.crypto.kdf import Argon2Params, derive_key, new_salt
from koffer.errors import AuthenticationError, ConfigError, LockedError
from koffer.store import Store, StoreSettings
from koffer.store.db import make_engine, migrate
from koffer.store.policy import SecurityPolicy
from koffer.store.recovery import normalize_code
from tests.unit.store.conftest import ADMIN_PASS

POLICY_SQL = (
    "SELECT argon2_memory_kib, argon2_iterations, argon2_lanes, max_failed_attempts, "
    "throttle_base_seconds, throttle_max_seconds FROM store_policy"
)
SLOT_SQL = "SELECT kdf_memory_kib, kdf_iterations, kdf_lanes, wrapped_store_key FROM accounts"


def _sql(data_dir: Path, statement: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(data_dir / "koffer-store.sqlite3")
    try:
        return con.execute(statement).fetchall()
    finally:
        con.close()


def _config(**store: object) -> Config:
    return Config(raw={"store": store})


@pytest.mark.parametrize(
    "table",
    [
        {"argon2_memory_kib": 8192, "argon2_iterations": 1, "argon2_lanes": 1},
        {"argon2_memory_kib": 16384, "argon2_iterations": 2},
        {"max_failed_attempts": 1000},
        {"max_failed_attempts": 1},
        {"throttle_base_seconds": 0},
        {"throttle_max_seconds": 5},
    ],
)
def test_configuration_below_the_floor_is_refused(table: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"Mindestwerten|mindestens"):
        StoreSettings.from_config(_config(**table))


def test_owasp_minimum_settings_are_accepted() -> None:
    for memory, passes in ((7168, 5), (9216, 4), (12288, 3), (19456, 2), (47104, 1)):
        settings = StoreSettings.from_config(
            _config(argon2_memory_kib=memory, argon2_iterations=passes)
        )
        assert settings.argon2.memory_kib == memory


@pytest.fixture
def strong_store(tmp_path: Path) -> Path:
    """A store whose own policy is the OWASP minimum (realistic, still fast)."""
    data = tmp_path / "data"
    settings = StoreSettings.from_config(
        _config(argon2_memory_kib=7168, argon2_iterations=5, argon2_lanes=1)
    )
    Store.create(data, "admin", ADMIN_PASS, settings)
    return data


@pytest.mark.parametrize(
    "table",
    [
        {"max_failed_attempts": 10, "throttle_base_seconds": 1.0},  # fine: equal
        {"argon2_memory_kib": 65536, "argon2_iterations": 5},  # stricter: ignored
    ],
)
def test_equal_or_stricter_configuration_is_ignored(
    strong_store: Path, table: dict[str, object]
) -> None:
    before = _sql(strong_store, POLICY_SQL), _sql(strong_store, SLOT_SQL)
    settings = StoreSettings.from_config(_config(**table))
    with Store.open(strong_store, settings) as store:
        store.unlock("admin", ADMIN_PASS).close()
        assert store.policy().argon2 == Argon2Params(7168, 5, 1)
    assert (_sql(strong_store, POLICY_SQL), _sql(strong_store, SLOT_SQL)) == before


@pytest.mark.parametrize(
    "table",
    [
        {"argon2_memory_kib": 7168, "argon2_iterations": 5, "max_failed_attempts": 5},
        {"argon2_memory_kib": 7168, "argon2_iterations": 5},  # same as the store: fine
    ],
)
def test_loosened_lockout_by_config_is_refused_and_nothing_changes(
    tmp_path: Path, table: dict[str, object]
) -> None:
    data = tmp_path / "data"
    strict = StoreSettings.from_config(
        _config(argon2_memory_kib=7168, argon2_iterations=5, max_failed_attempts=3)
    )
    Store.create(data, "admin", ADMIN_PASS, strict)
    before = _sql(data, POLICY_SQL)
    loosened = StoreSettings.from_config(_config(**table))
    if "max_failed_attempts" in table:
        with pytest.raises(ConfigError, match="max_failed_attempts") as refused:
            Store.open(data, loosened)
        assert "nicht über --config" in refused.value.message
    else:
        Store.open(data, loosened).close()
    assert _sql(data, POLICY_SQL) == before


def test_weaker_argon2_config_is_refused_and_no_slot_is_rewrapped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    strong = StoreSettings.from_config(_config(argon2_memory_kib=19456, argon2_iterations=2))
    Store.create(data, "admin", ADMIN_PASS, strong)
    before = _sql(data, POLICY_SQL), _sql(data, SLOT_SQL)
    weak = StoreSettings.from_config(_config(argon2_memory_kib=7168, argon2_iterations=5))
    with pytest.raises(ConfigError, match="argon2_memory_kib"):
        Store.open(data, weak)
    # and with code-only insecure settings (no explicit keys) the store's rules still apply
    with Store.open(data, StoreSettings.insecure_fast()) as store:
        store.unlock("admin", ADMIN_PASS).close()
    assert (_sql(data, POLICY_SQL), _sql(data, SLOT_SQL)) == before


def test_unlock_never_rewraps_with_a_lower_cost(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = StoreSettings.insecure_fast(argon2=Argon2Params(14336, 5, 1))
    Store.create(data, "admin", ADMIN_PASS, settings)
    with Store.open(data, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            admin.set_policy(
                SecurityPolicy(Argon2Params(7168, 5, 1), 10, 1.0, 300.0)
            )  # an admin may lower the policy to the floor ...
        store.unlock("admin", ADMIN_PASS).close()
    # ... but an existing slot keeps its higher cost
    [(memory, passes, _, _)] = _sql(data, SLOT_SQL)
    assert (memory, passes) == (14336, 5)


def test_admin_cannot_set_a_policy_below_the_floor(unlocked_store: Store) -> None:
    with unlocked_store.unlock("admin", ADMIN_PASS) as admin:
        policy = SecurityPolicy(Argon2Params(7168, 5, 1), 10, 1.0, 300.0)
        admin.set_policy(policy)
        for weaker in (
            replace(policy, argon2=Argon2Params(4096, 5, 1)),
            replace(policy, max_failed_attempts=100),
            replace(policy, throttle_base_seconds=0.0),
        ):
            with pytest.raises(ConfigError, match="Mindestwerten"):
                admin.set_policy(weaker)
        assert admin.policy() == policy


@pytest.fixture
def unlocked_store(store: Store) -> Store:
    return store


# -- recovery code ------------------------------------------------------------


def test_recovery_code_brings_back_a_locked_out_last_admin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = StoreSettings.insecure_fast(max_failed_attempts=3)
    code = Store.create(data, "admin", ADMIN_PASS, settings)
    assert len(normalize_code(code)) == 24
    with Store.open(data, settings) as store:
        with store.unlock("admin", ADMIN_PASS) as admin:
            admin.add_account("anna", "clerk", "anna-passphrase")
        for attempt in range(3):
            with pytest.raises((AuthenticationError, LockedError)):
                store.unlock("admin", f"falsch-{attempt}")
        with pytest.raises(LockedError):
            store.unlock("admin", ADMIN_PASS)
        with pytest.raises(AuthenticationError, match="Wiederherstellungscode"):
            store.recover("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "admin", "ganz-neue-passphrase")
        with pytest.raises(AuthenticationError, match="kein aktives Administrator"):
            store.recover(code, "anna", "ganz-neue-passphrase")
        # lower case and without dashes works too
        new_code = store.recover(code.lower().replace("-", ""), "admin", "ganz-neue-passphrase")
        with store.unlock("admin", "ganz-neue-passphrase") as admin:
            events = [e.event for e in admin.list_audit()]
        assert "recovered" in events and "recovery_failed" in events
        # the old code is used up; the new one works
        with pytest.raises(AuthenticationError):
            store.recover(code, "admin", "dritte-passphrase-x")
        store.recover(new_code, "admin", "dritte-passphrase-x")
        store.unlock("admin", "dritte-passphrase-x").close()


# -- migration of a store from before 0003 --------------------------------------


def test_store_from_before_0003_migrates_and_its_slots_are_bound(tmp_path: Path) -> None:
    data = tmp_path / "old"
    data.mkdir()
    db = data / "koffer-store.sqlite3"
    engine = make_engine(db)
    migrate(engine, "0002_outbox")
    engine.dispose()
    store_id = str(uuid.uuid4())
    store_key = keys.new_key()
    params = Argon2Params(64, 1, 1)
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO store_info (id, store_id, created_at, format_version) "
        "VALUES (1, ?, '2026-01-01T00:00:00.000000Z', 1)",
        (store_id,),
    )
    for name, role, secret in (("admin", "admin", ADMIN_PASS), ("tech", "technician", "t" * 12)):
        salt = new_salt()
        aad = json.dumps(["koffer.store-key.v1", store_id, name], separators=(",", ":"))
        wrapped = keys.wrap_key(derive_key(secret, salt, params), store_key, aad.encode())
        con.execute(
            "INSERT INTO accounts (name, role, disabled, locked, failed_attempts, kdf_salt, "
            "kdf_memory_kib, kdf_iterations, kdf_lanes, wrapped_store_key, created_at) "
            "VALUES (?, ?, 0, 0, 0, ?, 64, 1, 1, ?, '2026-01-01T00:00:00.000000Z')",
            (name, role, salt, wrapped),
        )
    con.commit()
    con.close()

    with Store.open(data, StoreSettings.insecure_fast()) as store:
        # the defaults of 0003 became the store's policy
        assert store.policy().max_failed_attempts == 10
        with store.unlock("admin", ADMIN_PASS) as admin:
            case_id = admin.create_case("anmeldung", {"x": 1})
        with store.unlock("tech", "t" * 12) as tech:
            assert not tech.can_read_cases
    rows = _sql(data, "SELECT name, slot_version, kdf_memory_kib FROM accounts ORDER BY name")
    # re-sealed at the first unlock: bound to the role, at the policy's (higher) cost
    assert rows == [("admin", 2, 262144), ("tech", 2, 262144)]
    with Store.open(data, StoreSettings.insecure_fast()) as store:
        # an old store has no recovery code until an admin creates one
        with pytest.raises(AuthenticationError, match="nicht eingerichtet"):
            store.recover("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "admin", "neue-passphrase-1")
        with store.unlock("admin", ADMIN_PASS) as admin:
            assert admin.load_case(case_id).payload == {"x": 1}
            code = admin.renew_recovery_code()
        store.recover(code, "admin", "neue-passphrase-1")
        with store.unlock("admin", "neue-passphrase-1") as admin:
            assert admin.load_case(case_id).payload == {"x": 1}
