"""No traceback reaches the IT person: the failures the guide's commands meet
on a real machine, each with a German message and an exit code.

Real subprocesses of the installed command line (``python -m koffer.commands.cli``),
stdin closed (``DEVNULL``) and no controlling terminal (``start_new_session``),
as under a service or a script.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: the simulated suitcase of the selftest
ENV_BASE = {"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}


def _koffer(
    *args: str, cwd: Path, home: Path, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV_BASE, "KOFFER_HOME": str(home)}
    command = [sys.executable, "-m", "koffer.commands.cli", *args]
    if user is not None:
        command = [*DROP_DAC, *command]
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
    )


def _refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode not in (0,), result
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Fehler: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_init_without_a_terminal(tmp_path: Path) -> None:
    result = _koffer("init", cwd=tmp_path, home=tmp_path / "data")
    message = _refused(result)
    assert result.returncode == 2
    assert "kein Terminal" in message and "--passphrase-file" in message
    assert "GetPassWarning" not in message and "EOFError" not in message
    assert not (tmp_path / "data" / "koffer-store.sqlite3").exists()


#: root without the capabilities that bypass file modes: the modes then hold
DROP_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def _as_user(tmp_path: Path) -> tuple[str | None, Path]:
    """When we are root (root may write anywhere), drop the file-mode capabilities."""
    if os.geteuid() != 0:
        return None, tmp_path
    assert shutil.which("setpriv"), "util-linux setpriv is part of Debian's base"
    return "root-without-dac", tmp_path


def test_selftest_report_in_an_unwritable_directory(tmp_path: Path) -> None:
    user, base = _as_user(tmp_path)
    locked = base / "nur-lesen"
    locked.mkdir(mode=0o555)
    home = base / "home"
    home.mkdir(mode=0o777)
    result = _koffer(
        "selftest", "--simulate", "--report", "bericht.pdf", cwd=locked, home=home, user=user
    )
    message = _refused(result)
    assert result.returncode == 2
    assert "Der Bericht kann nicht geschrieben werden: bericht.pdf" in message
    assert "--report /tmp/bericht.pdf" in message
    assert "OK" in result.stdout, "the results are shown before the report fails"


def test_init_in_a_directory_of_another_user(tmp_path: Path) -> None:
    user, base = _as_user(tmp_path)
    foreign = base / "fremd"
    foreign.mkdir(mode=0o755)
    if user is not None:
        os.chown(foreign, pwd.getpwnam("nobody").pw_uid, -1)
    passphrase = base / "pass.txt"
    passphrase.write_text("eine-lange-Passphrase-2026\n", encoding="utf-8")
    passphrase.chmod(0o644)
    result = _koffer(
        "init",
        "--data-dir",
        str(foreign / "data"),
        "--passphrase-file",
        str(passphrase),
        cwd=base,
        home=foreign,
        user=user,
    )
    message = _refused(result)
    assert result.returncode in (1, 77), result
    assert "kann nicht angelegt werden" in message or "Keine Berechtigung" in message
    assert "Berechtigungen" in message or "runuser -u koffer" in message
    assert "PermissionError" not in message


@pytest.mark.parametrize("args", [["doctor", "--config", "/nonexistent/koffer.toml"]])
def test_configuration_file_missing(tmp_path: Path, args: list[str]) -> None:
    result = _koffer(*args, cwd=tmp_path, home=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in out
    assert "Konfigurationsdatei nicht gefunden" in out
