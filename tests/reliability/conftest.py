"""Fixtures of the reliability suite (reused from the transmission tests) and the report hook."""

from __future__ import annotations

import pytest

from tests.integration.transmission.conftest import (  # noqa: F401  (fixtures)
    backend,
    backend_dir,
    creds,
    real_backend,
    server,
)
from tests.reliability import report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if report.wanted() and report.RESULTS.scenarios:
        report.write(
            command="KOFFER_WRITE_RELIABILITY_REPORT=1 .venv/bin/python -m pytest tests/reliability"
        )
