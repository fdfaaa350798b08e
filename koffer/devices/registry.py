"""Which driver a configuration ``type`` string selects.

The registry maps ``(DeviceKind, type)`` to a ``"module:function"`` string and
imports the module only when a device of that type is wanted, so
``koffer.devices`` never imports a concrete driver and a driver whose
optional library is missing does not stop anything else from working.

Factory contract::

    def create(reader: koffer.config.SectionReader) -> Device

``reader`` is over the ``[devices.<kind>]`` table; the registry has already
read ``type`` and ``required``. The factory reads its own keys, must call
``reader.finish()`` (so unknown keys are refused naming the key) and returns
a device that is not yet open. A factory module may also offer
``enumerate_devices() -> list[DeviceDescriptor]`` for discovery.

A driver that cannot be imported becomes a :class:`DeviceNotFound` with a
German message, logged at warning level: never silent.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from types import ModuleType

from koffer.config import SectionReader
from koffer.devices.interfaces import Device, DeviceDescriptor, DeviceKind
from koffer.errors import ConfigError, DeviceNotFound

log = logging.getLogger(__name__)

SIMULATOR = "simulator"

Factory = Callable[[SectionReader], Device]

#: (kind, type) -> "module:function"
DRIVERS: Mapping[DeviceKind, Mapping[str, str]] = {
    DeviceKind.FINGERPRINT: {
        "r30x": "koffer.drivers.r30x.factory:create",
        SIMULATOR: "koffer.drivers.r30x.factory:create_simulated",
        "vendor-sdk": "koffer.devices.vendor_sdk:create",
    },
    DeviceKind.SIGNATURE_PAD: {
        "wacom-stu": "koffer.drivers.wacom_stu.factory:create",
        SIMULATOR: "koffer.drivers.wacom_stu.factory:create_simulated",
    },
    DeviceKind.RECEIPT_PRINTER: {
        "escpos-usb": "koffer.drivers.escpos.factory:create_usb",
        "escpos-serial": "koffer.drivers.escpos.factory:create_serial",
        SIMULATOR: "koffer.drivers.escpos.factory:create_simulated",
    },
    DeviceKind.DOCUMENT_PRINTER: {
        "ipp": "koffer.drivers.ipp.factory:create",
        SIMULATOR: "koffer.drivers.ipp.factory:create_simulated",
    },
    DeviceKind.CAMERA: {
        "v4l2": "koffer.drivers.camera.factory:create",
        SIMULATOR: "koffer.drivers.camera.factory:create_simulated",
    },
    DeviceKind.PAYMENT_TERMINAL: {
        "zvt": "koffer.drivers.zvt.factory:create",
        SIMULATOR: "koffer.drivers.zvt.factory:create_simulated",
    },
}

#: German names of the device kinds, for messages
KIND_NAMES: Mapping[DeviceKind, str] = {
    DeviceKind.FINGERPRINT: "Fingerabdruckscanner",
    DeviceKind.SIGNATURE_PAD: "Unterschriften-Pad",
    DeviceKind.RECEIPT_PRINTER: "Bondrucker",
    DeviceKind.DOCUMENT_PRINTER: "A4-Drucker",
    DeviceKind.CAMERA: "Kamera",
    DeviceKind.PAYMENT_TERMINAL: "Kartenterminal",
}


class Registry:
    """A driver table; :data:`DEFAULT_REGISTRY` holds :data:`DRIVERS`.

    Tests build their own with extra entries instead of patching.
    """

    def __init__(self, drivers: Mapping[DeviceKind, Mapping[str, str]] = DRIVERS) -> None:
        self._drivers = {kind: dict(types) for kind, types in drivers.items()}

    def types(self, kind: DeviceKind) -> tuple[str, ...]:
        return tuple(self._drivers.get(kind, {}))

    def target(self, kind: DeviceKind, type_: str) -> str:
        """The ``"module:function"`` string; :class:`ConfigError` for unknown types."""
        types = self._drivers.get(kind, {})
        if type_ not in types:
            allowed = ", ".join(f'"{t}"' for t in types)
            raise ConfigError(
                f'Konfiguration: [devices.{kind.value}] type = "{type_}" ist unbekannt. '
                f"Erlaubt sind: {allowed}.",
                message_en=f'Configuration: [devices.{kind.value}] type = "{type_}" is unknown. '
                f"Allowed: {allowed}.",
            )
        return types[type_]

    def _module(self, kind: DeviceKind, type_: str) -> tuple[ModuleType, str]:
        target = self.target(kind, type_)
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            missing = getattr(exc, "name", None) or module_name
            log.warning("device driver %s for %s/%s cannot be loaded: %s", target, kind, type_, exc)
            raise DeviceNotFound(
                f'Der Treiber "{type_}" für den {KIND_NAMES[kind]} ist nicht verfügbar '
                f"(fehlendes Modul: {missing}). Bitte installieren Sie das fehlende Paket "
                "oder wählen Sie einen anderen Typ in der Konfiguration.",
                message_en=f'Driver "{type_}" for the {kind.value} is not available '
                f"(missing module: {missing}).",
            ) from exc
        return module, attr

    def factory(self, kind: DeviceKind, type_: str) -> Factory:
        module, attr = self._module(kind, type_)
        function = getattr(module, attr, None)
        if not callable(function):
            log.warning("device driver %s has no factory %s", module.__name__, attr)
            raise DeviceNotFound(
                f'Der Treiber "{type_}" für den {KIND_NAMES[kind]} ist unvollständig '
                "installiert. Bitte aktualisieren Sie die Software.",
                message_en=f'Driver "{type_}" for the {kind.value} is incomplete '
                f"(no {attr} in {module.__name__}).",
            )
        factory: Factory = function
        return factory

    def create(self, kind: DeviceKind, type_: str, reader: SectionReader) -> Device:
        """A device (not yet open) from the factory of ``type_``."""
        device = self.factory(kind, type_)(reader)
        if not isinstance(device, Device) or device.kind != kind:
            raise DeviceNotFound(
                f'Der Treiber "{type_}" liefert kein Gerät der Art {KIND_NAMES[kind]}.',
                message_en=f'Driver "{type_}" did not return a {kind.value} device.',
            )
        return device

    def enumerate(
        self, kind: DeviceKind, *, allow_simulators: bool = False
    ) -> list[DeviceDescriptor]:
        """Devices every loadable driver of ``kind`` can see.

        Simulators only with ``allow_simulators``; drivers that cannot load
        are logged (warning) and skipped, so discovery always finishes.
        """
        found: list[DeviceDescriptor] = []
        seen: set[str] = set()
        for type_ in self.types(kind):
            if type_ == SIMULATOR and not allow_simulators:
                continue
            try:
                module, _ = self._module(kind, type_)
            except DeviceNotFound:
                continue
            if module.__name__ in seen:
                continue
            seen.add(module.__name__)
            enumerate_devices = getattr(module, "enumerate_devices", None)
            if enumerate_devices is None:
                continue
            try:
                for descriptor in enumerate_devices():
                    if descriptor.simulated and not allow_simulators:
                        continue
                    found.append(descriptor)
            except Exception:  # a broken probe must not stop discovery
                log.warning("enumerating %s/%s failed", kind, type_, exc_info=True)
        return found


DEFAULT_REGISTRY = Registry()
