"""Every command refuses the same configuration mistake the same way (issue 15, point 7).

The real ``koffer`` command in a subprocess, as the operator runs it: one
unknown key in ``[store]`` and one wrong type in ``[transmission]``; each
command stops with exit code 2 and the same German line before it touches
the data directory (``doctor`` reports it as its ``config`` check and fails).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = (
    ["kiosk", "--offscreen", "--quit-when-ready"],
    ["selftest", "--simulate"],
    ["init"],
    ["outbox", "list"],
    ["sync"],
    ["simulate-visit", "--cases", "1"],
    ["backend", "serve"],
)

MISTAKES = (
    ("[store]\nunbekannt = 1\n", "unbekannter Schlüssel 'unbekannt' in [store]"),
    ('[transmission]\nbatch_size = "viele"\n', "[transmission]"),
)


def _koffer(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "koffer.commands", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.parametrize("text,expected", MISTAKES, ids=("unknown-key", "wrong-type"))
def test_every_command_refuses_a_mistake_alike(tmp_path: Path, text: str, expected: str) -> None:
    config = tmp_path / "koffer.toml"
    config.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    lines = set()
    for command in COMMANDS:
        data_args = [] if command[0] == "selftest" else ["--data-dir", str(data)]
        result = _koffer([*command, "--config", str(config), *data_args], tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        line = result.stderr.strip().splitlines()[-1]
        assert expected in line, (command, line)
        assert "Traceback" not in result.stderr
        lines.add(line.removeprefix("koffer: "))
        assert not data.exists(), f"{command[0]} touched the data directory"
    assert len(lines) == 1, lines  # the same words from every command

    doctor = _koffer(["doctor", "--config", str(config), "--data-dir", str(data)], tmp_path)
    assert doctor.returncode == 1
    assert expected in doctor.stdout
