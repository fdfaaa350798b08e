"""The links that carry the ESC/POS simulator: a simulated USB device and a pty.

The real driver reaches :class:`EscPosUsbDevice` through pyusb's backend seam
(:mod:`koffer.drivers.usbsim`) and :class:`PtyPeer` through pyserial on a
pseudo-terminal, exactly as a printer on USB or RS-232. The printer itself
is :class:`~koffer.drivers.escpos.simulator.EscPosSimulator`.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from pathlib import Path

from koffer.drivers.escpos.simulator import STALL_REPORT_SECONDS, EscPosSimulator
from koffer.drivers.escpos.transport import SerialTransport
from koffer.drivers.usbsim import (
    ENDPOINT_BULK,
    EndpointSpec,
    InterfaceSpec,
    SimulatedUsbBackend,
    SimulatedUsbDevice,
    usb_stall,
    usb_timeout,
)

# ------------------------------------------------------------------- USB


class EscPosUsbDevice(SimulatedUsbDevice):
    """The simulator as a USB printer-class device (Epson-like IDs)."""

    DEVICE_ID = b"MFG:EPSON;CMD:ESC/POS;MDL:TM-T88V;CLS:PRINTER;DES:Simulated;"

    def __init__(self, sim: EscPosSimulator, vendor_id: int = 0x04B8, product_id: int = 0x0202):
        super().__init__(
            vendor_id=vendor_id,
            product_id=product_id,
            interfaces=(
                InterfaceSpec(
                    number=0,
                    interface_class=7,
                    subclass=1,
                    protocol=2,
                    endpoints=(
                        EndpointSpec(0x01, ENDPOINT_BULK, 64),
                        EndpointSpec(0x82, ENDPOINT_BULK, 64),
                    ),
                ),
            ),
        )
        self.sim = sim
        self.kernel_driver_active = {0}

    def control(
        self, request_type: int, request: int, value: int, index: int, data: bytes, length: int
    ) -> bytes | int:
        if self.sim.stalled:
            raise usb_timeout()
        if request_type == 0xA1 and request == 0x00:
            ident = self.DEVICE_ID
            return (len(ident) + 2).to_bytes(2, "big") + ident
        if request_type == 0xA1 and request == 0x01:
            return bytes([self.sim.port_status()])
        raise usb_stall()

    def bulk_out(self, endpoint: int, data: bytes, timeout_ms: int) -> int:
        if endpoint != 0x01:
            raise usb_stall()
        if self.sim.stalled:
            time.sleep(min(timeout_ms / 1000.0, STALL_REPORT_SECONDS))
            raise usb_timeout()
        self.sim.feed(data)
        return len(data)

    def bulk_in(self, endpoint: int, size: int, timeout_ms: int) -> bytes:
        if endpoint != 0x82:
            raise usb_stall()
        if self.sim.stalled:
            time.sleep(min(timeout_ms / 1000.0, STALL_REPORT_SECONDS))
            raise usb_timeout()
        data = self.sim.wait_output(size, timeout_ms / 1000.0)
        if not data:
            raise usb_timeout()
        return data


def make_usb_printer(
    sim: EscPosSimulator | None = None,
) -> tuple[EscPosSimulator, EscPosUsbDevice, SimulatedUsbBackend]:
    """A simulated printer plugged into its own simulated USB bus."""
    sim = sim or EscPosSimulator()
    device = EscPosUsbDevice(sim)
    return sim, device, SimulatedUsbBackend(device)


# ------------------------------------------------------------------- pty


class PtyPeer:
    """Serves the simulator on the master side of a pseudo terminal.

    ``link`` (optional) is a symlink kept pointing at the current slave, like
    a udev ``/dev/serial/by-id`` link, so a replugged peer keeps its path.
    """

    def __init__(self, sim: EscPosSimulator, link: Path | None = None) -> None:
        self.sim = sim
        self.link = link
        self._master = -1
        self._slave = -1
        self._slave_path = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def path(self) -> str:
        if self.link is not None:
            return str(self.link)
        return self._slave_path

    def start(self) -> None:
        if self._thread is not None:
            return
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self._slave_path = os.ttyname(self._slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self._slave_path)
            tmp.replace(self.link)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="escpos-pty-peer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the pty (the host side sees the line vanish)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout=2.0)
        for fd in (self._master, self._slave):
            try:
                os.close(fd)
            except OSError:
                pass
        self._master = self._slave = -1

    unplug = stop

    def replug(self) -> None:
        self.start()

    def _serve(self) -> None:
        master = self._master
        while not self._stop.is_set():
            if self.sim.stalled:
                time.sleep(0.01)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.01)
                if ready:
                    data = os.read(master, 65536)
                    if data:
                        self.sim.feed(data)
                out = self.sim.take_output()
                if out:
                    os.write(master, out)
            except OSError:
                time.sleep(0.01)


class PtySerialTransport(SerialTransport):
    """The real serial transport on a :class:`PtyPeer`: open starts it, close stops it."""

    def __init__(self, peer: PtyPeer, *, timeout: float = 5.0) -> None:
        super().__init__("", timeout=timeout)
        self.peer = peer

    def open(self) -> None:
        if not self.peer.running:
            self.peer.start()
        self.port = self.peer.path
        super().open()

    def close(self) -> None:
        super().close()
        self.peer.stop()
