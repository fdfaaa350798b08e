"""Device configuration and the driver registry."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from koffer.config import Config, SectionReader, load_config
from koffer.devices.config import DeviceSettings, open_device
from koffer.devices.interfaces import DeviceKind
from koffer.devices.registry import DEFAULT_REGISTRY, DRIVERS, Registry
from koffer.drivers.r30x.driver import R30xScanner
from koffer.errors import ConfigError, DeviceNotFound


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "koffer.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_fixed_contract_entries() -> None:
    assert DRIVERS[DeviceKind.FINGERPRINT]["r30x"] == "koffer.drivers.r30x.factory:create"
    assert DRIVERS[DeviceKind.CAMERA]["simulator"] == (
        "koffer.drivers.camera.factory:create_simulated"
    )
    assert DRIVERS[DeviceKind.RECEIPT_PRINTER]["escpos-serial"] == (
        "koffer.drivers.escpos.factory:create_serial"
    )


def test_r30x_config_builds_an_unopened_driver(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '[devices.fingerprint]\ntype = "r30x"\nport = "/dev/ttyUSB7"\nbaudrate = 115200\n'
        "required = false\n",
    )
    settings = DeviceSettings.from_config(config)
    entry = settings.require(DeviceKind.FINGERPRINT)
    assert (entry.type, entry.required) == ("r30x", False)
    device = open_device(DeviceKind.FINGERPRINT, settings)
    assert isinstance(device, R30xScanner)
    assert device.port == "/dev/ttyUSB7"
    assert not device.is_open


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[devices.scanner]\ntype = "r30x"\n', "devices.scanner"),
        ('[devices.fingerprint]\ntype = "r31x"\n', 'type = "r31x"'),
        ('[devices.fingerprint]\ntype = "r30x"\nport = "/dev/x"\nspeed = 9600\n', "'speed'"),
        ('[devices.fingerprint]\ntype = "r30x"\nport = "/dev/x"\nbaudrate = "fast"\n', "baudrate"),
        ('[devices.fingerprint]\ntype = "r30x"\nport = "/dev/x"\nbaudrate = 10000\n', "baudrate"),
        ('[devices.fingerprint]\ntype = "r30x"\n', "port fehlt"),
        ('[devices.fingerprint]\ntype = "simulator"\nrequired = "ja"\n', "required"),
        ('[devices.camera]\ntype = "v4l2"\nformat = "RGB3"\n', "format"),
        ('[devices.camera]\ntype = "simulator"\ndevice = "/dev/video0"\n', "'device'"),
        ("[devices.camera]\nrequired = true\n", "type fehlt"),
    ],
)
def test_mistakes_are_refused_naming_the_key(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        DeviceSettings.from_config(_config(tmp_path, text))
    assert needle in info.value.message


def test_simulate_replaces_configured_devices_and_drops_driver_options(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '[devices.fingerprint]\ntype = "r30x"\nport = "/dev/ttyUSB0"\n'
        '[devices.camera]\ntype = "simulator"\nwidth = 320\nheight = 240\n',
    )
    settings = DeviceSettings.from_config(config, simulate=True)
    assert [(d.kind, d.type) for d in settings.devices] == [
        (DeviceKind.FINGERPRINT, "simulator"),
        (DeviceKind.CAMERA, "simulator"),
    ]
    assert dict(settings.require(DeviceKind.CAMERA).options) == {"width": 320, "height": 240}


def test_simulate_without_devices_gives_a_full_suitcase() -> None:
    settings = DeviceSettings.from_config(Config(), simulate=True, validate=False)
    assert [d.kind for d in settings.devices] == list(DeviceKind)
    assert DeviceSettings.from_config(Config()).devices == ()


def test_simulators_only_when_asked() -> None:
    settings = DeviceSettings.from_config(Config())
    with pytest.raises(ConfigError):
        open_device(DeviceKind.FINGERPRINT, settings)


def test_missing_driver_module_is_a_visible_device_not_found(
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry = Registry({DeviceKind.CAMERA: {"ghost": "koffer_missing_driver.factory:create"}})
    with caplog.at_level(logging.WARNING), pytest.raises(DeviceNotFound) as info:
        registry.create(DeviceKind.CAMERA, "ghost", SectionReader({}, "devices.camera"))
    assert "nicht verfügbar" in info.value.message
    assert "koffer_missing_driver" in caplog.text


def test_missing_factory_function_is_refused() -> None:
    registry = Registry({DeviceKind.CAMERA: {"odd": "koffer.drivers.camera.factory:nope"}})
    with pytest.raises(DeviceNotFound):
        registry.factory(DeviceKind.CAMERA, "odd")


def test_factory_of_wrong_kind_is_refused() -> None:
    registry = Registry({DeviceKind.CAMERA: {"fp": "koffer.drivers.r30x.factory:create_simulated"}})
    with pytest.raises(DeviceNotFound):
        registry.create(DeviceKind.CAMERA, "fp", SectionReader({}, "devices.camera"))


def test_enumerate_skips_simulators_unless_allowed() -> None:
    assert all(not d.simulated for d in DEFAULT_REGISTRY.enumerate(DeviceKind.FINGERPRINT))
    assert isinstance(DEFAULT_REGISTRY.enumerate(DeviceKind.CAMERA), list)
