"""Relay nodes and a throw-away HAProxy in front of them (tests and benchmarks).

- :func:`start_node` runs ``koffer backend serve --port 0 --enroll-port 0`` on
  a relay's data directory: the kernel picks the node's ports (no race), the
  node prints them in its first line.
- :class:`HAProxy` runs Debian's ``haproxy`` in the foreground (``-db``) with
  its own configuration in ``mode tcp`` (TLS passed through, mutual TLS ends
  at the node), round robin, a TCP health check per node and a stats socket
  (``show stat``) to see which node is up. Nothing of the system's haproxy
  (its unit, /etc/haproxy) is used.
"""

from __future__ import annotations

import csv
import io
import re
import selectors
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_CLI = [
    sys.executable,
    "-c",
    "import sys; from koffer.commands.cli import main; sys.exit(main(sys.argv[1:]))",
]
_LISTENING = re.compile(r"https://[^:]+:(\d+) \(Einrichtung: https://[^:]+:(\d+)\)")


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    proc: subprocess.Popen[bytes]
    port: int
    enroll_port: int
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def launch_node(
    data_dir: Path, log: Path, *, workers: int = 1, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start one relay node on kernel-chosen loopback ports (see :func:`wait_node`)."""
    argv = [*_CLI, "backend", "serve", "--data-dir", str(data_dir), "--port", "0"]
    argv += ["--enroll-port", "0", "--workers", str(workers)]
    with log.open("wb") as err:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, cwd=cwd)


def wait_node(proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> Node:
    """The node once it listens: its ports from its first line."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                proc.kill()
                raise RuntimeError(f"relay node did not start: {log.read_text()[-2000:]}")
            chunk = proc.stdout.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                raise RuntimeError(f"relay node exited: {log.read_text()[-2000:]}")
            line += chunk
    found = _LISTENING.search(line.decode())
    if found is None:
        proc.kill()
        raise RuntimeError(f"unexpected first line of a relay node: {line!r}")
    return Node(proc, int(found.group(1)), int(found.group(2)), log)


def start_nodes(
    data_dir: Path, logs: list[Path], *, workers: int = 1, cwd: Path | None = None
) -> list[Node]:
    """``len(logs)`` nodes on one data directory, started at the same moment."""
    procs = [launch_node(data_dir, log, workers=workers, cwd=cwd) for log in logs]
    nodes: list[Node] = []
    try:
        for proc, log in zip(procs, logs, strict=True):
            nodes.append(wait_node(proc, log))
    except BaseException:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        raise
    return nodes


def haproxy_config(
    intake_port: int, enroll_port: int, nodes: list[tuple[int, int]], stats_socket: Path
) -> str:
    """The configuration of docs/scale-out.md, on loopback, with fast checks for a test."""
    intake = "\n".join(
        f"    server node{i} 127.0.0.1:{port}" for i, (port, _) in enumerate(nodes, 1)
    )
    enroll = "\n".join(
        f"    server node{i} 127.0.0.1:{port}" for i, (_, port) in enumerate(nodes, 1)
    )
    return f"""global
    maxconn 2000
    stats socket {stats_socket} mode 600 level admin

defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 1s
    retries 3
    option redispatch 1
    default-server check inter 200ms fall 2 rise 2

frontend relay_intake
    bind 127.0.0.1:{intake_port}
    default_backend relay_intake_nodes

backend relay_intake_nodes
    balance roundrobin
{intake}

frontend relay_enroll
    bind 127.0.0.1:{enroll_port}
    default_backend relay_enroll_nodes

backend relay_enroll_nodes
    balance roundrobin
{enroll}
"""


class HAProxy:
    """``haproxy -db -f CFG`` with its own stats socket; use as a context manager."""

    def __init__(self, root: Path, intake_port: int, enroll_port: int) -> None:
        self.root = root
        self.intake_port = intake_port
        self.enroll_port = enroll_port
        self.socket = root / "haproxy.sock"
        self.log = root / "haproxy.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, nodes: list[tuple[int, int]], timeout: float = 30.0) -> None:
        binary = haproxy_binary()
        if binary is None:
            raise RuntimeError("haproxy is not installed")
        cfg = self.root / "haproxy.cfg"
        cfg.write_text(haproxy_config(self.intake_port, self.enroll_port, nodes, self.socket))
        self.socket.unlink(missing_ok=True)
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                [binary, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=err
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.log.read_text()[-2000:]}")
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("haproxy did not open its stats socket")

    def stats(self) -> list[dict[str, str]]:
        """``show stat`` as rows (pxname, svname, status, scur, stot, ...)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        text = data.decode().lstrip("# ")
        return list(csv.DictReader(io.StringIO(text)))

    def servers(self, backend: str = "relay_intake_nodes") -> dict[str, dict[str, str]]:
        return {
            row["svname"]: row
            for row in self.stats()
            if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_status(self, wanted: dict[str, str], timeout: float = 30.0) -> None:
        """Wait until every named server of both back ends has its wanted status (UP/DOWN)."""
        deadline = time.monotonic() + timeout
        seen: dict[str, str] = {}
        while time.monotonic() < deadline:
            seen = {}
            for backend in ("relay_intake_nodes", "relay_enroll_nodes"):
                for name, row in self.servers(backend).items():
                    seen[f"{backend}/{name}"] = row["status"].split()[0]
            if all(seen.get(f"{b}/{n}") == s for n, s in wanted.items() for b in _BACKENDS):
                return
            time.sleep(0.05)
        raise AssertionError(f"haproxy servers did not reach {wanted}: {seen}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_BACKENDS = ("relay_intake_nodes", "relay_enroll_nodes")


def start_haproxy(root: Path, nodes: list[tuple[int, int]], attempts: int = 3) -> HAProxy:
    """HAProxy on two free loopback ports; new ports when another process took one meanwhile."""
    for attempt in range(1, attempts + 1):
        proxy = HAProxy(root, free_port(), free_port())
        try:
            proxy.start(nodes)
            return proxy
        except RuntimeError:
            proxy.stop()
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
