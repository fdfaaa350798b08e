"""``koffer init`` and ``koffer accounts``: through koffer.commands.cli.main and as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from koffer.commands.cli import main

FAST_CONFIG = """\
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
max_failed_attempts = 3
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    files = {
        "config": tmp_path / "koffer.toml",
        "admin_pw": tmp_path / "admin.pw",
        "clerk_pw": tmp_path / "clerk.pw",
        "data": tmp_path / "data",
    }
    files["config"].write_text(FAST_CONFIG, encoding="utf-8")
    files["admin_pw"].write_text("admin-passphrase\n", encoding="utf-8")
    files["clerk_pw"].write_text("clerk-passphrase\n", encoding="utf-8")
    return files


def _base(env: dict[str, Path]) -> list[str]:
    return ["--data-dir", str(env["data"]), "--config", str(env["config"])]


def _init(env: dict[str, Path]) -> int:
    return main(["init", *_base(env), "--passphrase-file", str(env["admin_pw"])])


def test_init_add_list_disable_unlock(
    env: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(env) == 0
    assert "Datenbestand angelegt" in capsys.readouterr().out
    acting = [*_base(env), "--passphrase-file", str(env["admin_pw"])]
    assert (
        main(
            [
                "accounts",
                "add",
                "anna",
                "--role",
                "clerk",
                "--new-passphrase-file",
                str(env["clerk_pw"]),
                *acting,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "accounts",
                "add",
                "tom",
                "--role",
                "technician",
                "--new-passphrase-file",
                str(env["clerk_pw"]),
                *acting,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["accounts", "list", "--json", *_base(env)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["role"]) for a in listed] == [
        ("admin", "admin"),
        ("anna", "clerk"),
        ("tom", "technician"),
    ]
    assert main(["accounts", "disable", "tom", *acting]) == 0
    assert main(["accounts", "list", *_base(env)]) == 0
    table = capsys.readouterr().out
    assert "tom" in table and "deaktiviert" in table
    # roles in words (the kiosk's), the machine values only in --json
    rows = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert "Administration" in rows["admin"] and "Sachbearbeitung" in rows["anna"]
    assert "Technik" in rows["tom"]
    assert "clerk" not in table and "technician" not in table
    # in English: the same table in English words; --json never changes
    assert main(["--lang", "en", "accounts", "list", *_base(env)]) == 0
    english = capsys.readouterr().out
    assert english.splitlines()[0].split() == ["Account", "Role", "Status"]
    rows = {line.split()[0]: line for line in english.splitlines()[1:]}
    assert rows["tom"].split()[1:] == ["technician", "disabled"]
    assert rows["anna"].split()[1:] == ["clerk", "active"]
    assert "administration" in rows["admin"]
    assert "Sachbearbeitung" not in english and "deaktiviert" not in english

    # lock anna out with wrong passphrases, then unlock her as admin
    from koffer.config import load_config
    from koffer.errors import AuthenticationError, LockedError
    from koffer.store import Store, StoreSettings

    settings = StoreSettings.from_config(load_config(env["config"]))
    moments = [datetime.now(UTC)]

    def later() -> datetime:  # each attempt ten minutes after the last: no throttle wait
        moments[0] += timedelta(minutes=10)
        return moments[0]

    with Store.open(env["data"], settings, clock=later) as store:
        for attempt in range(3):
            with pytest.raises((AuthenticationError, LockedError)):
                store.unlock("anna", f"falsch-{attempt}")
    assert main(["accounts", "list", *_base(env)]) == 0
    assert "gesperrt" in capsys.readouterr().out
    assert main(["accounts", "unlock", "anna", *acting]) == 0
    assert (
        main(
            [
                "accounts",
                "reset-passphrase",
                "anna",
                "--new-passphrase-file",
                str(env["admin_pw"]),
                *acting,
            ]
        )
        == 0
    )
    with Store.open(env["data"], settings) as store:
        store.unlock("anna", "admin-passphrase").close()


def test_user_mistakes_give_one_german_line(
    env: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["accounts", "list", *_base(env)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"Fehler: Kein Datenbestand in {env['data']}. Bitte zuerst `koffer init` ausführen."
    ]

    assert _init(env) == 0
    assert _init(env) == 1
    assert "bereits einen Datenbestand" in capsys.readouterr().err

    wrong = env["clerk_pw"]
    assert (
        main(
            [
                "accounts",
                "add",
                "x",
                "--role",
                "clerk",
                "--new-passphrase-file",
                str(wrong),
                *_base(env),
                "--passphrase-file",
                str(wrong),
                "--account",
                "ghost",  # an unknown account: refused alike, and nobody must wait
            ]
        )
        == 1
    )
    assert "Passphrase ist falsch" in capsys.readouterr().err
    assert (
        main(
            [
                "accounts",
                "add",
                "x",
                "--role",
                "clerk",
                "--new-passphrase-file",
                str(env["data"] / "nope"),
                *_base(env),
                "--passphrase-file",
                str(env["admin_pw"]),
            ]
        )
        == 2
    )
    assert "Passphrasen-Datei kann nicht gelesen werden" in capsys.readouterr().err
    env["clerk_pw"].write_text("kurz\n", encoding="utf-8")
    assert (
        main(
            [
                "accounts",
                "add",
                "x",
                "--role",
                "clerk",
                "--new-passphrase-file",
                str(env["clerk_pw"]),
                *_base(env),
                "--passphrase-file",
                str(env["admin_pw"]),
            ]
        )
        == 1
    )
    assert "zu kurz" in capsys.readouterr().err
    assert (
        main(
            ["accounts", "disable", "admin", *_base(env), "--passphrase-file", str(env["admin_pw"])]
        )
        == 1
    )
    assert "letzte aktive Administrator" in capsys.readouterr().err
    env["config"].write_text("[store]\nargon2_iterations = 'drei'\n", encoding="utf-8")
    assert main(["accounts", "list", *_base(env)]) == 2
    assert "argon2_iterations muss eine ganze Zahl sein" in capsys.readouterr().err


def test_init_prompts_twice(
    env: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["erste-passphrase", "andere-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["init", *_base(env)]) == 2
    assert "stimmen nicht überein" in capsys.readouterr().err
    assert not (env["data"] / "koffer-store.sqlite3").exists()

    answers = iter(["gleiche-passphrase", "gleiche-passphrase"])
    assert main(["init", *_base(env), "--admin", "leitung"]) == 0
    capsys.readouterr()
    assert main(["accounts", "list", "--json", *_base(env)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "leitung"


def test_console_process_uses_koffer_home(env: dict[str, Path], tmp_path: Path) -> None:
    environ = {**os.environ, "KOFFER_HOME": str(env["data"])}
    cmd = [sys.executable, "-m", "koffer.commands.cli"]
    common = ["--config", str(env["config"])]
    done = subprocess.run(
        [*cmd, "init", *common, "--passphrase-file", str(env["admin_pw"])],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    again = subprocess.run(
        [*cmd, "init", *common, "--passphrase-file", str(env["admin_pw"])],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    from koffer.store import Store

    assert Store.exists(env["data"])
