"""Serve an :class:`R30xSimulator` on a pseudo-terminal.

The driver opens :attr:`PtyPeer.port` (``/dev/pts/N``) exactly like a USB
serial adapter, so the whole pyserial + termios path runs. Baud rates are
ignored by ptys; the simulator's ``line_rate`` paces the bytes instead.

:meth:`PtyPeer.unplug` closes the master side (the driver's next read or
write fails like a pulled adapter); :meth:`PtyPeer.replug` creates a new pty
and re-points :attr:`link` (when given) at it, like a udev ``by-id`` link.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import threading
import tty
from pathlib import Path
from types import TracebackType

from koffer.drivers.r30x.simulator import R30xSimulator


class PtyPeer:
    def __init__(self, simulator: R30xSimulator, link: Path | None = None) -> None:
        self.simulator = simulator
        self.link = link
        self._master = -1
        self._slave = -1
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.port_name = ""

    @property
    def port(self) -> str:
        """The path the driver should open (the link if one was given)."""
        return str(self.link) if self.link is not None else self.port_name

    def start(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.port_name = os.ttyname(self._slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self.port_name)
            tmp.replace(self.link)
        self.simulator.plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name="r30x-pty-peer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1

    def unplug(self) -> None:
        self.simulator.unplug()
        self.stop()

    def replug(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> PtyPeer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self) -> None:
        master = self._master
        pending = b""
        while not self._stop.is_set():
            want_write = [master] if pending else []
            try:
                readable, writable, _ = select.select([master], want_write, [], 0.005)
            except (OSError, ValueError):
                return
            if readable:
                try:
                    data = os.read(master, 4096)
                except OSError as exc:
                    if exc.errno in (errno.EAGAIN, errno.EIO):
                        data = b""
                    else:
                        return
                if data:
                    self.simulator.write(data)
            if not pending:
                pending = self.simulator.read(4096, 0.002)
            if pending and (writable or not want_write):
                try:
                    written = os.write(master, pending)
                    pending = pending[written:]
                except BlockingIOError:
                    pass
                except OSError:
                    return
