"""The example configuration in docs/ is accepted by every subsystem."""

from __future__ import annotations

from pathlib import Path

import pytest

from koffer.cases.passport import PassportFeeRules
from koffer.cases.settings import RuleSettings
from koffer.config import load_config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind
from koffer.documents.settings import MunicipalitySettings
from koffer.errors import ConfigError
from koffer.kiosk.settings import KioskSettings
from koffer.queue.settings import TransmissionSettings
from koffer.store.settings import StoreSettings

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "koffer.example.toml"


def test_every_subsystem_accepts_the_example() -> None:
    config = load_config(EXAMPLE)
    assert MunicipalitySettings.from_config(config).name == "Gemeinde Musterdorf"
    assert KioskSettings.from_config(config).idle_lock_seconds == 300
    assert StoreSettings.from_config(config).max_failed_attempts == 5
    assert TransmissionSettings.from_config(config).max_attempts == 20
    assert RuleSettings.from_config(config).late_registration_days == 14
    # the open readings of PassV § 27 Abs. 2 are shown commented out, at their defaults
    assert RuleSettings.from_config(config).passport_fee_rules == PassportFeeRules()
    devices = DeviceSettings.from_config(config)
    # the card terminal is optional: its table is in the example, commented out
    assert {d.kind for d in devices.devices} == set(DeviceKind) - {DeviceKind.PAYMENT_TERMINAL}
    receipt = devices.get(DeviceKind.RECEIPT_PRINTER)
    assert receipt is not None and receipt.required is False


def test_simulate_turns_every_configured_device_into_a_simulator() -> None:
    devices = DeviceSettings.from_config(load_config(EXAMPLE), simulate=True)
    assert all(d.type == "simulator" for d in devices.devices)


def test_a_typo_in_the_example_is_refused_naming_the_key(tmp_path: Path) -> None:
    broken = tmp_path / "koffer.toml"
    broken.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("baudrate = 57600", "baudrat = 57600"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="baudrat"):
        DeviceSettings.from_config(load_config(broken))


def test_the_example_shows_every_table_and_key_of_the_schema() -> None:
    from koffer.config_schema import DEVICE_SCHEMA, SCHEMA

    text = EXAMPLE.read_text(encoding="utf-8")
    raw = load_config(EXAMPLE).raw
    for table, keys in SCHEMA.items():
        if table == "backend":  # the back end's file: packaging/etc/backend.toml
            assert f"[{table}]" not in text
            continue
        assert table in raw, table
        for key in keys:
            assert f"\n{key} = " in text or f"\n# {key} = " in text, f"[{table}] {key}"
    assert set(raw["devices"]) == set(DEVICE_SCHEMA) - {"payment_terminal"}
    assert "\n# [devices.payment_terminal]\n" in text


def test_the_example_names_devices_by_stable_paths() -> None:
    devices = load_config(EXAMPLE).raw["devices"]
    paths = [v for table in devices.values() for v in table.values() if str(v).startswith("/dev/")]
    assert len(paths) == 3
    for path in paths:
        assert path.startswith(("/dev/serial/by-id/", "/dev/v4l/by-id/")), path
    assert "/dev/ttyUSB0" not in str(devices)


def test_the_package_ships_the_example_as_its_configuration() -> None:
    build = (EXAMPLE.parents[1] / "packaging" / "build-deb").read_text(encoding="utf-8")
    assert '"$repo/docs/koffer.example.toml" "$pkg/etc/koffer/koffer.toml"' in build
    assert not (EXAMPLE.parents[1] / "packaging" / "etc" / "koffer.toml").exists()


def test_a_wrong_type_is_refused_by_the_one_check(tmp_path: Path) -> None:
    broken = tmp_path / "koffer.toml"
    broken.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "idle_lock_seconds = 300", 'idle_lock_seconds = "fünf"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"\[kiosk\] idle_lock_seconds muss eine ganze Zahl sein"):
        load_config(broken)
