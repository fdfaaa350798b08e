"""Sync goodput over a shaped link: 1 Mbit/s, 100 ms RTT, 2 % loss (issue #4).

The real back end (``koffer backend init`` + ``koffer backend serve``) runs
inside a throw-away network namespace; the real suitcase sync
(``Outbox.sync_once`` with one keep-alive ``Transmitter``, the loop
``koffer sync`` / the outbox worker runs) sends from the host across a shaped
link (see ``netem_link.py``): each direction 1 Mbit/s, 50 ms one-way delay and
2 % random loss applied independently at that direction's egress, before the
rate limiter, so data segments (host → back end) and ACKs plus receipts
(back end → host) are both lost. Kernel ``tc netem`` on a veth pair when the
kernel has ``sch_netem``, else a userspace relay over TUN devices with the
same model.

Envelopes are Personalausweis cases (2 WSQ fingerprints through the real
capture pipeline, a camera-like JPEG photo, signature image and strokes),
stored encrypted and sealed by ``Outbox.seal_case`` before the clock starts;
about 130 KB each. Goodput = sealed envelope bytes acknowledged (verified
receipt) / wall time from opening the transmitter to the last receipt;
capacity = 1 Mbit/s. Target: goodput ≥ 0.8 × capacity.

Usage (as root: needs ``ip netns``)::

    bench_netem.py [--envelopes 60] [--quick] [--link auto|netem|userspace]
                   [--parallel N]

``--parallel N`` additionally sends a second, fresh batch with N keep-alive
connections in parallel (an experiment for the transmitter, bypassing the
outbox state machine). Exit code 2 if the namespace cannot be created.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from bench_intake import _CLI, ROOT, enroll
from bench_sync import FAST, SECRET
from netem_link import ETHERNET_HEADER, LinkError, LinkSpec, ShapedLink
from PIL import Image, ImageChops

from koffer.cases.enums import CaseType
from koffer.cases.samples import sample_case
from koffer.cases.serialize import case_to_dict
from koffer.commands.simulate_visit import capture_attachments
from koffer.crypto import receipts
from koffer.crypto.enrollment import DeviceCredentials
from koffer.devices.pipelines.photo import encode_jpeg
from koffer.devices.synthetic import face_image
from koffer.enrollment import device
from koffer.queue.outbox import Outbox
from koffer.queue.settings import TransmissionSettings
from koffer.queue.transmitter import Transmitter
from koffer.store.store import Store
from koffer.store.unlocked import UnlockedStore

TARGET_RATIO = 0.8
PORT, ENROLL_PORT = 8443, 8444
#: the installed ``koffer`` command (its start-up applies the shipped TLS policy)
KOFFER = [str(Path(sys.executable).parent / "koffer")]
if not Path(KOFFER[0]).exists():
    KOFFER = _CLI
MSS = 1448  # TCP payload per full segment with timestamps (MTU 1500)
WIRE_PER_PAYLOAD = (MSS + 52 + ETHERNET_HEADER) / MSS  # TCP/IP + Ethernet headers


# ------------------------------------------------------------------ envelopes


def camera_photo(seed: int) -> bytes:
    """A 35×45 mm photo at 600 dpi with sensor noise: compresses like a real still."""
    face = face_image(827, 1063).convert("RGB")
    noise = Image.effect_noise(face.size, 2.0 + seed % 3 * 0.25).convert("RGB")
    return encode_jpeg(ImageChops.add(face, noise, scale=1.0, offset=-128))


def attachment_names(payload: dict[str, Any]) -> list[str]:
    """The attachments a Personalausweis payload refers to (as ``capture_attachments``)."""
    names = [entry["attachment"] for entry in payload.get("fingerprints") or []]
    names.append(payload["photo"]["attachment"])
    return names + list(payload.get("signature_attachments") or [])


def add_envelopes(store: UnlockedStore, creds: DeviceCredentials, count: int, seed: int) -> int:
    """``count`` sealed Personalausweis envelopes in the outbox; returns their bytes.

    Image encoding takes ~0.8 s per case, so 4 sets of captured images are made
    through the real pipelines and reused (by file type) for the other cases;
    every envelope still has its own case data and its own HPKE encryption.
    """
    today = datetime.now(UTC).date()
    outbox = Outbox.open(store)
    sets: list[dict[str, list[bytes]]] = []
    total = 0
    for n in range(count):
        payload = case_to_dict(sample_case(CaseType.PERSONALAUSWEIS, seed * 100_000 + n, today))
        if len(sets) < 4:
            captured = capture_attachments(payload, seed * 100 + n)
            captured[payload["photo"]["attachment"]] = camera_photo(seed * 100 + n)
            by_type: dict[str, list[bytes]] = {}
            for name, data in captured.items():
                by_type.setdefault(Path(name).suffix, []).append(data)
            sets.append(by_type)
        pool = sets[n % len(sets)]
        files: dict[str, bytes] = {}
        used: dict[str, int] = {}
        for name in attachment_names(payload):
            kind = Path(name).suffix
            files[name] = pool[kind][used.get(kind, 0) % len(pool[kind])]
            used[kind] = used.get(kind, 0) + 1
        case_id = store.create_case("personalausweis", payload, files, state="completed")
        total += outbox.seal_case(case_id, creds).envelope_size
    return total


# ------------------------------------------------------------------ measurement


@dataclass
class TimedSender:
    """Wraps a Transmitter (the ``Sender`` protocol): records size and time per send."""

    tx: Transmitter
    sends: list[tuple[int, float, bool]] = field(default_factory=list)

    def send(self, envelope_id: str, data: bytes, payload_hash: str | None) -> receipts.Receipt:
        t = time.perf_counter()
        try:
            receipt = self.tx.send(envelope_id, data, payload_hash)
        except Exception:
            self.sends.append((len(data), time.perf_counter() - t, False))
            raise
        self.sends.append((len(data), time.perf_counter() - t, True))
        return receipt


class SocketWatch(threading.Thread):
    """Polls ``ss -ti`` for the client's connections to ``dst``: retransmits per connection."""

    _RETRANS = re.compile(r"retrans:\d+/(\d+)")

    def __init__(self, dst: str) -> None:
        super().__init__(daemon=True)
        self.dst = dst
        self.retrans: dict[str, int] = {}
        self._halt = threading.Event()

    def poll(self) -> None:
        out = subprocess.run(
            ["ss", "-tinH", "dst", self.dst], capture_output=True, text=True, check=False
        ).stdout
        local = ""
        for line in out.splitlines():
            if not line.startswith((" ", "\t")):
                fields = line.split()
                local = fields[3] if len(fields) > 3 else ""
                self.retrans.setdefault(local, 0)
            else:
                m = self._RETRANS.search(line)
                if m and local:
                    self.retrans[local] = max(self.retrans[local], int(m.group(1)))

    def run(self) -> None:
        while not self._halt.wait(0.25):
            self.poll()

    def stop(self) -> None:
        self._halt.set()
        self.join()


def wait_listening(host: str, port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"back end exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=2.0):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("back end did not start")


# ------------------------------------------------------------------ runs


def sync_outbox(outbox: Outbox, creds: DeviceCredentials) -> tuple[float, TimedSender]:
    """The real sync loop: batches of ``sync_once`` on one Transmitter until nothing is sent."""
    start = time.perf_counter()
    with Transmitter(creds) as tx:
        sender = TimedSender(tx)
        while True:
            report = outbox.sync_once(sender)
            if report.sent == 0 or report.stopped:
                break
    return time.perf_counter() - start, sender


def send_parallel(
    outbox: Outbox, creds: DeviceCredentials, connections: int
) -> tuple[float, list[TimedSender]]:
    """Experiment: the sealed envelopes over ``connections`` keep-alive connections at once."""
    work = [(e.envelope_id, outbox.envelope(e.envelope_id)) for e in outbox.list(["sealed"])]
    start = time.perf_counter()
    txs = [Transmitter(creds) for _ in range(connections)]
    senders = [TimedSender(tx) for tx in txs]
    try:
        with ThreadPoolExecutor(connections) as pool:
            chunks = [work[i::connections] for i in range(connections)]

            def run(index: int) -> None:
                for envelope_id, data in chunks[index]:
                    senders[index].send(envelope_id, data, None)

            list(pool.map(run, range(connections)))
    finally:
        for tx in txs:
            tx.close()
    return time.perf_counter() - start, senders


def report(
    label: str, seconds: float, sends: list[tuple[int, float, bool]], spec: LinkSpec
) -> float:
    ok = [(size, t) for size, t, good in sends if good]
    acked = sum(size for size, _ in ok)
    failed = sum(1 for *_, good in sends if not good)
    goodput = acked * 8 / seconds
    ratio = goodput / spec.rate_bit
    verdict = "OK" if ratio >= TARGET_RATIO else "MISSED"
    print(f"{label}:")
    print(f"  envelopes acknowledged {len(ok)} (failed sends {failed}), bytes {acked:,}")
    print(f"  wall {seconds:.1f} s, goodput {goodput / 1000:.0f} kbit/s")
    print(
        f"  ratio vs capacity {ratio:.2f} (target ≥ {TARGET_RATIO}: {verdict}; "
        f"{ratio / TARGET_RATIO:.2f} of target)"
    )
    if ok:
        wire = [size * WIRE_PER_PAYLOAD * 8 / spec.rate_bit for size, _ in ok]
        extra = [t - w for (_, t), w in zip(ok, wire, strict=True)]
        print(
            f"  per envelope: median {statistics.median(t for _, t in ok) * 1000:.0f} ms, "
            f"of which pure wire time {statistics.median(wire) * 1000:.0f} ms; first send "
            f"{ok[0][1] * 1000:.0f} ms (incl. TCP+TLS set-up)"
        )
        print(
            f"  time beyond wire time: median {statistics.median(extra) * 1000:.0f} ms/envelope, "
            f"sum {sum(extra):.1f} s = {sum(extra) / seconds:.0%} of the wall time"
        )
    return ratio


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--envelopes", type=int, default=60)
    ap.add_argument("--quick", action="store_true", help="8 envelopes (~15 s of sync)")
    ap.add_argument("--link", choices=("auto", "netem", "userspace"), default="auto")
    ap.add_argument("--parallel", type=int, default=0, metavar="N")
    ap.add_argument(
        "--max-in-flight",
        type=int,
        default=TransmissionSettings().max_in_flight,
        help="[transmission] max_in_flight for the real sync (default: the shipped default)",
    )
    ap.add_argument("--rate-kbit", type=float, default=1000.0)
    ap.add_argument("--rtt-ms", type=float, default=100.0)
    ap.add_argument("--loss-percent", type=float, default=2.0)
    args = ap.parse_args()
    count = 8 if args.quick else args.envelopes
    spec = LinkSpec(args.rate_kbit * 1000, args.rtt_ms / 2000, args.loss_percent / 100)

    def _terminate(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    link = ShapedLink(spec, args.link)
    backend: subprocess.Popen[bytes] | None = None
    try:
        try:
            link.open()
        except (LinkError, OSError) as exc:
            print(f"cannot build the shaped link / network namespace: {exc}", file=sys.stderr)
            print("run as root with iproute2 (ip netns, tc) available", file=sys.stderr)
            return 2
        print(
            f"link: {link.method}; each direction {spec.rate_bit / 1e6:g} Mbit/s, "
            f"{spec.one_way_delay * 1000:g} ms one-way, {spec.loss:.0%} loss at egress, "
            f"queue limit {spec.limit} packets"
        )
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            bdir = tmp / "backend"
            url = f"https://{link.server_ip}:{PORT}"
            subprocess.run(
                [*KOFFER, "backend", "init", "--data-dir", str(bdir), "--url", url],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            argv = [*KOFFER, "backend", "serve", "--data-dir", str(bdir), "--host", link.server_ip]
            backend = subprocess.Popen(
                [*link.exec_prefix(), *argv], cwd=ROOT, stdout=subprocess.DEVNULL
            )
            wait_listening(link.server_ip, PORT, backend, 60.0)
            wait_listening(link.server_ip, ENROLL_PORT, backend, 60.0)
            creds = DeviceCredentials.from_bytes(enroll(bdir, None, ["netem-koffer"])[0])
            Store.create(tmp / "koffer", "admin", SECRET, FAST)
            with Store.open(tmp / "koffer", FAST) as store, store.unlock("admin", SECRET) as st:
                device.save_credentials(st, creds)
                t = time.perf_counter()
                total = add_envelopes(st, creds, count, seed=1)
                print(
                    f"prepared {count} sealed Personalausweis envelopes, "
                    f"{total / count / 1000:.0f} KB each, in {time.perf_counter() - t:.1f} s"
                )
                outbox = Outbox.open(
                    st,
                    dataclasses.replace(TransmissionSettings(), max_in_flight=args.max_in_flight),
                )
                print(f"sync with max_in_flight = {args.max_in_flight}")
                watch = SocketWatch(link.server_ip)
                server_before = link.ns_tcp_counters()
                watch.start()
                seconds, sender = sync_outbox(outbox, creds)
                watch.poll()
                watch.stop()
                server_after = link.ns_tcp_counters()
                ratio = report(
                    "sync (Outbox.sync_once, one Transmitter)", seconds, sender.sends, spec
                )
                retrans = sum(watch.retrans.values())
                server = server_after.get("RetransSegs", 0) - server_before.get("RetransSegs", 0)
                print(
                    f"  TCP connections {len(watch.retrans)}; retransmitted segments: "
                    f"client {retrans}, back end {server}"
                )
                print(f"  outbox afterwards: {outbox.counts()}")
                if args.parallel > 0:
                    add_envelopes(st, creds, count, seed=2)
                    watch = SocketWatch(link.server_ip)
                    watch.start()
                    seconds, senders = send_parallel(outbox, creds, args.parallel)
                    watch.poll()
                    watch.stop()
                    sends = [s for snd in senders for s in snd.sends]
                    report(
                        f"experiment: {args.parallel} parallel connections", seconds, sends, spec
                    )
                    print(f"  TCP connections {len(watch.retrans)}")
        return 0 if ratio >= TARGET_RATIO else 1
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        if backend is not None:
            backend.terminate()
            try:
                backend.wait(timeout=15)
            except subprocess.TimeoutExpired:
                backend.kill()
                backend.wait()
        link.close()
        if link.relay_stats:
            print(f"link counters (relay): {link.relay_stats}")


if __name__ == "__main__":
    sys.exit(main())
