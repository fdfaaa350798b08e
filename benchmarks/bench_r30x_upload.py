"""R30x image upload at 57,600 baud over the pty peer, against the line-rate limit.

The simulator paces its replies at 10 bits per byte (8N1) for 57,600 baud;
the real driver reads them from ``/dev/pts/N`` through pyserial. The limit is
the wire bytes of the capture (GenImg ack, UpImage ack, data packets) times
10 / 57,600 s. A ratio close to 1.0 means the driver adds almost nothing.

    .venv/bin/python benchmarks/bench_r30x_upload.py
"""

from __future__ import annotations

import time

from koffer.devices.interfaces import SilentPrompt
from koffer.drivers.r30x.driver import R30xScanner
from koffer.drivers.r30x.sim_pty import PtyPeer
from koffer.drivers.r30x.simulator import R30xSimulator

BAUD = 57600
RUNS = 2


def main() -> None:
    sim = R30xSimulator()
    with PtyPeer(sim) as peer, R30xScanner(peer.port, baudrate=BAUD, reply_timeout=2.0) as scanner:
        sim.configure(line_rate=BAUD)
        image_bytes = (scanner.width * scanner.height + 1) // 2
        packets = -(-image_bytes // scanner.packet_size)
        wire = 2 * 12 + image_bytes + packets * 11
        limit = wire * 10 / BAUD
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            image = scanner.capture(SilentPrompt(), timeout=30)
            times.append(time.perf_counter() - start)
        assert image.width * image.height == len(image.pixels)
    best = min(times)
    print(f"image {scanner.width}x{scanner.height}, packet size {scanner.packet_size}")
    print(f"wire bytes {wire} ({packets} data packets, overhead {packets * 11 + 24} B)")
    print(f"line-rate limit at {BAUD} baud: {limit:.2f} s")
    print(f"measured: best {best:.2f} s, runs {', '.join(f'{t:.2f}' for t in times)} s")
    print(f"ratio measured/limit = {best / limit:.3f}")


if __name__ == "__main__":
    main()
