"""koffer.hardening in a real child process (it changes the process for good)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, resource
from koffer import hardening
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
before = [hardening.is_dumpable(), list(hardening.core_limit())]
hardening.harden_process()
print(json.dumps([before, [hardening.is_dumpable(), list(hardening.core_limit())]]))
"""


def test_harden_process_turns_off_core_dumps() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    before, after = json.loads(done.stdout)
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    assert before == [True, [hard, hard]]
    assert after == [False, [0, 0]]


def test_cli_hardens_its_own_command_line_only(tmp_path: Path) -> None:
    # `koffer accounts list` on a missing store fails, but only after hardening
    missing = str(tmp_path / "x")
    probe = (
        "import sys; from koffer import hardening; from koffer.commands import cli; "
        f"code = cli.main(['accounts', 'list', '--data-dir', {missing!r}]); "
        "embedded = [hardening.is_dumpable(), list(hardening.core_limit())]; "
        f"sys.argv = ['koffer', 'accounts', 'list', '--data-dir', {missing!r}]; "
        "own = cli.main(); "
        "import json; print(json.dumps([code, embedded, own, hardening.is_dumpable(), "
        "list(hardening.core_limit())]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    code, embedded, own, dumpable, limit = json.loads(done.stdout)
    # called with an explicit argv (a program embedding the CLI): untouched
    assert code == 1 and embedded[0] is True
    # its own command line (console script, python -m koffer.commands.cli): hardened
    assert own == 1 and dumpable is False and limit == [0, 0]
