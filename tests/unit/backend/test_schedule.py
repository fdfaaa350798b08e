"""Back-off schedule, transmission settings and the Rückmeldung deadline."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from koffer.backend.export import deadline
from koffer.config import load_config
from koffer.errors import ConfigError
from koffer.queue import backoff
from koffer.queue.settings import TransmissionSettings


def test_backoff_bounds_and_growth() -> None:
    rng = random.Random(7)
    for attempts in range(1, 20):
        ceiling = min(3600.0, 5.0 * 2 ** (attempts - 1))
        for _ in range(50):
            d = backoff.delay(attempts, 5.0, 3600.0, rng)
            assert ceiling / 2 <= d <= ceiling
    assert backoff.delay(0, 5.0, 60.0) == 0.0
    assert backoff.delay(3, 0.0, 60.0) == 0.0
    # huge attempt counts do not overflow and stay at the cap
    assert 30.0 <= backoff.delay(10_000, 5.0, 60.0) <= 60.0


def test_backoff_has_jitter() -> None:
    rng = random.Random(1)
    values = {round(backoff.delay(4, 5.0, 3600.0, rng), 6) for _ in range(100)}
    assert len(values) > 90  # suitcases do not retry in lockstep


def _config(tmp_path: Path, body: str) -> TransmissionSettings:
    path = tmp_path / "koffer.toml"
    path.write_text(body, encoding="utf-8")
    return TransmissionSettings.from_config(load_config(path))


def test_settings_from_config(tmp_path: Path) -> None:
    s = _config(
        tmp_path,
        "[transmission]\nmax_attempts = 3\nbackoff_base_seconds = 1.5\nbatch_size = 9\n",
    )
    assert (s.max_attempts, s.backoff_base, s.batch_size) == (3, 1.5, 9)
    assert s.backoff_max == TransmissionSettings().backoff_max


def test_settings_refuse_unknown_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, "[transmission]\nmax_atempts = 3\n")
    assert "max_atempts" in info.value.message


def test_settings_refuse_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        _config(tmp_path, "[transmission]\nbatch_size = 0\n")


def test_deadline_counts_werktage() -> None:
    # BMG § 33 Abs. 1 S. 3 as koffer.cases.werktage reads it: Saturdays count,
    # Sundays and public holidays do not
    received = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)  # Thursday → Fri, Sat, Mon
    assert deadline(received) == date(2026, 3, 9)
    received = datetime(2026, 3, 6, 23, 30, tzinfo=UTC)  # Friday night → Sat, Mon, Tue
    assert deadline(received) == date(2026, 3, 10)
    # Christmas: 24 (1), 25 and 26 holidays, Sunday, 28 (2), 29 (3)
    assert deadline(datetime(2026, 12, 23, 12, 0, tzinfo=UTC)) == date(2026, 12, 29)
    assert deadline(received + timedelta(days=3)) == date(2026, 3, 12)
