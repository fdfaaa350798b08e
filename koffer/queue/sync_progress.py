"""What ``koffer sync`` (without ``--once``) prints after each batch.

One line per batch of the background worker: the time, what the batch did,
what is still waiting in the Postausgang, and what the command waits for
next ("Warte 30 s bis zum nächsten Versuch …"). No personal data: counts,
states and the back end's own German message only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from koffer.queue.models import DEAD, REJECTED, SEALED, SENDING
from koffer.queue.outbox import Outbox, SyncReport
from koffer.queue.settings import TransmissionSettings


def _seconds(value: float) -> str:
    n = max(1, math.ceil(value))
    return "1 Sekunde" if n == 1 else f"{n} s"


def progress_line(report: SyncReport, counts: Mapping[str, int], wait: float, at: datetime) -> str:
    """The line for one batch; ``wait`` is the pause before the next one (0: none)."""
    waiting = counts.get(SEALED, 0) + counts.get(SENDING, 0)
    problems = counts.get(REJECTED, 0) + counts.get(DEAD, 0)
    done = f"gesendet {report.sent}"
    if report.rejected:
        done += f", abgelehnt {report.rejected}"
    if report.dead:
        done += f", unzustellbar {report.dead}"
    if report.failed:
        done += f", nicht erreicht {report.failed}"
    line = f"{at.astimezone():%H:%M:%S}  {done} · wartet auf Versand: {waiting}"
    if problems:
        line += f" · abgelehnt oder unzustellbar: {problems} (siehe »koffer outbox list«)"
    if report.stopped is not None:
        next_step = f"{report.stopped} Neuer Versuch in {_seconds(wait)} …"
    elif wait <= 0:
        next_step = "Sende weiter …"
    elif waiting == 0:
        next_step = f"Alles gesendet. Nächste Prüfung in {_seconds(wait)} …"
    else:
        next_step = f"Warte {_seconds(wait)} bis zum nächsten Versuch …"
    return f"{line}. {next_step}"


@dataclass
class SyncProgress:
    """The worker's ``on_report``: prints :func:`progress_line` for each batch.

    Runs on the worker's thread, between its batches, so it may read the
    outbox (the store is used by one thread at a time). The pause it names is
    the one the worker takes next: none after a batch that sent something,
    otherwise until the next envelope is due (at most the poll interval), and
    the poll interval while the back end is not reachable.
    """

    outbox: Outbox
    settings: TransmissionSettings
    online: Callable[[], bool]
    out: TextIO
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def wait_after(self, report: SyncReport) -> float:
        if report.sent and report.stopped is None:
            return 0.0
        poll = self.settings.poll_interval
        if not self.online():
            return poll
        due = self.outbox.next_due()
        if due is None:
            return poll
        return max(0.0, min((due - self.clock()).total_seconds(), poll))

    def __call__(self, report: SyncReport) -> None:
        line = progress_line(report, self.outbox.counts(), self.wait_after(report), self.clock())
        print(line, file=self.out, flush=True)
