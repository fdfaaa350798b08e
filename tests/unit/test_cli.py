"""The ``koffer`` command table and its error handling."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from koffer import __version__
from koffer.commands import cli


def _registered(family: cli.Family) -> set[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    family().register(sub)
    return set(sub.choices)


@pytest.mark.parametrize("family", cli.FAMILIES, ids=lambda f: f.__name__.strip("_"))
def test_command_table_matches_registered_commands(family: cli.Family) -> None:
    table = {cmd for cmd, fam in cli.COMMANDS.items() if fam is family}
    assert _registered(family) == table


def test_only_the_chosen_commands_module_is_imported() -> None:
    code = (
        "import sys\n"
        "from koffer.commands import cli\n"
        "cli.build_parser(['kiosk', '--help'])\n"
        "names = ('sqlalchemy', 'alembic', 'reportlab', 'PySide6')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "BEFEHL" in capsys.readouterr().out


def test_user_mistake_is_one_german_line_without_traceback(tmp_path: object) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "koffer.commands.cli",
            "selftest",
            "--config",
            "/nonexistent/koffer.toml",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Fehler: Konfigurationsdatei nicht gefunden")
    assert "Traceback" not in result.stderr
