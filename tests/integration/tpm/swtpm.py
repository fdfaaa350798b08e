"""A real TPM 2.0 simulator for tests and benchmarks: ``swtpm`` on loopback.

:class:`Swtpm` starts ``swtpm socket --tpm2`` with its command port and its
control port on two adjacent free TCP ports of 127.0.0.1 and its state in a
directory of its own, waits until it answers and stops it again. The TSS
reaches it through the real ``swtpm`` TCTI (:attr:`Swtpm.tcti`); nothing is
mocked. Each instance is another TPM: its own seeds, its own lock-out.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
START_TIMEOUT_S = 15.0


def _port_pair() -> int:
    """A port P such that P and P + 1 are both free on the loopback."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as first:
            first.bind((HOST, 0))
            port = int(first.getsockname()[1])
            if port >= 65535:
                continue
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as second:
                try:
                    second.bind((HOST, port + 1))
                except OSError:
                    continue
        return port
    raise RuntimeError("no two adjacent free loopback ports")


class Swtpm:
    """One running ``swtpm`` process with its state in ``state_dir``."""

    def __init__(self, state_dir: Path) -> None:
        binary = shutil.which("swtpm")
        if binary is None:
            raise RuntimeError("swtpm is not installed (Debian package swtpm)")
        self.state_dir = state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        self.port = _port_pair()
        self._log = state_dir / "swtpm.log"
        self._proc = subprocess.Popen(
            [
                binary,
                "socket",
                "--tpm2",
                "--server",
                f"type=tcp,port={self.port},bindaddr={HOST}",
                "--ctrl",
                f"type=tcp,port={self.port + 1},bindaddr={HOST}",
                "--flags",
                "not-need-init,startup-clear",
                "--tpmstate",
                f"dir={state_dir}",
                "--log",
                f"file={self._log}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_ready()

    @property
    def tcti(self) -> str:
        """The TCTI string for the TSS (``swtpm:host=…,port=…``)."""
        return f"swtpm:host={HOST},port={self.port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode() if self._proc.stderr else ""
                raise RuntimeError(f"swtpm exited ({self._proc.returncode}): {err}")
            try:
                with socket.create_connection((HOST, self.port + 1), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("swtpm did not start in time")

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        if self._proc.stderr is not None:
            self._proc.stderr.close()

    def __enter__(self) -> Swtpm:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
