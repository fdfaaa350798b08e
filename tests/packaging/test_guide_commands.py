"""Every command in docs/betrieb.md, as printed there.

Each ``koffer`` command line of the guide is parsed by the real command-line
parser (a flag the program does not know fails here); the blocks marked
``<!-- fresh-install: STEP -->`` are run verbatim in a fresh Debian by
packaging/test-fresh-install (tests/packaging/test_fresh_install.py). A
command that is in neither group is listed below with the reason it can
only be run on real equipment.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from koffer.commands.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "betrieb.md"
SCRIPT = REPO / "packaging" / "test-fresh-install"

#: fresh-install steps that the script runs (each marks one block of the guide)
RUN_BY_FRESH_INSTALL = (
    "install",
    "init",
    "doctor",
    "backend-setup",
    "backend-enroll",
    "enroll",
    "backend-check",
    "backend-revoke",
    "wipe",
    "purge",
)
#: guide commands not run in the fresh root, and why
NEEDS_REAL_EQUIPMENT = {
    "koffer selftest --config /etc/koffer/koffer.toml": "the real devices (the fresh root "
    "runs selftest --simulate with the same file)",
    "systemctl start koffer-kiosk": "systemd as PID 1 and a seat (the fresh root starts the "
    "unit's ExecStart under headless cage)",
    "koffer enroll --token": "a suitcase enrolled before (the fresh root enrols once, with the "
    "line without --replace)",
    "koffer enroll --offline-response": "the back end's answer file, carried on a USB stick",
    "koffer outbox export": "a USB stick",
    "koffer backend import": "a USB stick",
    "koffer outbox import-receipts": "a USB stick",
    "koffer enrollment": "an enrolled suitcase and a USB stick",
    "koffer sync": "a running back end reachable over the network",
    "koffer accounts add": "the names the municipality chooses (an example in the guide)",
    "koffer wipe --data-dir /var/lib/koffer": "a lost administrator passphrase (the fresh "
    "root wipes with the passphrase, the command printed first)",
    "systemctl stop koffer-kiosk": "systemd as PID 1 (ignored in the fresh root)",
    "koffer doctor --json": "nothing more than 'koffer doctor' (same checks)",
    "koffer accounts recover": "a locked-out administrator and the printed recovery code",
    "ls -l /dev/tpmrm0": "a TPM 2.0 chip (the TPM tests use swtpm)",
    "id koffer": "a TPM 2.0 chip (checks the tss group for it)",
    "koffer init --tpm": "a TPM 2.0 chip (tests/integration/tpm runs it against swtpm)",
    "udevadm": "udev running",
    "systemctl restart koffer-kiosk": "systemd as PID 1",
    "koffer cashbook list": "a visit's payments (tests/unit/payment runs it)",
    "koffer cashbook close": "a visit's payments, the counted cash and a card terminal "
    "(tests/unit/payment and tests/integration/payment run it with the simulator)",
    "koffer backend cashbook export": "received Kassenabschlüsse "
    "(tests/integration/payment/test_closing_backend.py runs it)",
}


def _blocks() -> list[tuple[str | None, list[str]]]:
    """(fresh-install marker or None, command lines) per ```sh block."""
    text = GUIDE.read_text(encoding="utf-8")
    found = []
    for m in re.finditer(r"(<!-- fresh-install: ([\w-]+) -->\s*)?```sh\n(.*?)```", text, re.S):
        lines = [line.split("  #")[0].strip() for line in m.group(3).splitlines()]
        found.append((m.group(2), [line for line in lines if line]))
    return found


def _joined(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1] + " " + line
        else:
            out.append(line)
    return out


def _commands() -> list[tuple[str | None, str]]:
    return [(marker, c) for marker, lines in _blocks() for c in _joined(lines)]


def _koffer_argv(command: str) -> list[str] | None:
    words = shlex.split(command)
    if words[:2] == ["runuser", "-u"]:
        words = words[words.index("--") + 1 :]
    if not words or words[0] != "koffer":
        return None
    return [w for w in words[1:] if w != "…"]


def test_every_marked_block_is_run_by_the_script() -> None:
    markers = [m for m, _ in _blocks() if m]
    assert sorted(markers) == sorted(RUN_BY_FRESH_INSTALL)
    script = SCRIPT.read_text(encoding="utf-8")
    for marker in RUN_BY_FRESH_INSTALL:
        assert f"guide_block {marker}" in script, marker


def test_every_guide_command_is_run_or_says_why_not() -> None:
    run = {command for marker, command in _commands() if marker}
    for marker, command in _commands():
        if marker or command in run:
            continue
        if command.startswith("koffer BEFEHL") or "BEFEHL" in command:
            continue  # the pattern in the introduction
        reasons = [r for key, r in NEEDS_REAL_EQUIPMENT.items() if key in command]
        assert reasons, f"guide command neither run nor explained: {command}"


@pytest.mark.parametrize(("marker", "command"), _commands(), ids=lambda v: str(v)[:60])
def test_guide_command_parses(marker: str | None, command: str) -> None:
    argv = _koffer_argv(command)
    if argv is None or argv[0] == "BEFEHL":
        return
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    assert getattr(args, "func", None) is not None, command


def _flags(argv: list[str]) -> str:
    parser = build_parser(argv)
    return parser.format_help() + "".join(
        a.choices[argv[0]].format_help()  # type: ignore[union-attr]
        for a in parser._subparsers._group_actions  # type: ignore[union-attr]
        if argv[0] in (a.choices or {})
    )


def test_backend_commands_name_their_data_directory() -> None:
    backend = [c for _, c in _commands() if "koffer backend" in c]
    assert len(backend) >= 5
    for command in backend:
        assert "--data-dir /var/lib/koffer-backend" in command, command
        assert command.startswith("runuser -u koffer-backend -- "), command


def test_the_guide_needs_no_sudo() -> None:
    for _, command in _commands():
        assert not command.startswith("sudo"), command


def test_no_message_of_the_program_asks_for_sudo() -> None:
    """A minimal Debian has no sudo: hints name root (``als root: …``) instead."""
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "koffer").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bsudo\b", line)
    ]
    assert offenders == []
