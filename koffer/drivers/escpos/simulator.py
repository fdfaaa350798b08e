"""A wire-level ESC/POS printer simulator: USB (pyusb backend) and pty peer.

:class:`EscPosSimulator` parses the device side of the byte stream (ESC @,
ESC t/E/a/d/!, GS !/V/v 0/( k, text, LF, DLE EOT n), keeps paper and cover
state, answers real-time status requests, and records what was printed in
:attr:`EscPosSimulator.printed` (text lines, images, QR codes, feeds, cuts).

It is reachable two ways, so one driver runs over both transports:

- :class:`EscPosUsbDevice` on :class:`~koffer.drivers.usbsim.SimulatedUsbBackend`
  (printer class 7, bulk OUT 01 / IN 82, GET_DEVICE_ID, GET_PORT_STATUS, the
  usblp kernel driver shown as attached so the driver has to detach it);
- :class:`PtyPeer`: the master side of a pseudo terminal in raw mode; the
  driver opens the slave path with pyserial.

Like a TM-T88 it has a head of 576 dots (48 Font A columns; a longer line is
broken by the printer wherever the column runs out), and its blade sits
:data:`BLADE_MM` above the print line: it tracks the paper position, so a
``GS V 0/1`` cut records how many text lines it leaves on the next receipt
(:attr:`PrintedCut.lines_past_blade`), while ``GS V 65/66 n`` first feeds the
last line past the blade. DLE EOT 3 reports an autocutter error (bit 3).

Fault injection: :meth:`EscPosSimulator.set_paper` ("ok" | "low" | "out"),
:meth:`~EscPosSimulator.set_cover_open`, :meth:`~EscPosSimulator.set_offline`,
:meth:`~EscPosSimulator.set_cutter_error`, :meth:`~EscPosSimulator.jam_cutter_on_next_cut`,
:meth:`~EscPosSimulator.paper_runs_out_after`, :meth:`~EscPosSimulator.send_garbage`,
:meth:`~EscPosSimulator.stall`; unplug through the USB device or the pty peer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PIL import Image

#: a stalled USB endpoint reports its timeout after at most this long (keeps tests fast)
STALL_REPORT_SECONDS = 0.2
_CODE_PAGE_BY_NUMBER = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
#: distance from the print line up to the autocutter blade (TM-T88 class)
BLADE_MM = 15.0
#: default line spacing, 1/6 inch
LINE_MM = 25.4 / 6
#: print head resolution (576 dots over 72 mm)
DOTS_PER_MM = 8.0
#: GS V n motion unit (1/180 inch)
MOTION_UNIT_MM = 25.4 / 180


@dataclass(frozen=True)
class PrintedLine:
    text: str
    bold: bool = False
    double_size: bool = False
    align: str = "left"


@dataclass(frozen=True)
class PrintedImage:
    image: Image.Image


@dataclass(frozen=True)
class PrintedQr:
    data: str
    size: int


@dataclass(frozen=True)
class PrintedFeed:
    lines: int


@dataclass(frozen=True)
class PrintedCut:
    partial: bool
    #: text lines not yet past the blade when it cut (they land on the next receipt)
    lines_past_blade: int = 0


Printed = PrintedLine | PrintedImage | PrintedQr | PrintedFeed | PrintedCut


class EscPosSimulator:
    """The printer's logic, independent of the transport."""

    def __init__(self, head_dots: int = 576) -> None:
        self.head_dots = head_dots
        self._lock = threading.Condition()
        self._in = bytearray()
        self._out = bytearray()
        self.printed: list[Printed] = []
        self.paper = "ok"
        self.cover_open = False
        self.offline = False
        self.stalled = False
        self.cutter_error = False
        self._jam_next_cut = False
        #: paper advanced so far (mm) and where each text line since the last cut ends
        self.position_mm = 0.0
        self._line_ends: list[float] = []
        self._paper_lines_left: int | None = None
        self._garbage = 0
        #: bytes of print data dropped because the printer could not print
        self.dropped_bytes = 0
        #: commands the parser did not know
        self.unknown_commands = 0
        self.status_requests = 0
        self._reset_modes()

    def _reset_modes(self) -> None:
        self._line = bytearray()
        self._bold = False
        self._double = False
        self._align = "left"
        self._code_page = "cp437"
        self._qr_data = b""
        self._qr_size = 3

    # ------------------------------------------------------------ control API
    def set_paper(self, state: str) -> None:
        if state not in ("ok", "low", "out"):
            raise ValueError("paper state must be ok, low or out")
        self.paper = state

    def set_cover_open(self, on: bool = True) -> None:
        self.cover_open = on

    def set_offline(self, on: bool = True) -> None:
        self.offline = on

    def set_cutter_error(self, on: bool = True) -> None:
        """The autocutter is jammed (offline; DLE EOT 3 bit 3) until cleared."""
        self.cutter_error = on

    def jam_cutter_on_next_cut(self) -> None:
        """The next cut command jams the blade instead of cutting."""
        self._jam_next_cut = True

    def paper_runs_out_after(self, lines: int | None) -> None:
        """Paper ends after ``lines`` more printed lines (None: never)."""
        self._paper_lines_left = lines

    def send_garbage(self, replies: int = 1) -> None:
        """The next ``replies`` status replies are garbage bytes."""
        self._garbage += replies

    def stall(self, on: bool = True) -> None:
        """Stop reading and answering (a hung printer)."""
        self.stalled = on

    @property
    def text_lines(self) -> list[str]:
        return [p.text for p in self.printed if isinstance(p, PrintedLine)]

    @property
    def images(self) -> list[Image.Image]:
        return [p.image for p in self.printed if isinstance(p, PrintedImage)]

    @property
    def qr_codes(self) -> list[str]:
        return [p.data for p in self.printed if isinstance(p, PrintedQr)]

    @property
    def cuts(self) -> list[PrintedCut]:
        return [p for p in self.printed if isinstance(p, PrintedCut)]

    # ------------------------------------------------------------ status
    def _can_print(self) -> bool:
        return (
            self.paper != "out" and not self.cover_open and not self.offline
        ) and not self.cutter_error

    def status_byte(self, n: int) -> int:
        value = 0x12
        if n == 1 and not self._can_print():
            value |= 0x08
        elif n == 2:
            value |= (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)
            value |= 0x40 if self.cutter_error else 0
        elif n == 3:
            value |= 0x08 if self.cutter_error else 0
        elif n == 4:
            value |= {"ok": 0x00, "low": 0x0C, "out": 0x6C}[self.paper]
        return value

    def port_status(self) -> int:
        """USB printer class GET_PORT_STATUS: 20 paper empty, 10 selected, 08 no error."""
        value = 0x08 if self._can_print() else 0x00
        if not self.offline:
            value |= 0x10
        if self.paper == "out":
            value |= 0x20
        return value

    # ------------------------------------------------------------ byte stream
    def feed(self, data: bytes) -> None:
        """Bytes from the host."""
        with self._lock:
            self._in += data
            self._parse()
            self._lock.notify_all()

    def take_output(self, size: int = 4096) -> bytes:
        with self._lock:
            out = bytes(self._out[:size])
            del self._out[:size]
            return out

    def wait_output(self, size: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not self._out:
                left = deadline - time.monotonic()
                if left <= 0:
                    return b""
                self._lock.wait(left)
            out = bytes(self._out[:size])
            del self._out[:size]
            return out

    def _reply(self, n: int) -> None:
        self.status_requests += 1
        if self._garbage:
            self._garbage -= 1
            self._out += b"\xff"
        else:
            self._out.append(self.status_byte(n))

    def _parse(self) -> None:
        buf = self._in
        while buf:
            used = self._command(buf)
            if used == 0:
                return  # incomplete command: wait for more bytes
            del buf[:used]

    def _printing(self, count: int) -> bool:
        if self._can_print():
            return True
        self.dropped_bytes += count
        return False

    def _command(self, buf: bytearray) -> int:
        first = buf[0]
        if first == 0x10:
            if len(buf) < 3:
                return 0
            if buf[1] == 0x04:
                self._reply(buf[2])
                return 3
            self.unknown_commands += 1
            return 2
        if first == 0x0A:
            self._end_line()
            return 1
        if first == 0x1B:
            if len(buf) < 2:
                return 0
            op = buf[1]
            if op == 0x40:
                self._end_line(only_if_text=True)
                self._reset_modes()
                return 2
            if op in (0x74, 0x45, 0x61, 0x64, 0x21, 0x2D, 0x4D):
                if len(buf) < 3:
                    return 0
                arg = buf[2]
                if op == 0x74:
                    self._code_page = _CODE_PAGE_BY_NUMBER.get(arg, "cp437")
                elif op == 0x45:
                    self._bold = bool(arg & 1)
                elif op == 0x61:
                    self._align = {0: "left", 1: "center", 2: "right"}.get(arg % 48, "left")
                elif op == 0x64:
                    self._end_line(only_if_text=True)
                    if self._printing(3):
                        self.printed.append(PrintedFeed(arg))
                        self.position_mm += arg * LINE_MM
                return 3
            if op == 0x70:
                return 5 if len(buf) >= 5 else 0
            self.unknown_commands += 1
            return 2
        if first == 0x1D:
            if len(buf) < 2:
                return 0
            op = buf[1]
            if op == 0x21:
                if len(buf) < 3:
                    return 0
                self._double = buf[2] != 0
                return 3
            if op == 0x56:
                if len(buf) < 3:
                    return 0
                used = 4 if buf[2] in (65, 66, 97, 98, 103, 104) else 3
                if len(buf) < used:
                    return 0
                self._end_line(only_if_text=True)
                if self._printing(used):
                    self._cut(buf[2], buf[3] if used == 4 else None)
                return used
            if op == 0x76:
                return self._raster(buf)
            if op == 0x28:
                return self._function(buf)
            self.unknown_commands += 1
            return 2
        if first < 0x20:
            return 1
        if len(self._line) >= self.head_dots // (24 if self._double else 12):
            self._end_line()  # the line is full: the printer breaks it wherever it is
        self._line.append(first)
        return 1

    def _cut(self, mode: int, extra: int | None) -> None:
        if self._jam_next_cut:
            self._jam_next_cut = False
            self.cutter_error = True
            return
        if extra is not None:  # functions B-D: feed the last line past the blade first
            last = max(self._line_ends, default=0.0)
            self.position_mm = max(self.position_mm, last + BLADE_MM) + extra * MOTION_UNIT_MM
        cut_at = self.position_mm - BLADE_MM
        past = sum(1 for end in self._line_ends if end > cut_at + 1e-6)
        self._line_ends.clear()
        partial = mode in (1, 49, 66, 98, 104)
        self.printed.append(PrintedCut(partial=partial, lines_past_blade=past))

    def _raster(self, buf: bytearray) -> int:
        if len(buf) < 8:
            return 0
        width_bytes = buf[4] | (buf[5] << 8)
        height = buf[6] | (buf[7] << 8)
        size = 8 + width_bytes * height
        if len(buf) < size:
            return 0
        if width_bytes and height and self._printing(size):
            data = bytes(buf[8:size])
            mono = Image.frombytes("1", (width_bytes * 8, height), data)
            # a set bit is a black dot: invert so the picture is black on white
            picture = mono.convert("L").point(lambda v: 255 - v)
            self.printed.append(PrintedImage(picture))
            self.position_mm += height / DOTS_PER_MM
        return size

    def _function(self, buf: bytearray) -> int:
        if len(buf) < 5:
            return 0
        length = buf[3] | (buf[4] << 8)
        size = 5 + length
        if len(buf) < size:
            return 0
        if buf[2] == 0x6B and length >= 3 and buf[5] == 0x31:
            fn, body = buf[6], bytes(buf[7:size])
            if fn == 0x43 and body:
                self._qr_size = body[0]
            elif fn == 0x50:
                self._qr_data = body[1:]
            elif fn == 0x51 and self._printing(size):
                self.printed.append(
                    PrintedQr(self._qr_data.decode("utf-8", "replace"), self._qr_size)
                )
                self.position_mm += self._qr_size * 29 / DOTS_PER_MM  # about 29 modules
        return size

    def _end_line(self, only_if_text: bool = False) -> None:
        if only_if_text and not self._line:
            return
        raw = bytes(self._line)
        self._line.clear()
        if not self._printing(len(raw) + 1):
            return
        self.position_mm += LINE_MM * (2 if self._double else 1)
        self._line_ends.append(self.position_mm)
        self.printed.append(
            PrintedLine(
                raw.decode(self._code_page, "replace"), self._bold, self._double, self._align
            )
        )
        if self._paper_lines_left is not None:
            self._paper_lines_left -= 1
            if self._paper_lines_left <= 0:
                self.paper = "out"
                self._paper_lines_left = None
