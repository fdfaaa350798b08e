"""[store] configuration table."""

from __future__ import annotations

import pytest

from koffer.config import Config
from koffer.crypto.kdf import DEFAULT_PARAMS, Argon2Params
from koffer.errors import ConfigError
from koffer.store import StoreSettings


def test_defaults() -> None:
    settings = StoreSettings.from_config(Config())
    assert settings == StoreSettings()
    assert settings.argon2 == DEFAULT_PARAMS


def test_values_are_read() -> None:
    config = Config(
        raw={
            "store": {
                "argon2_memory_kib": 65536,
                "argon2_iterations": 4,
                "argon2_lanes": 1,
                "max_failed_attempts": 5,
                "throttle_base_seconds": 2,
                "throttle_max_seconds": 60.5,
                "min_passphrase_length": 12,
                "busy_timeout_ms": 2000,
            }
        }
    )
    settings = StoreSettings.from_config(config)
    assert settings.argon2 == Argon2Params(65536, 4, 1)
    assert settings.max_failed_attempts == 5
    assert settings.throttle_base_seconds == 2.0
    assert settings.throttle_max_seconds == 60.5
    assert settings.min_passphrase_length == 12
    assert settings.busy_timeout_ms == 2000


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"argon2_memory_kib": 1024}, "argon2_memory_kib muss mindestens"),
        ({"argon2_iterations": "3"}, "argon2_iterations muss eine ganze Zahl"),
        ({"max_failed_attempts": 0}, "max_failed_attempts muss mindestens"),
        ({"throttle_base_seconds": -1}, "throttle_base_seconds muss mindestens"),
        ({"argon2_memory": 1}, "unbekannter Schlüssel 'argon2_memory'"),
    ],
)
def test_bad_values_are_refused_in_german(table: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        StoreSettings.from_config(Config(raw={"store": table}))
