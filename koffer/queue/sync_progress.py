"""What ``koffer sync`` (without ``--once``) prints while it runs.

A line for each batch of the background worker that changed something
(sent, rejected, a new connection problem, new envelopes waiting): the time,
what the batch did, what is still waiting in the Postausgang, and what the
command waits for next ("Warte 30 s bis zum nächsten Versuch …"). A batch
that changed nothing (nothing to send, the same connection problem again) is
summed up by a short heartbeat line at most every :attr:`SyncProgress.heartbeat`
seconds, so a quiet night leaves a few lines, not thousands.

German, English with ``language="en"`` (``koffer --lang en sync``). No
personal data: counts, states and the back end's own message only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from koffer import labels
from koffer.queue.models import DEAD, REJECTED, SEALED, SENDING
from koffer.queue.outbox import Outbox, SyncReport
from koffer.queue.settings import TransmissionSettings

#: at most one heartbeat line per this many seconds (10 minutes)
HEARTBEAT_SECONDS = 600.0


def _seconds(value: float, language: str = "de") -> str:
    n = max(1, math.ceil(value))
    if language == "en":
        return "1 second" if n == 1 else f"{n} s"
    return "1 Sekunde" if n == 1 else f"{n} s"


def _moved(report: SyncReport) -> bool:
    """Whether the batch changed the state of an envelope for good."""
    return bool(report.sent or report.rejected or report.dead)


def _done(report: SyncReport, waiting: int, language: str) -> str:
    en = language == "en"
    parts: list[str] = []
    if report.sent:
        parts.append(f"{'sent' if en else 'gesendet'} {report.sent}")
    if report.rejected:
        parts.append(f"{labels.outbox_state(REJECTED, language)} {report.rejected}")
    if report.dead:
        parts.append(f"{labels.outbox_state(DEAD, language)} {report.dead}")
    if report.failed:
        parts.append(f"{'not reached' if en else 'nicht erreicht'} {report.failed}")
    if parts:
        return ", ".join(parts)
    if waiting:
        return "nothing due" if en else "nichts fällig"
    return "nothing to send" if en else "nichts zu senden"


def progress_line(
    report: SyncReport,
    counts: Mapping[str, int],
    wait: float,
    at: datetime,
    language: str = "de",
) -> str:
    """The line for one batch; ``wait`` is the pause before the next one (0: none)."""
    en = language == "en"
    waiting = counts.get(SEALED, 0) + counts.get(SENDING, 0)
    problems = counts.get(REJECTED, 0) + counts.get(DEAD, 0)
    line = f"{at.astimezone():%H:%M:%S}  {_done(report, waiting, language)}"
    line += f" · {labels.outbox_state(SEALED, language)}: {waiting}"
    if problems:
        if en:
            line += f" · rejected or undeliverable: {problems} (see »koffer outbox list«)"
        else:
            line += f" · abgelehnt oder unzustellbar: {problems} (siehe »koffer outbox list«)"
    stopped = report.stopped_en if en and report.stopped_en else report.stopped
    if stopped is not None:
        next_step = f"{stopped} " + (
            f"Next attempt in {_seconds(wait, language)} …"
            if en
            else f"Neuer Versuch in {_seconds(wait)} …"
        )
    elif wait <= 0:
        next_step = "Sending on …" if en else "Sende weiter …"
    elif waiting == 0:
        next_step = (
            f"All sent. Next check in {_seconds(wait, language)} …"
            if en
            else f"Alles gesendet. Nächste Prüfung in {_seconds(wait)} …"
        )
    else:
        next_step = (
            f"Waiting {_seconds(wait, language)} for the next attempt …"
            if en
            else f"Warte {_seconds(wait)} bis zum nächsten Versuch …"
        )
    return f"{line}. {next_step}"


@dataclass
class SyncProgress:
    """The worker's ``on_report``: prints :func:`progress_line` when something changed.

    Runs on the worker's thread, between its batches, so it may read the
    outbox (the store is used by one thread at a time). The pause it names is
    the one the worker takes next: none after a batch that sent something,
    otherwise until the next envelope is due (at most the poll interval), and
    the poll interval while the back end is not reachable.

    A batch is printed when it sent, rejected or gave up on an envelope, or
    when what it would print (apart from the time and the pause) differs from
    the last printed line: the first quiet batch after sending, a new
    connection problem, new envelopes waiting, the back end reachable again.
    Otherwise at most one line per :attr:`heartbeat` seconds says that the
    command is still at work.
    """

    outbox: Outbox
    settings: TransmissionSettings
    online: Callable[[], bool]
    out: TextIO
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    language: str = "de"
    heartbeat: float = HEARTBEAT_SECONDS
    _last_gist: tuple[object, ...] | None = field(default=None, init=False, repr=False)
    _last_at: datetime | None = field(default=None, init=False, repr=False)

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
        counts = self.outbox.counts()
        now = self.clock()
        gist = (
            _moved(report),
            bool(report.failed),
            report.stopped,
            counts.get(SEALED, 0) + counts.get(SENDING, 0),
            counts.get(REJECTED, 0) + counts.get(DEAD, 0),
        )
        quiet = not _moved(report) and gist == self._last_gist
        if (
            quiet
            and self._last_at is not None
            and (now - self._last_at).total_seconds() < self.heartbeat
        ):
            return
        line = progress_line(report, counts, self.wait_after(report), now, self.language)
        print(line, file=self.out, flush=True)
        self._last_gist, self._last_at = gist, now
