"""A passphrase piped to ``koffer`` without a terminal is read quietly.

Real subprocesses without a controlling terminal (``start_new_session``), as
in a script or over ``ssh`` without ``-t``: Python's ``getpass`` would print
its English ``GetPassWarning`` and the prompt; the command reads one line of
stdin instead, and refuses in German when nothing comes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FAST_CONFIG = """\
[store]
argon2_memory_kib = 7168
argon2_iterations = 5
argon2_lanes = 1
"""

PASSPHRASE = "eine-lange-Passphrase-aus-der-Pipe"


def _koffer(tmp_path: Path, *args: str, stdin: str | None) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "koffer.toml"
    config.write_text(FAST_CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KOFFER_LANG"}
    command = [sys.executable, "-m", "koffer.commands.cli", *args]
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(config)]
    return subprocess.run(
        [*command, *common],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
    )


def test_a_piped_passphrase_is_read_without_a_warning(tmp_path: Path) -> None:
    init = _koffer(tmp_path, "init", stdin=f"{PASSPHRASE}\n")
    assert init.returncode == 0, init.stderr
    assert "Warning" not in init.stderr and "Passphrase für" not in init.stderr
    assert init.stderr == ""

    # ``outbox list`` unlocks the store as admin: the passphrase is needed
    listed = _koffer(tmp_path, "outbox", "list", "--json", stdin=f"{PASSPHRASE}\n")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr == ""
    assert json.loads(listed.stdout) == []

    # the piped line really is the passphrase: another one does not open the store
    wrong = _koffer(tmp_path, "outbox", "list", stdin="eine-ganz-andere-Passphrase\n")
    assert wrong.returncode != 0
    assert "Warning" not in wrong.stderr and "Traceback" not in wrong.stderr


def test_nothing_on_stdin_is_a_german_refusal(tmp_path: Path) -> None:
    assert _koffer(tmp_path, "init", stdin=f"{PASSPHRASE}\n").returncode == 0
    for stdin in (None, ""):
        result = _koffer(tmp_path, "outbox", "list", stdin=stdin)
        assert result.returncode == 2, result
        assert result.stderr.startswith("Fehler: Die Passphrase kann nicht abgefragt werden")
        assert "kein Terminal" in result.stderr and "--passphrase-file" in result.stderr
        assert "Warning" not in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1


def test_two_secrets_are_two_lines_of_stdin(tmp_path: Path) -> None:
    assert _koffer(tmp_path, "init", stdin=f"{PASSPHRASE}\n").returncode == 0
    # the admin's passphrase to unlock, then the new account's (asked once without a terminal)
    added = _koffer(
        tmp_path,
        "accounts",
        "add",
        "anna",
        "--role",
        "clerk",
        stdin=f"{PASSPHRASE}\nanna-pipe-2026\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stderr == "" and "Konto anna (Sachbearbeitung) angelegt." in added.stdout
    listed = _koffer(tmp_path, "outbox", "list", "--account", "anna", stdin="anna-pipe-2026\n")
    assert listed.returncode == 0, listed.stderr
    assert "Der Postausgang ist leer." in listed.stdout
