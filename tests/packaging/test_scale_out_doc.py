"""docs/scale-out.md and packaging/etc/haproxy-relay.cfg say the same and are valid.

- the haproxy.cfg printed in the page is the shipped example without its comments;
- ``haproxy -c`` accepts the example (skipped where haproxy is not installed);
- every ``koffer`` command of the page is parsed by the real command-line parser.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from koffer.commands.cli import build_parser
from tests.integration.postgres.haproxy import haproxy_binary

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "scale-out.md"
EXAMPLE = REPO / "packaging" / "etc" / "haproxy-relay.cfg"


def _blocks(text: str) -> list[str]:
    return re.findall(r"^ *```\n(.*?)^ *```", text, flags=re.S | re.M)


def _config_lines(text: str) -> list[str]:
    lines = [line.split("#", 1)[0].rstrip() for line in text.splitlines()]
    return [line for line in lines if line.strip()]


def test_page_shows_the_shipped_example() -> None:
    shown = [b for b in _blocks(PAGE.read_text()) if b.startswith("global")]
    assert len(shown) == 1
    assert _config_lines(shown[0]) == _config_lines(EXAMPLE.read_text())


@pytest.mark.skipif(haproxy_binary() is None, reason="haproxy is not installed")
def test_haproxy_accepts_the_example() -> None:
    binary = haproxy_binary()
    assert binary is not None
    done = subprocess.run(
        [binary, "-c", "-f", str(EXAMPLE)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_koffer_commands_of_the_page_parse() -> None:
    commands = [
        line.strip()
        for block in _blocks(PAGE.read_text())
        for line in block.splitlines()
        if line.strip().startswith("koffer ")
    ]
    assert len(commands) >= 5
    parser = build_parser()
    for command in commands:
        parser.parse_args(shlex.split(command)[1:])
