"""``koffer init`` prints the recovery code; ``accounts recover`` and ``accounts policy``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from koffer.commands.cli import main
from koffer.errors import AuthenticationError, LockedError
from koffer.store import Store, StoreSettings

CONFIG = "[store]\nargon2_memory_kib = 7168\nargon2_iterations = 5\nargon2_lanes = 1\n"
CODE = re.compile(r"Wiederherstellungscode \(wird nur jetzt angezeigt\): ([A-Z2-7-]{29})")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "config": tmp_path / "koffer.toml",
        "pw": tmp_path / "admin.pw",
        "new_pw": tmp_path / "new.pw",
        "code": tmp_path / "code.txt",
        "data": tmp_path / "data",
    }
    paths["config"].write_text(CONFIG, encoding="utf-8")
    paths["pw"].write_text("admin-passphrase\n", encoding="utf-8")
    paths["new_pw"].write_text("ganz-neue-passphrase\n", encoding="utf-8")
    return paths


def _base(files: dict[str, Path]) -> list[str]:
    return ["--data-dir", str(files["data"]), "--config", str(files["config"])]


def test_init_prints_a_recovery_code_that_brings_back_a_locked_admin(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", *_base(files), "--passphrase-file", str(files["pw"])]) == 0
    match = CODE.search(capsys.readouterr().out)
    assert match is not None
    files["code"].write_text(match.group(1) + "\n", encoding="utf-8")

    # lock the only admin out (ten minutes between attempts: no throttle wait)
    moments = [datetime.now(UTC)]

    def later() -> datetime:
        moments[0] += timedelta(minutes=10)
        return moments[0]

    settings = StoreSettings()
    with Store.open(files["data"], settings, clock=later) as store:
        for attempt in range(10):
            with pytest.raises((AuthenticationError, LockedError)):
                store.unlock("admin", f"falsch-{attempt}")
        assert store.list_accounts()[0].locked

    recover = ["accounts", "recover", "admin", *_base(files)]
    recover += ["--recovery-code-file", str(files["code"])]
    recover += ["--new-passphrase-file", str(files["new_pw"])]
    assert main(recover) == 0
    out = capsys.readouterr().out
    assert "entsperrt" in out and CODE.search(out) is not None
    # the old code is used up
    assert main(recover) == 1
    assert "Wiederherstellungscode ist falsch" in capsys.readouterr().err
    with Store.open(files["data"], settings) as store:
        store.unlock("admin", "ganz-neue-passphrase").close()


def test_policy_shows_and_changes_only_above_the_floor(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", *_base(files), "--passphrase-file", str(files["pw"])]) == 0
    capsys.readouterr()
    assert main(["accounts", "policy", *_base(files)]) == 0
    assert "max_failed_attempts = 10" in capsys.readouterr().out
    acting = ["--passphrase-file", str(files["pw"])]
    change = ["accounts", "policy", *_base(files), *acting]
    assert main([*change, "--max-failed-attempts", "5"]) == 0
    assert "max_failed_attempts = 5" in capsys.readouterr().out
    assert main([*change, "--max-failed-attempts", "50"]) == 2
    assert "Mindestwerten" in capsys.readouterr().err
    assert main([*change, "--argon2-memory-kib", "4096"]) == 2
    assert main(["accounts", "policy", *_base(files)]) == 0
    shown = capsys.readouterr().out
    assert "max_failed_attempts = 5" in shown and "argon2_memory_kib = 7168" in shown


@pytest.mark.parametrize(
    "table",
    [
        "max_failed_attempts = 1000\nthrottle_base_seconds = 0\n",
        "argon2_memory_kib = 8192\nargon2_iterations = 1\nargon2_lanes = 1\n",
    ],
)
def test_a_caller_config_cannot_loosen_the_rules(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], table: str
) -> None:
    import sqlite3

    assert main(["init", *_base(files), "--passphrase-file", str(files["pw"])]) == 0
    db = files["data"] / "koffer-store.sqlite3"

    def stored() -> list[tuple[object, ...]]:
        con = sqlite3.connect(db)
        try:
            return con.execute(
                "SELECT argon2_memory_kib, argon2_iterations, argon2_lanes, "
                "max_failed_attempts, throttle_base_seconds, throttle_max_seconds, sealed "
                "FROM store_policy UNION ALL SELECT kdf_memory_kib, kdf_iterations, "
                "kdf_lanes, failed_attempts, locked, pending_attempts, wrapped_store_key "
                "FROM accounts"
            ).fetchall()
        finally:
            con.close()

    before = stored()
    weak = files["data"].parent / "weak.toml"
    weak.write_text("[store]\n" + table, encoding="utf-8")
    capsys.readouterr()
    argv = ["outbox", "list", "--data-dir", str(files["data"]), "--config", str(weak)]
    assert main([*argv, "--passphrase-file", str(files["pw"])]) == 2
    assert "Mindestwerten" in capsys.readouterr().err
    assert stored() == before
