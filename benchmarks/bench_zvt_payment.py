"""Wire time of one card payment through the real ZVT driver, terminal time
excluded (the simulator runs with no card or PIN delays).

Authorization 06 01 with three intermediate statuses, status information,
two receipt text blocks and the completion, each acknowledged, over loopback
TCP and over a pseudo terminal (DLE/STX frames, CRC, line ACK). Budget: the
exchange itself should stay under 1 s, a small part of the 20 s a card
payment may add to the clerk's time (issue 22).

    .venv/bin/python benchmarks/bench_zvt_payment.py
"""

from __future__ import annotations

import statistics
import time

from koffer.devices.interfaces import SilentPrompt
from koffer.drivers.zvt.driver import ZvtTerminal
from koffer.drivers.zvt.sim_servers import PtyServer, TcpServer
from koffer.drivers.zvt.simulator import ZvtSimulator
from koffer.drivers.zvt.transport import Link, SerialLink, TcpLink

BUDGET_MS = 1000.0
PAYMENTS = 30


def measure(transport: str) -> list[float]:
    simulator = ZvtSimulator()
    server: TcpServer | PtyServer = (
        TcpServer(simulator) if transport == "tcp" else PtyServer(simulator)
    )
    timings: list[float] = []
    with server:
        link: Link = (
            TcpLink("127.0.0.1", server.port)
            if isinstance(server, TcpServer)
            else SerialLink(server.path)
        )
        with ZvtTerminal(link, password="000000") as terminal:
            for _ in range(PAYMENTS):
                start = time.perf_counter()
                result = terminal.pay(4600, SilentPrompt())
                timings.append((time.perf_counter() - start) * 1000)
                assert result.approved
    return timings


def main() -> None:
    for transport in ("tcp", "pty"):
        timings = measure(transport)
        median = statistics.median(timings)
        print(
            f"{transport}: payment exchange median {median:.1f} ms, max {max(timings):.1f} ms "
            f"({PAYMENTS} payments); budget {BUDGET_MS:.0f} ms, ratio {median / BUDGET_MS:.3f}"
        )


if __name__ == "__main__":
    main()
