"""The Wacom STU-430/530/540 driver over USB HID.

The USB side (feature reports, pen reports, pyusb errors) is
:class:`~koffer.drivers.wacom_stu.transport.HidTransport`. The pyusb backend
is injectable: ``None`` uses libusb,
:class:`~koffer.drivers.usbsim.SimulatedUsbBackend` hosts the simulator, and
the driver code is the same for both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from koffer.devices.interfaces import (
    ButtonArea,
    DeviceInfo,
    DeviceKind,
    PadScreen,
    PenSample,
    SignaturePad,
)
from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.codec import Capability, Information, ReportId, Status
from koffer.drivers.wacom_stu.image import (
    ImageEncoding,
    ImageFormat,
    encode_image,
)
from koffer.drivers.wacom_stu.models import WACOM_VENDOR_ID, spec_for
from koffer.drivers.wacom_stu.transport import HidTransport
from koffer.errors import DeviceError, DeviceProtocolError, DeviceTimeout

if TYPE_CHECKING:
    from koffer.drivers.wacom_stu.simulator import StuSimulator

#: most reports one read_samples() call returns
MAX_BATCH = 512
#: consecutive undecodable pen reports before giving up
MAX_BAD_REPORTS = 20


class WacomStuPad(SignaturePad):
    """An STU pad; construct unopened, then :meth:`open`."""

    capabilities = frozenset({"pressure", "screen", "inking", "buttons", "sequence"})

    def __init__(
        self,
        *,
        backend: Any = None,
        vendor_id: int = WACOM_VENDOR_ID,
        product_id: int | None = None,
        timeout: float = 2.0,
        ready_timeout: float = 5.0,
        image_format: ImageFormat | None = None,
        type_name: str = "wacom-stu",
        simulator: StuSimulator | None = None,
    ) -> None:
        self._backend = backend
        self._link = HidTransport(
            backend=backend, vendor_id=vendor_id, product_id=product_id, timeout=timeout
        )
        self._ready_timeout = ready_timeout
        self._format_override = image_format
        self._type_name = type_name
        #: the simulator behind the backend (simulated pads only), for tests/demo
        self.simulator = simulator
        self.information: Information | None = None
        self.capability: Capability | None = None
        self._format = ImageFormat(ImageEncoding.MONO)
        self._block_data = codec.BLOCK_DATA_SMALL
        self._buttons: tuple[ButtonArea, ...] = ()
        self._lost = 0
        self._bad_reports = 0
        self._last_sequence: int | None = None
        self._sequence_high = 0
        self._last_time: int | None = None
        self._time_high = 0
        self._host_counter = 0
        self._opened_at = 0.0

    # ---------------------------------------------------------------- lifecycle
    @property
    def is_open(self) -> bool:
        return self._link.is_open

    def open(self) -> None:
        if self._link.is_open:
            return
        self._link.open()
        try:
            self.information = codec.decode_information(
                self._get(ReportId.INFORMATION, codec.INFORMATION_LENGTH)
            )
            self.capability = codec.decode_capability(
                self._get(ReportId.CAPABILITY, codec.CAPABILITY_LENGTH)
            )
            self._choose_format()
            self._status()
            self._set(codec.encode_pen_data_option(codec.PenDataOption.TIME_COUNT_SEQUENCE))
        except BaseException:
            self._release()
            raise
        self._lost = 0
        self._bad_reports = 0
        self._last_sequence = None
        self._sequence_high = 0
        self._last_time = None
        self._time_high = 0
        self._host_counter = 0
        self._opened_at = time.monotonic()

    def close(self) -> None:
        self._release()

    def _release(self) -> None:
        self._link.close()

    def _choose_format(self) -> None:
        assert self.information is not None and self.capability is not None
        spec = spec_for(self.information.model)
        if self._format_override is not None:
            self._format = self._format_override
        elif spec is not None:
            self._format = spec.image_format
        elif self.capability.encoding_flag & codec.ENCODING_24BIT:
            self._format = ImageFormat(ImageEncoding.BGR24)
        elif self.capability.encoding_flag & codec.ENCODING_16BIT:
            self._format = ImageFormat(ImageEncoding.RGB565)
        else:
            self._format = ImageFormat(ImageEncoding.MONO)
        self._block_data = spec.block_data if spec is not None else codec.BLOCK_DATA_SMALL

    # ------------------------------------------------------------- transfers
    def _device(self) -> None:
        self._link.device()

    def _get(self, report_id: int, length: int) -> bytes:
        return self._link.get_report(report_id, length)

    def _set(self, report: bytes) -> None:
        self._link.set_report(report)

    def _status(self) -> Status:
        return codec.decode_status(self._get(ReportId.STATUS, codec.STATUS_LENGTH))

    def _wait_ready(self) -> Status:
        deadline = time.monotonic() + self._ready_timeout
        while True:
            status = self._status()
            if status.ready:
                return status
            if time.monotonic() >= deadline:
                raise DeviceTimeout(
                    "Das Unterschriftenfeld wird nicht bereit. "
                    "Bitte stecken Sie es aus und wieder ein.",
                    message_en=f"Signature pad stayed in state {status.status:02X}.",
                )
            time.sleep(0.003)

    @staticmethod
    def _check(status: Status, what: str) -> None:
        if status.last_result != codec.ResultCode.OK:
            raise DeviceProtocolError(
                "Das Unterschriftenfeld hat einen Befehl abgelehnt. Bitte versuchen Sie es erneut.",
                message_en=f"Signature pad refused {what} (result {status.last_result:02X}).",
            )

    # ------------------------------------------------------------ interface
    def info(self) -> DeviceInfo:
        self._device()
        assert self.information is not None and self.capability is not None
        cap = self.capability
        return DeviceInfo(
            kind=DeviceKind.SIGNATURE_PAD,
            type=self._type_name,
            model=self.information.model,
            firmware=self.information.firmware,
            simulated=self.simulator is not None,
            extra={
                "screen": f"{cap.screen_width}x{cap.screen_height}",
                "max_pressure": str(cap.max_pressure),
                "report_rate": str(cap.max_report_rate),
                "image_encoding": str(self._format.encoding),
            },
        )

    def screen_size(self) -> tuple[int, int]:
        self._device()
        assert self.capability is not None
        return self.capability.screen_width, self.capability.screen_height

    def show(self, screen: PadScreen) -> None:
        size = self.screen_size()
        if screen.image.size != size:
            raise DeviceError(
                "Das Bild passt nicht auf das Unterschriftenfeld.",
                message_en=f"Screen image is {screen.image.size}, the pad needs {size}.",
            )
        payload = encode_image(screen.image, self._format)
        self._wait_ready()
        self._set(codec.encode_start_image(self._format.mode))
        self._check(self._status(), "StartImageData")
        for block in codec.image_blocks(payload, self._block_data):
            self._set(block)
        self._set(codec.encode_end_image())
        self._check(self._wait_ready(), "EndImageData")
        self._buttons = tuple(screen.buttons)

    def clear(self) -> None:
        self._wait_ready()
        self._set(codec.encode_clear_screen())
        self._check(self._wait_ready(), "ClearScreen")
        self._buttons = ()

    def set_inking(self, on: bool) -> None:
        self._set(codec.encode_inking_mode(on))
        self._check(self._status(), "InkingMode")

    def buttons(self) -> Sequence[ButtonArea]:
        return self._buttons

    @property
    def lost_samples(self) -> int:
        return self._lost

    def read_samples(self, timeout: float = 0.1) -> list[PenSample]:
        self._device()
        samples: list[PenSample] = []
        wait_ms = max(1, int(timeout * 1000))
        while len(samples) < MAX_BATCH:
            data = self._link.read_report(wait_ms)
            if data is None:
                break
            wait_ms = 1
            try:
                raw = self._plausible(codec.decode_pen_report(data))
            except DeviceProtocolError:
                self._bad_reports += 1
                if self._bad_reports > MAX_BAD_REPORTS:
                    raise
                continue
            self._bad_reports = 0
            samples.append(self._scale(raw))
        return samples

    def _plausible(self, raw: codec.RawPenData) -> codec.RawPenData:
        """Refuse a well-formed report whose values the pad cannot produce.

        Line noise can happen to carry a valid report ID; coordinates or
        pressure beyond the capability maxima give it away, and it must not
        disturb the sequence counters.
        """
        cap = self.capability
        assert cap is not None
        if raw.x > cap.max_x or raw.y > cap.max_y or raw.pressure > cap.max_pressure:
            raise DeviceProtocolError(
                "Das Unterschriften-Pad hat unplausible Stiftdaten gesendet.",
                message_en="The signature pad sent implausible pen data.",
            )
        return raw

    def _scale(self, raw: codec.RawPenData) -> PenSample:
        cap = self.capability
        assert cap is not None
        if raw.sequence is None or raw.time_count is None:
            self._host_counter += 1
            sequence = self._host_counter
            time_ms = int((time.monotonic() - self._opened_at) * 1000)
        else:
            self._lost += codec.sequence_gap(self._last_sequence, raw.sequence)
            if self._last_sequence is not None and raw.sequence < self._last_sequence:
                self._sequence_high += 0x10000
            if self._last_time is not None and raw.time_count < self._last_time:
                self._time_high += 0x10000
            self._last_sequence = raw.sequence
            self._last_time = raw.time_count
            sequence = self._sequence_high + raw.sequence
            time_ms = self._time_high + raw.time_count
        return PenSample(
            x=raw.x * cap.screen_width / cap.max_x,
            y=raw.y * cap.screen_height / cap.max_y,
            pressure=min(1.0, raw.pressure / cap.max_pressure),
            touching=raw.touching,
            in_proximity=raw.in_proximity,
            time_ms=time_ms,
            sequence=sequence,
        )
