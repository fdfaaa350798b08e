"""The ``[devices]`` configuration: one sub-table per device kind.

Example::

    [devices.fingerprint]
    type = "r30x"            # or "simulator", "vendor-sdk"
    port = "/dev/ttyUSB0"    # any pyserial port or URL
    baudrate = 57600
    required = true          # default: true

    [devices.camera]
    type = "v4l2"
    device = "/dev/video0"
    required = false

    [devices.payment_terminal]
    type = "zvt"             # or "simulator"
    host = "192.168.1.50"    # TCP, port defaults to 20007 ...
    port = 20007
    password = "000000"      # ... or port = "/dev/ttyS0" without host (RS-232)

Kinds: ``fingerprint``, ``signature_pad``, ``receipt_printer``,
``document_printer``, ``camera``, ``payment_terminal`` (keys of each
driver: ``koffer.drivers.zvt.factory`` for the card terminal). ``type`` picks the driver through
:mod:`koffer.devices.registry`; every other key belongs to that driver's
factory, which refuses keys it does not know. Simulators are used only when
asked: ``type = "simulator"`` or ``--simulate``. With ``simulate`` every
configured device becomes its simulator (a table that already says
``type = "simulator"`` keeps its options, other driver options are dropped);
with no ``[devices]`` table at all, ``simulate`` gives a full simulated
suitcase of every kind.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from koffer.config import Config, SectionReader
from koffer.devices.interfaces import Device, DeviceKind
from koffer.devices.registry import DEFAULT_REGISTRY, SIMULATOR, Registry
from koffer.errors import ConfigError, DeviceNotFound

log = logging.getLogger(__name__)

_RESERVED = ("type", "required")


@dataclass(frozen=True)
class DeviceConfig:
    """One configured device: its kind, driver type and driver options."""

    kind: DeviceKind
    type: str
    required: bool = True
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def simulated(self) -> bool:
        return self.type == SIMULATOR

    def reader(self) -> SectionReader:
        """A reader over the driver options (``type``/``required`` already read)."""
        return SectionReader(self.options, f"devices.{self.kind.value}")


@dataclass(frozen=True)
class DeviceSettings:
    """All configured devices, in :class:`DeviceKind` order."""

    devices: tuple[DeviceConfig, ...] = ()
    simulate: bool = False

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        simulate: bool = False,
        registry: Registry = DEFAULT_REGISTRY,
        validate: bool = True,
    ) -> DeviceSettings:
        """Read ``[devices]``; refuse unknown kinds, types and keys.

        With ``validate`` each driver's factory checks its own keys now (the
        device is built but not opened). A driver that cannot be imported is
        not a configuration mistake: it is logged and reported when the
        device is opened.
        """
        section = config.reader("devices")
        kinds = {k.value: k for k in DeviceKind}
        for key in section.keys():
            if key not in kinds:
                raise ConfigError(
                    f"Konfiguration: unbekanntes Gerät [devices.{key}]. "
                    f"Erlaubt sind: {', '.join(kinds)}.",
                    message_en=f"Configuration: unknown device [devices.{key}].",
                )
        configured = section.keys()
        devices: list[DeviceConfig] = []
        for kind in DeviceKind:
            if kind.value not in configured:
                if simulate and not configured:
                    devices.append(DeviceConfig(kind, SIMULATOR, True))
                continue
            reader = section.table(kind.value)
            type_ = reader.string("type")
            registry.target(kind, type_)  # unknown type -> ConfigError naming the key
            required = reader.boolean("required", True)
            options = {k: v for k, v in _table(config, kind).items() if k not in _RESERVED}
            if simulate and type_ != SIMULATOR:
                type_, options = SIMULATOR, {}
            device = DeviceConfig(kind, type_, required, MappingProxyType(options))
            if validate:
                try:
                    registry.create(kind, type_, device.reader())
                except DeviceNotFound:
                    log.warning("driver for %s/%s not loadable; not validated", kind, type_)
            devices.append(device)
        section.finish()
        return cls(tuple(devices), simulate)

    def get(self, kind: DeviceKind) -> DeviceConfig | None:
        for device in self.devices:
            if device.kind == kind:
                return device
        return None

    def require(self, kind: DeviceKind) -> DeviceConfig:
        device = self.get(kind)
        if device is None:
            raise ConfigError(
                f"Konfiguration: [devices.{kind.value}] fehlt.",
                message_en=f"Configuration: [devices.{kind.value}] is missing.",
            )
        return device


def _table(config: Config, kind: DeviceKind) -> Mapping[str, Any]:
    value = config.section("devices").get(kind.value, {})
    return value if isinstance(value, Mapping) else {}


def open_device(
    kind: DeviceKind, settings: DeviceSettings, *, registry: Registry = DEFAULT_REGISTRY
) -> Device:
    """The configured device of ``kind``, built through the registry (not yet opened)."""
    device = settings.require(kind)
    return registry.create(kind, device.type, device.reader())
