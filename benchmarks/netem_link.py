"""A shaped point-to-point link between the host and a throw-away network namespace.

Used by ``bench_netem.py``. Two ways to build the same link:

``netem``
    a veth pair, ``tc qdisc … netem delay D loss L rate R limit N`` on the
    egress of BOTH ends (host end shapes host → namespace, namespace end shapes
    namespace → host). Needs the kernel's ``sch_netem``.
``userspace``
    for kernels without ``sch_netem`` (CONFIG_NET_SCH_NETEM unset, e.g. small
    VM kernels): two TUN devices, one on the host and one moved into the
    namespace, and a relay process (``python netem_link.py relay …``) that
    copies IP packets between them with the same model as netem: at enqueue
    a packet is dropped with probability L (a lost packet uses no link time),
    else tail-dropped if N packets are already queued; it then waits for the
    serializer (R bit/s, counting 14 bytes of Ethernet header per packet like
    netem on veth) and is delivered D seconds after its last bit left.

Either way each direction loses packets independently at its own egress, so
data segments (host → namespace) and ACKs/receipts (namespace → host) are
both hit. Everything is torn down in :meth:`ShapedLink.close` (netns, devices,
relay process), which also runs on Ctrl-C via the caller's ``finally``.
"""

from __future__ import annotations

import argparse
import collections
import fcntl
import json
import os
import random
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

ETHERNET_HEADER = 14
_TUNSETIFF = 0x400454CA
_IFF_TUN = 0x0001
_IFF_NO_PI = 0x1000


class LinkError(RuntimeError):
    """The namespace or the shaped link could not be built."""


@dataclass(frozen=True)
class LinkSpec:
    rate_bit: float = 1_000_000.0
    one_way_delay: float = 0.050
    loss: float = 0.02
    limit: int = 1000  # packets, netem's default queue limit

    def netem_args(self) -> list[str]:
        return [
            "netem",
            "delay",
            f"{self.one_way_delay * 1000:g}ms",
            "loss",
            f"{self.loss * 100:g}%",
            "rate",
            f"{self.rate_bit:g}bit",
            "limit",
            str(self.limit),
        ]


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LinkError(f"{' '.join(argv)}: {done.stderr.strip() or done.returncode}")


class ShapedLink:
    """Netns ``ns`` reachable from the host at :attr:`server_ip` over a shaped link."""

    def __init__(self, spec: LinkSpec, method: str = "auto") -> None:
        self.spec = spec
        tag = os.getpid() % 100_000
        self.ns = f"koffer-netem-{tag}"
        self._host_if = f"kn{tag}h"
        self._ns_if = f"kn{tag}n"
        net = f"10.{200 + tag % 50}.{tag % 250}"
        self.client_ip, self.server_ip = f"{net}.1", f"{net}.2"
        self.method = ""
        self._relay: subprocess.Popen[str] | None = None
        self._ns_made = False
        self._requested = method
        self.relay_stats: dict[str, object] = {}

    # -------------------------------------------------------------- set-up

    def open(self) -> ShapedLink:
        """Create the namespace (LinkError if impossible) and the shaped link."""
        _run(["ip", "netns", "add", self.ns])
        self._ns_made = True
        _run(["ip", "-n", self.ns, "link", "set", "lo", "up"])
        if self._requested in ("auto", "netem"):
            try:
                self._open_netem()
                self.method = "netem"
                return self
            except LinkError:
                self._drop_veth()
                if self._requested == "netem":
                    raise
        self._open_userspace()
        self.method = "userspace"
        return self

    def _open_netem(self) -> None:
        _run(["ip", "link", "add", self._host_if, "type", "veth", "peer", "name", self._ns_if])
        _run(["ip", "link", "set", self._ns_if, "netns", self.ns])
        for dev, ns in ((self._host_if, None), (self._ns_if, self.ns)):
            prefix = ["ip", "netns", "exec", ns] if ns else []
            # netem drops whole GSO super-packets: segment in software first (best effort)
            if shutil.which("ethtool"):
                subprocess.run(
                    [*prefix, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off"],
                    capture_output=True,
                    check=False,
                )
            _run([*prefix, "tc", "qdisc", "add", "dev", dev, "root", *self.spec.netem_args()])
        self._address()

    def _open_userspace(self) -> None:
        argv = [
            sys.executable,
            os.path.abspath(__file__),
            "relay",
            self._host_if,
            self._ns_if,
            "--rate",
            str(self.spec.rate_bit),
            "--delay",
            str(self.spec.one_way_delay),
            "--loss",
            str(self.spec.loss),
            "--limit",
            str(self.spec.limit),
        ]
        self._relay = subprocess.Popen(
            argv, stdout=subprocess.PIPE, text=True, start_new_session=True
        )
        assert self._relay.stdout is not None
        if self._relay.stdout.readline().strip() != "ready":
            raise LinkError("relay process did not start (needs /dev/net/tun)")
        _run(["ip", "link", "set", self._ns_if, "netns", self.ns])
        self._address()

    def _address(self) -> None:
        _run(["ip", "addr", "add", f"{self.client_ip}/30", "dev", self._host_if])
        _run(["ip", "link", "set", self._host_if, "up"])
        _run(["ip", "-n", self.ns, "addr", "add", f"{self.server_ip}/30", "dev", self._ns_if])
        _run(["ip", "-n", self.ns, "link", "set", self._ns_if, "up"])

    # -------------------------------------------------------------- use

    def exec_prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.ns]

    def ns_tcp_counters(self) -> dict[str, int]:
        """The namespace's own ``Tcp:`` counters (RetransSegs, OutSegs, ...)."""
        text = subprocess.run(
            [*self.exec_prefix(), "cat", "/proc/net/snmp"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        rows = [line.split()[1:] for line in text.splitlines() if line.startswith("Tcp:")]
        if len(rows) < 2:
            return {}
        return {k: int(v) for k, v in zip(rows[0], rows[1], strict=True)}

    # -------------------------------------------------------------- tear-down

    def _drop_veth(self) -> None:
        subprocess.run(["ip", "link", "del", self._host_if], capture_output=True, check=False)

    def close(self) -> None:
        if self._relay is not None:
            self._relay.send_signal(signal.SIGTERM)
            try:
                out, _ = self._relay.communicate(timeout=10)
                self.relay_stats = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
            except (subprocess.TimeoutExpired, ValueError, IndexError):
                self._relay.kill()
                self._relay.wait()
            self._relay = None
        self._drop_veth()
        if self._ns_made:
            subprocess.run(["ip", "netns", "del", self.ns], capture_output=True, check=False)
            self._ns_made = False

    def __enter__(self) -> ShapedLink:
        return self.open()

    def __exit__(self, *_exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ the relay


def _tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, _TUNSETIFF, struct.pack("16sH", name.encode(), _IFF_TUN | _IFF_NO_PI))
    return fd


class _Direction:
    """One direction of the emulated link: loss, FIFO serializer, propagation delay."""

    def __init__(self, spec: LinkSpec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng
        self.queue: collections.deque[tuple[float, bytes]] = collections.deque()
        self.busy_until = 0.0
        self.packets = self.bytes = self.lost = self.overflow = 0

    def enqueue(self, packet: bytes, now: float) -> None:
        self.packets += 1
        if self.rng.random() < self.spec.loss:
            self.lost += 1
            return
        if len(self.queue) >= self.spec.limit:
            self.overflow += 1
            return
        self.bytes += len(packet)
        start = max(now, self.busy_until)
        self.busy_until = start + (len(packet) + ETHERNET_HEADER) * 8 / self.spec.rate_bit
        self.queue.append((self.busy_until + self.spec.one_way_delay, packet))

    def stats(self) -> dict[str, int]:
        return {
            "packets": self.packets,
            "bytes_delivered": self.bytes,
            "lost": self.lost,
            "queue_overflow": self.overflow,
        }


def relay(host_if: str, ns_if: str, spec: LinkSpec, seed: int | None = None) -> dict[str, object]:
    """Copy packets between the two TUN devices until SIGTERM; return per-direction stats."""
    stop = False

    def _stop(_sig: int, _frame: FrameType | None) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    host_fd, ns_fd = _tun(host_if), _tun(ns_if)
    rng = random.Random(seed)
    up, down = _Direction(spec, rng), _Direction(spec, rng)  # host→ns, ns→host
    routes = {host_fd: (up, ns_fd), ns_fd: (down, host_fd)}
    print("ready", flush=True)
    while not stop:
        now = time.monotonic()
        due = [d.queue[0][0] for d in (up, down) if d.queue]
        timeout = min(0.05, max(0.0, min(due) - now)) if due else 0.05
        try:
            readable, _, _ = select.select([host_fd, ns_fd], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in readable:
            direction = routes[fd][0]
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                direction.enqueue(packet, now)
        for direction, out_fd in routes.values():
            while direction.queue and direction.queue[0][0] <= now:
                try:
                    os.write(out_fd, direction.queue.popleft()[1])
                except OSError:
                    pass  # device not up yet / gone: the packet is lost like on a wire
    return {"host_to_ns": up.stats(), "ns_to_host": down.stats()}


def _main() -> None:
    ap = argparse.ArgumentParser(description="userspace netem relay between two TUN devices")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("relay")
    r.add_argument("host_if")
    r.add_argument("ns_if")
    r.add_argument("--rate", type=float, required=True, help="bit/s")
    r.add_argument("--delay", type=float, required=True, help="one-way seconds")
    r.add_argument("--loss", type=float, required=True, help="fraction, e.g. 0.02")
    r.add_argument("--limit", type=int, default=1000, help="queue limit in packets")
    r.add_argument("--seed", type=int)
    args = ap.parse_args()
    spec = LinkSpec(args.rate, args.delay, args.loss, args.limit)
    print(json.dumps(relay(args.host_if, args.ns_if, spec, args.seed)), flush=True)


if __name__ == "__main__":
    _main()
