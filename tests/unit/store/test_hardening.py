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
resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
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
    assert before == [True, [resource.RLIM_INFINITY, resource.RLIM_INFINITY]]
    assert after == [False, [0, 0]]


def test_cli_hardens_before_running_a_command(tmp_path: Path) -> None:
    # `koffer accounts list` on a missing store fails, but only after hardening
    probe = (
        "import sys; from koffer import cli, hardening; "
        f"code = cli.main(['accounts', 'list', '--data-dir', {str(tmp_path / 'x')!r}]); "
        "print(code, hardening.is_dumpable(), hardening.core_limit())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split(" ", 2) == ["1", "False", "(0, 0)\n"]
