"""Engine PRAGMAs, migrations from an empty database, file permissions."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from koffer.errors import StoreError
from koffer.store import Store, StoreSettings, UnlockedStore
from koffer.store.db import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    make_engine,
    migrate,
)
from koffer.store.files import db_path
from koffer.store.throttle import delay_after, remaining_wait

STORE_TABLES = {"store_info", "accounts", "case_counters", "cases", "attachments", "audit_log"}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite3", busy_timeout_ms=1234)
    try:
        # two connections at once (read-only snapshots): both configured
        reader = engine.execution_options(koffer_read_only=True)
        with reader.connect() as one, reader.connect() as two:
            for con in (one, two):
                get = lambda name, c=con: c.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
                assert get("journal_mode") == "wal"
                assert get("synchronous") == 2  # FULL
                assert get("secure_delete") == 1
                assert get("foreign_keys") == 1
                assert get("temp_store") == 2  # MEMORY
                assert get("busy_timeout") == 1234
    finally:
        engine.dispose()


def test_migrations_from_an_empty_database(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite3")
    try:
        assert current_revision(engine) is None
        migrate(engine, "0001_initial")
        assert current_revision(engine) == "0001_initial"
        assert STORE_TABLES <= set(inspect(engine).get_table_names())
        migrate(engine)  # head (later revisions of other packages, if any)
        migrate(engine)  # idempotent
        script = ScriptDirectory.from_config(alembic_config(engine))
        assert current_revision(engine) == script.get_current_head()
        revisions = {r.revision for r in script.walk_revisions()}
        assert "0001_initial" in revisions
        assert script.get_revision("0001_initial").down_revision is None
        # down to nothing and up again
        from alembic import command

        command.downgrade(alembic_config(engine), "base")
        assert not STORE_TABLES & set(inspect(engine).get_table_names())
        migrate(engine)
        assert STORE_TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert (MIGRATIONS_DIR / "env.py").is_file()


def test_foreign_keys_cascade_attachments(tmp_path: Path, unlocked: UnlockedStore) -> None:
    case_id = unlocked.create_case("anmeldung", {}, {"photo": b"x"})
    with unlocked.transaction() as session:
        session.execute(text("DELETE FROM cases WHERE case_id = :c"), {"c": case_id})
        left = session.execute(text("SELECT count(*) FROM attachments")).scalar()
    assert left == 0


def test_data_dir_is_private(store: Store, unlocked: UnlockedStore) -> None:
    unlocked.create_case("anmeldung", {"a": 1}, {"photo": b"x" * 10000})
    assert _mode(store.data_dir) == 0o700
    files = [p for p in store.data_dir.iterdir()]
    names = {p.name for p in files}
    assert "koffer-store.sqlite3" in names
    assert "koffer-store.sqlite3-wal" in names  # open: WAL exists
    for path in files:
        assert _mode(path) == 0o600, path.name
    assert store.integrity_check() and unlocked.integrity_check()


def test_existing_loose_directory_is_tightened(tmp_path: Path) -> None:
    from koffer.store import StoreSettings

    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    Store.create(loose, "admin", "lange-passphrase", StoreSettings.insecure_fast())
    assert _mode(loose) == 0o700


@pytest.mark.parametrize(
    ("failures", "expected"), [(0, 0.0), (1, 1.0), (2, 2.0), (3, 4.0), (9, 256.0), (10, 300.0)]
)
def test_delay_doubles_up_to_the_maximum(failures: int, expected: float) -> None:
    assert delay_after(failures, 1.0, 300.0) == expected
    assert delay_after(10_000, 1.0, 300.0) == 300.0


def test_remaining_wait_ignores_a_clock_that_went_backwards() -> None:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert remaining_wait(2, t0, t0 + timedelta(seconds=0.5), 1.0, 60.0) == 1.5
    assert remaining_wait(2, t0, t0 + timedelta(seconds=5), 1.0, 60.0) == 0.0
    assert remaining_wait(2, t0, t0 - timedelta(days=3), 1.0, 60.0) == 2.0
    assert remaining_wait(0, None, t0, 1.0, 60.0) == 0.0


def test_damaged_or_foreign_files_give_a_store_error(tmp_path: Path, data_dir: Path) -> None:
    from koffer.errors import StoreError
    from koffer.store import StoreSettings

    settings = StoreSettings.insecure_fast()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "koffer-store.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="nicht gelesen oder geschrieben"):
        Store.open(junk, settings)

    # a revision from a newer version of the software
    import sqlite3

    con = sqlite3.connect(data_dir / "koffer-store.sqlite3")
    con.execute("UPDATE alembic_version SET version_num = '0099_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="neueren Version"):
        Store.open(data_dir, settings)


def test_head_revision_constant_matches_the_migrations(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite3")
    try:
        script = ScriptDirectory.from_config(alembic_config(engine))
        assert script.get_current_head() == HEAD_REVISION
    finally:
        engine.dispose()


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    """Start-up speed: a store at the newest revision opens without Alembic."""
    Store.create(tmp_path / "data", "anna", "richtige-passphrase", StoreSettings.insecure_fast())
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from koffer.store import Store, StoreSettings\n"
        f"Store.open(Path({str(tmp_path / 'data')!r}), StoreSettings.insecure_fast()).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    Store.create(tmp_path / "data", "anna", "richtige-passphrase", StoreSettings.insecure_fast())
    engine = make_engine(db_path(tmp_path / "data"))
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreError, match="neueren Version"):
        Store.open(tmp_path / "data", StoreSettings.insecure_fast())
