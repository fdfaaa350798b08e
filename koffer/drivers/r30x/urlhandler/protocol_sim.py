"""``sim://r30x?name=NAME&quality=0.9&finger=1&delay=0&line_rate=0`` for pyserial.

The port runs an in-process :class:`~koffer.drivers.r30x.simulator.R30xSimulator`.
With ``name`` the simulator is shared through
:func:`~koffer.drivers.r30x.simulator.named_simulator`, so a test (or the
demo) keeps a handle for fault injection and the port can be closed and
reopened against the same simulated module. Without ``name`` every open gets
a fresh simulator. An unplugged simulator refuses to open and makes reads
and writes fail like a vanished USB adapter (``SerialException``).
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import serial
from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from koffer.drivers.r30x.simulator import R30xSimulator, named_simulator

_FLOAT_KEYS = {"quality": "quality", "delay": "reply_delay"}
_INT_KEYS = {"line_rate": "line_rate", "finger_after": "finger_after_polls"}
_BUILD_KEYS = ("width", "height", "packet_size")


def simulator_from_url(url: str) -> R30xSimulator:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "sim" or parts.netloc not in ("r30x", "r503", ""):
        raise SerialException(f"unsupported simulator URL: {url!r}")
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    name = query.pop("name", None)
    build = {key: int(query.pop(key)) for key in _BUILD_KEYS if key in query}
    if parts.netloc == "r503":
        build.setdefault("width", 192)
        build.setdefault("height", 192)
    try:
        width = build.get("width", 256)
        height = build.get("height", 288)
        size = build.get("packet_size", 128)
        if name:
            sim = named_simulator(name, width=width, height=height, packet_size=size)
        else:
            sim = R30xSimulator(width=width, height=height, packet_size=size)
        changes: dict[str, Any] = {}
        for key, value in query.items():
            if key == "finger":
                changes["finger_present"] = value not in ("0", "false", "no")
            elif key in _FLOAT_KEYS:
                changes[_FLOAT_KEYS[key]] = float(value)
            elif key in _INT_KEYS:
                changes[_INT_KEYS[key]] = int(value)
            else:
                raise SerialException(f"unknown simulator option {key!r}")
    except ValueError as exc:
        raise SerialException(f"bad simulator URL: {url!r}") from exc
    sim.configure(**changes)
    return sim


class Serial(SerialBase):  # type: ignore[misc]
    """A pyserial port whose far end is the R30x simulator."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.simulator: R30xSimulator | None = None
        self.is_open: bool = False
        super().__init__(*args, **kwargs)

    def open(self) -> None:
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        sim = simulator_from_url(self.portstr)
        if sim.unplugged:
            raise SerialException(f"could not open port {self.portstr}: device not present")
        sim.reset_line()
        self.simulator = sim
        self.is_open = True

    def close(self) -> None:
        self.is_open = False
        self.simulator = None

    def _reconfigure_port(self) -> None:
        """Baud rate and framing do not matter in-process."""

    def from_url(self, url: str) -> str:
        return url

    def _sim(self) -> R30xSimulator:
        if not self.is_open or self.simulator is None:
            raise PortNotOpenError()
        if self.simulator.unplugged:
            raise SerialException("device reports readiness to read but returned no data")
        return self.simulator

    @property
    def in_waiting(self) -> int:
        return self._sim().pending()

    def read(self, size: int = 1) -> bytes:
        sim = self._sim()
        data = sim.read(size, self._timeout)
        if not data and sim.unplugged:
            raise SerialException("device disconnected")
        return data

    def write(self, data: bytes) -> int:
        self._sim().write(bytes(data))
        return len(data)

    def reset_input_buffer(self) -> None:
        sim = self._sim()
        while sim.read(4096, 0):
            pass

    def reset_output_buffer(self) -> None:
        self._sim()

    def flush(self) -> None:
        self._sim()

    def _update_break_state(self) -> None:
        pass

    def _update_rts_state(self) -> None:
        pass

    def _update_dtr_state(self) -> None:
        pass


__all__ = ["Serial", "serial", "simulator_from_url"]
