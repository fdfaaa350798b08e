"""Run CUPS's ``ippeveprinter`` on loopback for tests.

ippeveprinter always initialises DNS-SD (Avahi over the D-Bus *system* bus)
and listens on IPv4 and IPv6 for its host name. In a container without a
system bus it refuses to start, so we give it a private ``dbus-daemon`` via
``DBUS_SYSTEM_BUS_ADDRESS``, turn advertising off (``-r off``) and use
``-n localhost`` (resolves to 127.0.0.1 and ::1). Spool files go to a tmp dir.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

IPPEVEPRINTER = shutil.which("ippeveprinter") or (
    "/usr/sbin/ippeveprinter" if os.path.exists("/usr/sbin/ippeveprinter") else None
)
DBUS_DAEMON = shutil.which("dbus-daemon")
UNAVAILABLE = (
    None
    if IPPEVEPRINTER and DBUS_DAEMON
    else "ippeveprinter (Debian cups-ipp-utils) or dbus-daemon is not installed"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ippeveprinter exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("ippeveprinter did not start listening")


@contextlib.contextmanager
def ippeveprinter(
    spool: Path, *, formats: str = "application/pdf", command: str | None = None
) -> Iterator[str]:
    """Yield the ``ipp://`` URI of a fresh ippeveprinter keeping jobs in ``spool``."""
    assert IPPEVEPRINTER and DBUS_DAEMON
    spool.mkdir(parents=True, exist_ok=True)
    bus = subprocess.Popen(
        [DBUS_DAEMON, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        port = _free_port()
        args = [IPPEVEPRINTER, "-p", str(port), "-n", "localhost", "-r", "off"]
        args += ["-d", str(spool), "-k", "-f", formats, "-M", "Koffer", "-m", "Test A4"]
        if command:
            args += ["-c", command]
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
        printer = subprocess.Popen(
            [*args, "KofferTest"],
            env=env,
            cwd=spool,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_port(port, printer)
            yield f"ipp://127.0.0.1:{port}/ipp/print"
        finally:
            printer.terminate()
            try:
                printer.wait(timeout=5)
            except subprocess.TimeoutExpired:
                printer.kill()
                printer.wait()
    finally:
        bus.terminate()
        bus.wait(timeout=5)
        if bus.stdout is not None:
            bus.stdout.close()


def small_pdf(text: str = "Testseite Bürgerservice-Koffer") -> bytes:
    """A one-page A4 PDF made with reportlab, in memory."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 770, text)
    page.showPage()
    page.save()
    return buffer.getvalue()
