"""``[transmission]`` settings: the batching keys and their limits."""

from __future__ import annotations

import pytest

from koffer.config import Config
from koffer.errors import ConfigError
from koffer.queue.settings import TransmissionSettings


def test_defaults_send_one_at_a_time_and_group_receipts() -> None:
    settings = TransmissionSettings.from_config(Config())
    assert settings == TransmissionSettings()
    assert settings.max_in_flight == 2
    assert settings.ack_batch_size == 10


def test_batching_keys_are_read() -> None:
    config = Config({"transmission": {"ack_batch_size": 25, "max_in_flight": 4, "batch_size": 80}})
    settings = TransmissionSettings.from_config(config)
    assert (settings.ack_batch_size, settings.max_in_flight, settings.batch_size) == (25, 4, 80)


@pytest.mark.parametrize(
    "table",
    [{"max_in_flight": 0}, {"max_in_flight": 17}, {"ack_batch_size": 0}, {"ack_batch": 5}],
    ids=["too-few", "too-many", "no-receipts", "unknown-key"],
)
def test_bad_values_are_refused_in_german(table: dict[str, int]) -> None:
    with pytest.raises(ConfigError) as info:
        TransmissionSettings.from_config(Config({"transmission": table}))
    assert "transmission" in info.value.message
    assert info.value.message_en
