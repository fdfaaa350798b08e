"""[devices.payment_terminal]: configuration keys, the registry entry and the
self-test that joins ``koffer selftest``."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from koffer.config import SectionReader, load_config
from koffer.devices.config import DeviceSettings
from koffer.devices.interfaces import DeviceKind
from koffer.devices.registry import DEFAULT_REGISTRY
from koffer.devices.selftest import all_required_ok, run_selftest
from koffer.drivers.zvt.driver import ZvtTerminal
from koffer.drivers.zvt.factory import create
from koffer.drivers.zvt.transport import SerialLink, TcpLink
from koffer.errors import ConfigError

NAME = "devices.payment_terminal"


def test_tcp_with_the_default_port() -> None:
    device = create(SectionReader({"host": "192.0.2.7", "password": "123456"}, NAME))
    assert isinstance(device, ZvtTerminal) and isinstance(device.link, TcpLink)
    assert (device.link.host, device.link.port) == ("192.0.2.7", 20007)
    assert device.link.description == "tcp://192.0.2.7:20007" and not device.is_open


def test_serial_port_path_with_line_settings() -> None:
    reader = SectionReader(
        {"port": "/dev/ttyS0", "password": "000000", "stopbits": 1, "baudrate": 115200}, NAME
    )
    device = create(reader)
    assert isinstance(device.link, SerialLink)
    assert (device.link.port, device.link.baudrate, device.link.stopbits) == (
        "/dev/ttyS0",
        115200,
        1,
    )


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"host": "h", "password": "12345"}, "6 Ziffern"),
        ({"host": "h", "password": 123456}, "password"),
        ({"password": "123456"}, "host"),
        ({"host": "h", "password": "123456", "colour": "red"}, "colour"),
        ({"host": "h", "port": "20007", "password": "123456"}, "port"),
    ],
)
def test_mistakes_are_refused_naming_the_key(table: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        create(SectionReader(table, NAME))
    assert fragment in info.value.message


def test_the_registry_knows_the_kind(tmp_path: Path) -> None:
    assert DEFAULT_REGISTRY.types(DeviceKind.PAYMENT_TERMINAL) == ("zvt", "simulator")
    path = tmp_path / "koffer.toml"
    path.write_text(
        '[devices.payment_terminal]\ntype = "zvt"\nhost = "192.0.2.7"\npassword = "000000"\n',
        encoding="utf-8",
    )
    settings = DeviceSettings.from_config(load_config(path))
    device = settings.require(DeviceKind.PAYMENT_TERMINAL)
    assert device.type == "zvt" and device.options["host"] == "192.0.2.7"
    simulated = DeviceSettings.from_config(load_config(path), simulate=True)
    assert simulated.require(DeviceKind.PAYMENT_TERMINAL).type == "simulator"


@pytest.mark.parametrize("transport", ["tcp", "pty"])
def test_selftest_registers_and_asks_status_without_paying(tmp_path: Path, transport: str) -> None:
    path = tmp_path / "koffer.toml"
    name = f"selftest-{uuid.uuid4().hex}"
    path.write_text(
        "[devices.payment_terminal]\n"
        f'type = "simulator"\ntransport = "{transport}"\nname = "{name}"\n',
        encoding="utf-8",
    )
    settings = DeviceSettings.from_config(load_config(path))
    results = run_selftest(settings, step_timeout=20.0)
    assert [r.kind for r in results] == ["payment_terminal"]
    assert all_required_ok(results), results[0].detail
    assert "angemeldet" in results[0].detail and results[0].serial == "29001006"
    device = DEFAULT_REGISTRY.create(
        DeviceKind.PAYMENT_TERMINAL,
        "simulator",
        SectionReader({"transport": transport, "name": name}, NAME),
    )
    assert isinstance(device, ZvtTerminal) and device.simulator is not None
    assert device.simulator.commands == [(0x06, 0x00), (0x05, 0x01)]
    assert device.simulator.journal == []
