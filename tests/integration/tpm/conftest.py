"""Fixtures: real ``swtpm`` simulators reached through the real TSS.

``swtpm_tcti`` is one fresh TPM per test (its TCTI string); ``make_swtpm``
starts further, independent TPMs (another machine's chip) in the same test.
All are stopped when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.tpm.swtpm import Swtpm


@pytest.fixture
def make_swtpm(tmp_path: Path) -> Iterator[Callable[[], Swtpm]]:
    started: list[Swtpm] = []

    def start() -> Swtpm:
        tpm = Swtpm(tmp_path / f"swtpm-{len(started)}")
        started.append(tpm)
        return tpm

    yield start
    for tpm in started:
        tpm.stop()


@pytest.fixture
def swtpm_tcti(make_swtpm: Callable[[], Swtpm]) -> str:
    """The TCTI string of a fresh simulated TPM ("swtpm:host=127.0.0.1,port=P")."""
    return make_swtpm().tcti
