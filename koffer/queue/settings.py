"""Settings of the outbox and transmitter (``[transmission]`` table)."""

from __future__ import annotations

from dataclasses import dataclass

from koffer.config import Config


@dataclass(frozen=True)
class TransmissionSettings:
    #: item-level failures after which an envelope is reported overdue (audit
    #: ``envelope_overdue``); it stays in the queue and is retried all the same
    max_attempts: int = 8
    #: first back-off delay and its cap, seconds
    backoff_base: float = 5.0
    backoff_max: float = 3600.0
    #: envelopes per sync batch
    batch_size: int = 50
    #: sent envelopes whose receipts are stored (and envelopes purged) per
    #: store transaction; a crash loses at most these receipts, which the
    #: idempotent resend gets back from the back end
    ack_batch_size: int = 10
    #: envelopes on the way at the same time (one connection each); hides the
    #: round trip on slow links and lets the back end commit several at once.
    #: 2: over a shaped 1 Mbit/s, 100 ms, 2 % loss link (benchmarks/bench_netem.py)
    #: one at a time used 0.73 of the link, two in flight 0.88
    max_in_flight: int = 2
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    #: seconds the background worker waits between polls when idle
    poll_interval: float = 30.0
    #: seconds the suitcase's clock may differ from the back end's ``Date``
    #: before a sync warns about it
    clock_tolerance: float = 120.0

    @classmethod
    def from_config(cls, config: Config) -> TransmissionSettings:
        r = config.reader("transmission")
        d = cls()
        settings = cls(
            max_attempts=r.integer("max_attempts", d.max_attempts, minimum=1),
            backoff_base=r.number("backoff_base_seconds", d.backoff_base, minimum=0.0),
            backoff_max=r.number("backoff_max_seconds", d.backoff_max, minimum=0.0),
            batch_size=r.integer("batch_size", d.batch_size, minimum=1),
            ack_batch_size=r.integer("ack_batch_size", d.ack_batch_size, minimum=1),
            max_in_flight=r.integer("max_in_flight", d.max_in_flight, minimum=1, maximum=16),
            connect_timeout=r.number("connect_timeout_seconds", d.connect_timeout, minimum=0.1),
            read_timeout=r.number("read_timeout_seconds", d.read_timeout, minimum=0.1),
            poll_interval=r.number("poll_interval_seconds", d.poll_interval, minimum=0.05),
            clock_tolerance=r.number(
                "clock_tolerance_seconds", d.clock_tolerance, minimum=1.0, maximum=86400.0
            ),
        )
        r.finish()
        return settings
