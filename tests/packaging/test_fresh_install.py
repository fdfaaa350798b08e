"""The appliance on a fresh Debian 12: packaging/test-fresh-install.

Builds the full package (every dependency wheel, as a suitcase gets it),
then the script installs it into a debootstrap'ed bookworm root and walks
through the guide inside it (see the script's header). The base root and the
downloaded Debian packages are cached outside the repository between runs
(``KOFFER_FRESH_CACHE``, default ``~/.cache/koffer-fresh-install``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="debootstrap and chroot need root"),
    pytest.mark.skipif(
        shutil.which("debootstrap") is None,
        reason="apt-get install debootstrap (scripts/debian-packages.txt)",
    ),
]


def test_fresh_debian_install_set_up_kiosk_wipe_and_purge(tmp_path: Path) -> None:
    build = subprocess.run(
        [str(REPO / "packaging" / "build-deb"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    deb = Path(build.stdout.strip().splitlines()[-1])
    result = subprocess.run(
        [str(REPO / "packaging" / "test-fresh-install"), "--deb", str(deb)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    steps = [line for line in result.stderr.splitlines() if line.startswith("fresh-install:")]
    assert result.returncode == 0, "\n".join(steps) + "\n" + result.stderr[-4000:]
    assert result.stdout.strip().startswith("fresh-install: OK"), result.stdout
