"""The configured card terminal, through the device registry.

``[devices.payment_terminal]`` picks the driver (``type = "zvt"`` or
``"simulator"``, see :mod:`koffer.devices.config`); ``simulate`` makes it the
simulated terminal. The device is returned unopened.
"""

from __future__ import annotations

from koffer.config import Config
from koffer.devices.config import DeviceSettings, open_device
from koffer.devices.interfaces import DeviceKind, PaymentTerminal
from koffer.devices.registry import DEFAULT_REGISTRY, Registry
from koffer.errors import DeviceNotFound


def configured_terminal(
    config: Config, *, simulate: bool = False, registry: Registry = DEFAULT_REGISTRY
) -> PaymentTerminal:
    """The card terminal of ``config`` (not yet open)."""
    settings = DeviceSettings.from_config(
        config, simulate=simulate, registry=registry, validate=False
    )
    device = open_device(DeviceKind.PAYMENT_TERMINAL, settings, registry=registry)
    if not isinstance(device, PaymentTerminal):  # pragma: no cover - the registry checks the kind
        raise DeviceNotFound(
            "Das eingerichtete Kartenterminal ist kein Kartenterminal.",
            message_en="The configured payment terminal is not a payment terminal.",
        )
    return device


def optional_terminal(
    config: Config, *, simulate: bool = False, registry: Registry = DEFAULT_REGISTRY
) -> PaymentTerminal | None:
    """The configured card terminal, or ``None`` when none is configured."""
    settings = DeviceSettings.from_config(
        config, simulate=simulate, registry=registry, validate=False
    )
    if settings.get(DeviceKind.PAYMENT_TERMINAL) is None:
        return None
    return configured_terminal(config, simulate=simulate, registry=registry)
