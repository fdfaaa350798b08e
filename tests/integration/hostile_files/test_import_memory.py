"""A 100 MB file on the stick must never sit whole in memory: the import's peak
RSS (``ru_maxrss`` of a fresh process) stays within a few MiB of the same
import without it. A bound, not a timing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.hostile_files.conftest import TIMEOUT, make_site

MIB = 1024 * 1024
#: generous, deterministic head-room over the baseline run
HEADROOM = 16 * MIB

_MEASURE = """
import resource, sys
from koffer.commands import cli
code = cli.main(["backend", "import", "--from", sys.argv[1], "--data-dir", sys.argv[2]])
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss(stick: Path, backend_dir: Path) -> tuple[int, int]:
    """(exit code, peak RSS in bytes) of one import in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(stick), str(backend_dir)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stderr, result.stderr
    code, kib = result.stdout.split()[-2:]
    return int(code), int(kib) * 1024


def test_a_100_mb_file_does_not_raise_peak_memory(tmp_path: Path) -> None:
    site = make_site(tmp_path, 1)
    plain = tmp_path / "plain"
    shutil.copytree(site.stick, plain)
    with (site.envelopes / "big.kenv").open("wb") as f:
        block = b"KOFE" + bytes(MIB - 4)
        for _ in range(100):
            f.write(block)

    # the file is real data on disk, not a sparse hole
    assert (site.envelopes / "big.kenv").stat().st_blocks * 512 >= 100 * MIB
    hostile_code, hostile = _peak_rss(site.stick, site.backend_dir)
    plain_code, baseline = _peak_rss(plain, site.backend_dir)

    print(f"peak RSS: {baseline / MIB:.1f} MiB plain, {hostile / MIB:.1f} MiB with 100 MB file")
    assert hostile_code == 3  # the big file is refused
    assert plain_code == 0
    assert site.states() == {site.envelope_ids[0]: "received"}
    assert hostile - baseline < HEADROOM
