"""Seam for BSI-certified enrolment scanners that ship only closed SDKs.

No wire-level driver is possible for those (Dermalog, Integrated Biometrics,
HID …). A vendor adapter — a separate package wrapping the vendor's library
with ctypes or a BioAPI BSP — implements :class:`VendorAdapter` and
announces itself under the entry-point group ``koffer.fingerprint_sdk``::

    [project.entry-points."koffer.fingerprint_sdk"]
    ib-ultimate = "koffer_ib.adapter:create_adapter"

The entry point is a callable returning a :class:`VendorAdapter`.
Configuration::

    [devices.fingerprint]
    type = "vendor-sdk"
    sdk = "ib-ultimate"      # entry-point name
    device = ""              # device id from enumerate(); "" = the first
    capture_timeout = 10.0

Certification belongs to the vendor's hardware and software, not to this
wrapper; :class:`VendorScanner` reports the adapter's certificate ids in
:meth:`~VendorScanner.info` and the vendor's quality score (NFIQ 2 when the
SDK computes it) as :attr:`VendorScanner.last_quality`, which the
fingerprint pipeline prefers over its own estimator.

:class:`SimulatedVendorAdapter` is an API-level simulator (synthetic 500 ppi
images and a quality score) for tests and demos; tests pass it through an
explicit ``loader`` instead of installing an entry point.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from koffer.config import SectionReader
from koffer.devices.interfaces import (
    DeviceDescriptor,
    DeviceInfo,
    DeviceKind,
    FingerprintScanner,
    GreyImage,
    Prompt,
)
from koffer.devices.synthetic import fingerprint_pixels
from koffer.errors import DeviceDisconnected, DeviceError, DeviceNotFound, DeviceTimeout

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "koffer.fingerprint_sdk"


@dataclass(frozen=True)
class VendorDevice:
    id: str
    model: str
    serial: str = ""
    firmware: str = ""


@dataclass(frozen=True)
class VendorCapture:
    """One capture: 8-bit grey, row-major."""

    width: int
    height: int
    pixels: bytes
    ppi: int
    #: vendor quality 0–100 (NFIQ 2 if the SDK computes it), None if absent
    quality: int | None = None


@runtime_checkable
class VendorSession(Protocol):
    def capture(self, prompt: Prompt, timeout: float) -> VendorCapture:
        """Block until a finger image is taken; raise ``DeviceTimeout`` without one."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class VendorAdapter(Protocol):
    """What a vendor adapter package implements."""

    #: short name, e.g. "ib-ultimate"
    name: str
    #: BSI certificate ids of the hardware/software combination (may be empty)
    certificates: tuple[str, ...]

    def enumerate(self) -> list[VendorDevice]: ...

    def open(self, device_id: str) -> VendorSession: ...


AdapterLoader = Callable[[str], VendorAdapter]


def entry_point_loader(name: str) -> VendorAdapter:
    """Load the adapter registered under ``name`` in ``koffer.fingerprint_sdk``."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            try:
                factory = ep.load()
                adapter = factory()
            except Exception as exc:
                log.warning("vendor SDK adapter %s failed to load: %s", name, exc)
                raise DeviceNotFound(
                    f'Der Hersteller-Treiber "{name}" konnte nicht geladen werden. '
                    "Bitte prüfen Sie die Installation des Herstellerpakets.",
                    message_en=f'Vendor SDK adapter "{name}" failed to load.',
                ) from exc
            if not isinstance(adapter, VendorAdapter):
                raise DeviceNotFound(
                    f'Der Hersteller-Treiber "{name}" ist nicht kompatibel.',
                    message_en=f'Vendor SDK adapter "{name}" is not a VendorAdapter.',
                )
            return adapter
    log.warning("no vendor SDK adapter named %s in %s", name, ENTRY_POINT_GROUP)
    raise DeviceNotFound(
        f'Der Hersteller-Treiber "{name}" ist nicht installiert. Bitte installieren Sie '
        "das Paket des Herstellers oder prüfen Sie [devices.fingerprint] sdk.",
        message_en=f'Vendor SDK adapter "{name}" is not installed.',
    )


class VendorScanner(FingerprintScanner):
    """A :class:`FingerprintScanner` over a :class:`VendorAdapter`."""

    capabilities = frozenset({"image", "vendor_quality"})

    def __init__(
        self,
        adapter: VendorAdapter,
        device_id: str = "",
        *,
        type_name: str = "vendor-sdk",
        simulated: bool = False,
    ) -> None:
        self.adapter = adapter
        self.device_id = device_id
        self.type_name = type_name
        self.simulated = simulated
        self._session: VendorSession | None = None
        self._device: VendorDevice | None = None
        self.last_quality: int | None = None

    @property
    def is_open(self) -> bool:
        return self._session is not None

    def open(self) -> None:
        if self._session is not None:
            return
        devices = self.adapter.enumerate()
        chosen = [d for d in devices if not self.device_id or d.id == self.device_id]
        if not chosen:
            raise DeviceNotFound(
                "Der Fingerabdruckscanner wurde nicht gefunden. Bitte schließen Sie ihn an.",
                message_en="Fingerprint scanner not found (vendor SDK lists no device).",
            )
        self._device = chosen[0]
        self._session = self.adapter.open(self._device.id)

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session.close()
            except Exception:
                log.warning("vendor SDK close failed", exc_info=True)

    def info(self) -> DeviceInfo:
        if self._session is None or self._device is None:
            raise DeviceError(
                "Der Fingerabdruckscanner ist nicht geöffnet.",
                message_en="The fingerprint scanner is not open.",
            )
        return DeviceInfo(
            kind=DeviceKind.FINGERPRINT,
            type=self.type_name,
            model=self._device.model,
            firmware=self._device.firmware,
            serial=self._device.serial,
            simulated=self.simulated,
            extra={
                "sdk": self.adapter.name,
                "certificates": ", ".join(self.adapter.certificates) or "keine",
            },
        )

    def capture(self, prompt: Prompt, timeout: float = 10.0) -> GreyImage:
        if self._session is None:
            raise DeviceError(
                "Der Fingerabdruckscanner ist nicht geöffnet.",
                message_en="The fingerprint scanner is not open.",
            )
        prompt.show("place_finger", "Bitte legen Sie den Finger auf.")
        result = self._session.capture(prompt, timeout)
        self.last_quality = result.quality
        prompt.show("lift_finger", "Bitte nehmen Sie den Finger ab.")
        try:
            return GreyImage(result.width, result.height, result.pixels, result.ppi)
        except ValueError as exc:
            raise DeviceError(
                "Der Hersteller-Treiber hat ein ungültiges Bild geliefert.",
                message_en="The vendor SDK returned an invalid image.",
            ) from exc


def create_with_loader(reader: SectionReader, loader: AdapterLoader) -> FingerprintScanner:
    sdk = reader.string("sdk")
    device = reader.string("device", "")
    reader.finish()
    return VendorScanner(loader(sdk), device)


def create(reader: SectionReader) -> FingerprintScanner:
    """Registry factory for ``type = "vendor-sdk"`` (adapters from entry points)."""
    return create_with_loader(reader, entry_point_loader)


def enumerate_devices() -> list[DeviceDescriptor]:
    found: list[DeviceDescriptor] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            adapter = entry_point_loader(ep.name)
            devices = adapter.enumerate()
        except Exception:
            log.warning("vendor SDK %s: enumeration failed", ep.name, exc_info=True)
            continue
        found.extend(
            DeviceDescriptor(DeviceKind.FINGERPRINT, "vendor-sdk", d.id, d.model, d.serial)
            for d in devices
        )
    return found


# ------------------------------------------------------- API-level simulator


class _SimulatedSession:
    def __init__(self, adapter: SimulatedVendorAdapter) -> None:
        self._adapter = adapter
        self._count = 0

    def capture(self, prompt: Prompt, timeout: float) -> VendorCapture:
        adapter = self._adapter
        if not adapter.connected:
            raise DeviceDisconnected(
                "Die Verbindung zum Fingerabdruckscanner ist unterbrochen. "
                "Bitte prüfen Sie das Kabel und versuchen Sie es erneut.",
                message_en="Lost the connection to the fingerprint scanner.",
            )
        if not adapter.finger_present:
            raise DeviceTimeout(
                "Es wurde kein Finger erkannt. Bitte legen Sie den Finger flach auf "
                "den Scanner und versuchen Sie es erneut.",
                message_en="No finger detected.",
            )
        self._count += 1
        pixels = fingerprint_pixels(adapter.width, adapter.height, adapter.quality, self._count % 4)
        return VendorCapture(
            adapter.width, adapter.height, pixels, adapter.ppi, round(adapter.quality * 100)
        )

    def close(self) -> None:
        self._adapter.open_sessions -= 1


class SimulatedVendorAdapter:
    """A :class:`VendorAdapter` that behaves like a certified SDK, without hardware."""

    name = "simulator"
    certificates = ("SIMULATION – kein Zertifikat",)

    def __init__(
        self, *, width: int = 400, height: int = 500, ppi: int = 500, quality: float = 0.85
    ) -> None:
        self.width = width
        self.height = height
        self.ppi = ppi
        self.quality = quality
        self.finger_present = True
        self.connected = True
        self.open_sessions = 0

    def enumerate(self) -> list[VendorDevice]:
        if not self.connected:
            return []
        return [VendorDevice("sim-0", "Vendor-SDK-Simulator", "VSIM0001", "2.0")]

    def open(self, device_id: str) -> VendorSession:
        if not self.connected or device_id != "sim-0":
            raise DeviceNotFound(
                "Der Fingerabdruckscanner wurde nicht gefunden.",
                message_en="Fingerprint scanner not found.",
            )
        self.open_sessions += 1
        return _SimulatedSession(self)
