"""A wire-level STU-430/530/540 simulator behind the simulated pyusb backend.

It plays the device side of the report protocol: a register map of feature
reports (GET 08/09/03, SET 04/20/21/25/26/27/2A/32), the state machine
Ready → Image → Ready (out-of-order commands leave lastResultCode 02 "wrong
state" in the status report), uploaded images rebuilt into :attr:`screen` so
tests can check pixels, and pen reports 01 or 34 on the interrupt IN endpoint
at the device's report rate from scripted strokes, delivered by the clock.

Fault injection: :meth:`unplug`/:meth:`replug`, :meth:`stall`,
:meth:`send_garbage`, :meth:`drop` (sequence gaps), :attr:`rate` (e.g. 2,000
reports/s for stress), and a bounded report backlog: reports a slow host does
not fetch in time are lost, as on a real HID endpoint.

Capability values per model are plausible figures, not measured ones.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from koffer.drivers.usbsim import (
    ENDPOINT_INTERRUPT,
    EndpointSpec,
    InterfaceSpec,
    SimulatedUsbBackend,
    SimulatedUsbDevice,
    usb_stall,
    usb_timeout,
)
from koffer.drivers.wacom_stu import codec
from koffer.drivers.wacom_stu.codec import (
    Capability,
    ImageMode,
    Information,
    RawPenData,
    ReportId,
    ResultCode,
    StatusCode,
)
from koffer.drivers.wacom_stu.image import ImageEncoding, ImageFormat, decode_image
from koffer.drivers.wacom_stu.models import MODELS, WACOM_VENDOR_ID
from koffer.errors import DeviceProtocolError

PEN_ENDPOINT = 0x81
SET_REPORT = (0x21, 0x09)
GET_REPORT = (0xA1, 0x01)

CAPABILITIES: dict[str, Capability] = {
    "STU-430": Capability(9600, 6000, 1023, 320, 200, 200, 2540, codec.ENCODING_1BIT),
    "STU-530": Capability(
        10800, 6480, 1023, 800, 480, 200, 2540, codec.ENCODING_1BIT | codec.ENCODING_16BIT
    ),
    "STU-540": Capability(
        10800, 6480, 1023, 800, 480, 200, 2540, codec.ENCODING_1BIT | codec.ENCODING_24BIT
    ),
}

_MODE_FLAGS = {
    ImageMode.MONO: codec.ENCODING_1BIT,
    ImageMode.RGB565: codec.ENCODING_16BIT,
    ImageMode.RGB24: codec.ENCODING_24BIT,
}
_MODE_ENCODING = {
    ImageMode.MONO: ImageEncoding.MONO,
    ImageMode.RGB565: ImageEncoding.RGB565,
    ImageMode.RGB24: ImageEncoding.BGR24,
}


@dataclass(frozen=True)
class PenPoint:
    """A scripted pen position in screen pixels."""

    x: float
    y: float
    pressure: float = 0.6
    touching: bool = True
    in_proximity: bool = True


def line_stroke(
    start: tuple[float, float], end: tuple[float, float], samples: int, pressure: float = 0.6
) -> list[PenPoint]:
    """``samples`` evenly spaced touching points from ``start`` to ``end``."""
    n = max(2, samples)
    return [
        PenPoint(
            start[0] + (end[0] - start[0]) * i / (n - 1),
            start[1] + (end[1] - start[1]) * i / (n - 1),
            pressure,
        )
        for i in range(n)
    ]


class StuSimulator(SimulatedUsbDevice):
    """The simulated pad. Build with :func:`make_stu_simulator`."""

    def __init__(self, model: str = "STU-430", *, backlog_limit: int = 256) -> None:
        if model not in MODELS:
            raise ValueError(f"unknown STU model {model!r}")
        spec = MODELS[model]
        super().__init__(
            vendor_id=WACOM_VENDOR_ID,
            product_id=spec.product_ids[0],
            interfaces=(
                InterfaceSpec(
                    number=0,
                    interface_class=3,
                    endpoints=(EndpointSpec(PEN_ENDPOINT, ENDPOINT_INTERRUPT, 64, 5),),
                ),
            ),
        )
        self.model = model
        self.capability = CAPABILITIES[model]
        self.information = Information(model, 1, 7, 0, b"\0\0\0\0")
        self.kernel_driver_active = {0}
        self._lock = threading.Lock()
        self.status_code = StatusCode.READY
        self.last_result = ResultCode.OK
        self.busy_seconds = 0.01
        self._busy_until = 0.0
        self._upload = bytearray()
        self._upload_mode = ImageMode.MONO
        self.screen = Image.new(
            "RGB", (self.capability.screen_width, self.capability.screen_height), "white"
        )
        self.images_committed = 0
        self.inking = False
        self.pen_option = codec.PenDataOption.NONE
        self.handwriting_area = (0, 0, self.capability.screen_width, self.capability.screen_height)
        #: reports per second of the current stream
        self.rate = float(self.capability.max_report_rate)
        self.backlog_limit = backlog_limit
        #: reports the host failed to fetch in time (backlog overflow)
        self.overflowed = 0
        #: reports sent (delivered to the host)
        self.sent = 0
        self._stalled = False
        self._garbage = 0
        self._drop = 0
        self._sample: Callable[[int], RawPenData] | None = None
        self._count = 0
        self._t0 = 0.0
        self._next = 0
        self._sequence_base = 0x1230

    # ------------------------------------------------------------ control API
    def stall(self, on: bool = True) -> None:
        """Stop answering: every transfer times out until ``stall(False)``."""
        self._stalled = on

    def send_garbage(self, reports: int = 1) -> None:
        """The next ``reports`` interrupt reads return random bytes."""
        self._garbage += reports

    def drop(self, reports: int) -> None:
        """Skip the next ``reports`` pen reports (a sequence gap)."""
        with self._lock:
            self._drop += reports

    def sign(self, strokes: Sequence[Sequence[PenPoint]], rate: float | None = None) -> float:
        """Start streaming ``strokes`` now; returns the stream's duration in s.

        Between strokes the pen hovers for three reports; at the end it leaves
        proximity with one report.
        """
        points: list[PenPoint] = []
        for stroke in strokes:
            points.extend(stroke)
            if stroke:
                last = stroke[-1]
                points.extend(PenPoint(last.x, last.y, 0.0, False) for _ in range(3))
        if points:
            last = points[-1]
            points.append(PenPoint(last.x, last.y, 0.0, False, False))
        raw = [self._to_raw(p) for p in points]
        return self._start(lambda i: raw[i], len(raw), rate)

    def stream(self, seconds: float, rate: float | None = None) -> int:
        """Stream a synthetic circling signature for ``seconds``; returns the count."""
        use_rate = rate or self.rate
        count = max(1, int(seconds * use_rate))
        cap = self.capability

        def sample(i: int) -> RawPenData:
            angle = i / 50.0
            return RawPenData(
                True,
                1,
                300 + (i % 500),
                int(cap.max_x / 2 + math.cos(angle) * cap.max_x / 4),
                int(cap.max_y / 2 + math.sin(angle) * cap.max_y / 4),
            )

        self._start(sample, count, use_rate)
        return count

    def stream_done(self) -> bool:
        with self._lock:
            return self._next >= self._count

    def _start(self, sample: Callable[[int], RawPenData], count: int, rate: float | None) -> float:
        with self._lock:
            if rate:
                self.rate = float(rate)
            # sequence numbers run on across streams, as on the device
            self._sequence_base = (self._sequence_base + self._next) & 0xFFFF
            self._sample = sample
            self._count = count
            self._t0 = time.monotonic()
            self._next = 0
            return count / self.rate

    def _to_raw(self, p: PenPoint) -> RawPenData:
        cap = self.capability
        x = round(min(max(p.x, 0.0), cap.screen_width) * cap.max_x / cap.screen_width)
        y = round(min(max(p.y, 0.0), cap.screen_height) * cap.max_y / cap.screen_height)
        pressure = round(min(max(p.pressure, 0.0), 1.0) * cap.max_pressure)
        return RawPenData(p.in_proximity, 1 if p.touching else 0, pressure, x, y)

    # ----------------------------------------------------------- USB control
    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes, length: int
    ) -> bytes | int:
        if self._stalled:
            raise usb_timeout()
        report_id = value & 0xFF
        with self._lock:
            if (request_type, request) == GET_REPORT and value >> 8 == 0x03:
                return self._get(report_id)[:length]
            if (request_type, request) == SET_REPORT and value >> 8 == 0x03:
                if not data or data[0] != report_id:
                    self.last_result = ResultCode.WRONG_REPORT_ID
                    raise usb_stall()
                self._set(report_id, data)
                return len(data)
        raise usb_stall()

    def _current_status(self) -> int:
        if self._busy_until and time.monotonic() >= self._busy_until:
            self._busy_until = 0.0
            self.status_code = StatusCode.READY
        return self.status_code

    def _get(self, report_id: int) -> bytes:
        if report_id == ReportId.INFORMATION:
            return codec.encode_information(self.information)
        if report_id == ReportId.CAPABILITY:
            return codec.encode_capability(self.capability)
        if report_id == ReportId.STATUS:
            return codec.encode_status(codec.Status(self._current_status(), self.last_result))
        if report_id == ReportId.HANDWRITING_DISPLAY_AREA:
            return codec.encode_handwriting_area(*self.handwriting_area)
        if report_id == ReportId.PEN_DATA_OPTION_MODE:
            return bytes([report_id, self.pen_option])
        self.last_result = ResultCode.WRONG_REPORT_ID
        raise usb_stall()

    def _busy(self) -> None:
        self.status_code = StatusCode.IMAGE
        self._busy_until = time.monotonic() + self.busy_seconds

    def _set(self, report_id: int, data: bytes) -> None:
        state = self._current_status()
        result = ResultCode.OK
        if report_id == ReportId.RESET:
            self.status_code = StatusCode.READY
            self._busy_until = 0.0
            self.pen_option = codec.PenDataOption.NONE
            self.inking = False
            self.screen = Image.new("RGB", self.screen.size, "white")
        elif report_id == ReportId.CLEAR_SCREEN:
            if state != StatusCode.READY:
                result = ResultCode.WRONG_STATE
            else:
                self.screen = Image.new("RGB", self.screen.size, "white")
                self._busy()
        elif report_id == ReportId.INKING_MODE:
            self.inking = len(data) > 1 and data[1] != 0
        elif report_id == ReportId.START_IMAGE_DATA:
            mode = data[1] if len(data) > 1 else -1
            if state != StatusCode.READY:
                result = ResultCode.WRONG_STATE
            elif (
                mode not in _MODE_FLAGS
                or not self.capability.encoding_flag & _MODE_FLAGS[ImageMode(mode)]
            ):
                result = ResultCode.BAD_PARAMETER
            else:
                self._upload_mode = ImageMode(mode)
                self._upload.clear()
                self.status_code = StatusCode.IMAGE
        elif report_id == ReportId.IMAGE_DATA_BLOCK:
            if state != StatusCode.IMAGE or self._busy_until:
                result = ResultCode.WRONG_STATE
            else:
                try:
                    self._upload += codec.decode_image_block(data)
                except DeviceProtocolError:
                    result = ResultCode.BAD_PARAMETER
        elif report_id == ReportId.END_IMAGE_DATA:
            if state != StatusCode.IMAGE or self._busy_until:
                result = ResultCode.WRONG_STATE
            elif len(data) > 1 and data[1] == 0x01:
                self.status_code = StatusCode.READY
            else:
                result = self._commit()
        elif report_id == ReportId.HANDWRITING_DISPLAY_AREA:
            try:
                left, top, right, bottom = codec.decode_handwriting_area(data)
            except DeviceProtocolError:
                result = ResultCode.BAD_PARAMETER
            else:
                w, h = self.screen.size
                if not (left < right <= w and top < bottom <= h):
                    result = ResultCode.WRONG_AREA
                else:
                    self.handwriting_area = (left, top, right, bottom)
        elif report_id == ReportId.PEN_DATA_OPTION_MODE:
            option = data[1] if len(data) > 1 else -1
            if option in (0, 1, 2, 3):
                self.pen_option = codec.PenDataOption(option)
            else:
                result = ResultCode.BAD_PARAMETER
        else:
            self.last_result = ResultCode.WRONG_REPORT_ID
            raise usb_stall()
        self.last_result = result

    def _commit(self) -> ResultCode:
        fmt = ImageFormat(_MODE_ENCODING[self._upload_mode])
        try:
            self.screen = decode_image(bytes(self._upload), fmt, self.screen.size)
        except DeviceProtocolError:
            self.status_code = StatusCode.READY
            return ResultCode.IMAGE_ENCODING_SIZE
        self.images_committed += 1
        self._busy()
        return ResultCode.OK

    # ------------------------------------------------------------ pen stream
    def interrupt_in(self, endpoint: int, size: int, timeout_ms: int) -> bytes:
        if endpoint != PEN_ENDPOINT:
            raise usb_stall()
        deadline = time.monotonic() + max(timeout_ms, 1) / 1000.0
        while True:
            if self._stalled:
                time.sleep(max(0.0, deadline - time.monotonic()))
                raise usb_timeout()
            with self._lock:
                if self._garbage:
                    self._garbage -= 1
                    return os.urandom(min(size, 11))
                report, wait_until = self._due_report()
            if report is not None:
                return report[:size]
            now = time.monotonic()
            if now >= deadline:
                raise usb_timeout()
            time.sleep(max(0.0, min(deadline, wait_until) - now))

    def _due_report(self) -> tuple[bytes | None, float]:
        """The next due report, or None and the time the next one is due."""
        if self._sample is None or self._next >= self._count:
            return None, math.inf
        now = time.monotonic()
        due = min(self._count, int((now - self._t0) * self.rate) + 1)
        if due - self._next > self.backlog_limit:
            lost = due - self._next - self.backlog_limit
            self.overflowed += lost
            self._next += lost
        if self._drop:
            skip = min(self._drop, self._count - self._next)
            self._next += skip
            self._drop -= skip
        if self._next >= due:
            return None, self._t0 + self._next / self.rate
        index = self._next
        self._next += 1
        self.sent += 1
        raw = self._sample(index)
        if self.pen_option == codec.PenDataOption.TIME_COUNT_SEQUENCE:
            raw = RawPenData(
                raw.in_proximity,
                raw.switch,
                raw.pressure,
                raw.x,
                raw.y,
                int(index * 1000 / self.rate) & 0xFFFF,
                (self._sequence_base + index) & 0xFFFF,
            )
        return codec.encode_pen_data(raw), 0.0


def make_stu_simulator(model: str = "STU-430") -> tuple[StuSimulator, SimulatedUsbBackend]:
    """A simulated pad plugged into its own simulated USB bus."""
    sim = StuSimulator(model)
    return sim, SimulatedUsbBackend(sim)
