"""Figures of the reliability suite and the generator of ``docs/reliability.md``.

Each scenario calls :func:`record` once with what it did (iterations, faults
injected) and what it found (cases lost, duplicates, plaintext hits). The
pytest session (``tests/reliability/conftest.py``) or the soak script
(``benchmarks/soak_reliability.py``) then calls :func:`write` to render the
Markdown note. Nothing here touches the product.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT_PATH = ROOT / "docs" / "reliability.md"
ENV_FLAG = "KOFFER_WRITE_RELIABILITY_REPORT"


@dataclass
class Scenario:
    area: str
    name: str
    iterations: int
    faults: int
    lost: int = 0
    duplicates: int = 0
    hits: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class Notes:
    scenarios: list[Scenario] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


RESULTS = Notes()


def record(
    area: str,
    name: str,
    *,
    iterations: int,
    faults: int,
    lost: int = 0,
    duplicates: int = 0,
    hits: int = 0,
    seconds: float = 0.0,
    note: str = "",
) -> Scenario:
    """Note one scenario's figures (call after its assertions passed or failed)."""
    entry = Scenario(area, name, iterations, faults, lost, duplicates, hits, seconds, note)
    RESULTS.scenarios.append(entry)
    return entry


def skipped(name: str, reason: str) -> None:
    """Note a scenario that could not run here, and why."""
    RESULTS.skipped.append((name, reason))


def wanted() -> bool:
    return os.environ.get(ENV_FLAG, "") == "1"


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.start, 2)


FEASIBILITY = """\
## What was feasible here, and how

- **Crash.** Real `SIGKILL`s of real processes: the headless visit
  (`koffer simulate-visit --sync`, run through `koffer.commands.cli.main` in a forked
  child), a draft-editing visit (`tests/reliability/procs.py`: capture,
  save field by field, complete, seal, send) and the outbox sender
  (`tests/integration/transmission/sender_process.py`). Each is killed at a
  random delay, then run again on the same data directory. Invariants: every
  sealed case is at the back end exactly once (compared by envelope id and by
  case id), every draft present after a kill loads with all its attachments,
  `PRAGMA integrity_check` is `ok`.
- **Power loss.** The store runs on a small ext4 image mounted through a loop
  device (needs root and `/dev/loop*`; the test is skipped with a reason
  otherwise). The writer is frozen (`SIGSTOP`) at random instants and the
  *backing image file* is copied: the copy holds exactly what reached the
  block device; everything still in the page cache of the mounted file system
  (written but not yet `fsync`ed) is lost, as in a power cut. Each copy is
  then mounted on its own (ext4 journal replay) and the store opened: integrity
  `ok`, every commit the writer had reported present and consistent.
  Not covered: a disk that reorders or tears writes *across* a completed
  flush (firmware lying about FUA/flush) - that needs a block-level fault
  injector (dm-flakey / dm-log-writes), which this container cannot load.
  Intercepting `fsync` at Python level is not sufficient because SQLite writes
  from C; LD_PRELOAD was not used.
- **Disk full.** A size-limited `tmpfs` (`mount -t tmpfs -o size=…`, root).
  Without root it falls back to SQLite's own limit (`PRAGMA max_page_count`,
  giving `SQLITE_FULL` the same way).
- **Theft.** A visit with known names (people file with NFC and NFD
  spellings), `TMPDIR` pointed at a private directory; the data directory,
  that temp directory, the back end's directory and the captured stdout/stderr
  are scanned for every name in UTF-8, UTF-16-LE and UTF-16-BE, each in NFC and
  NFD. A control plants a name and must be found.
- **Hostile network.** `testssl.sh` (Debian package `testssl.sh`) against both
  ports; a man in the middle with another CA on either side; slow (partial
  header) and oversized (100 MB) requests; fuzzed envelopes (random bytes,
  truncations, bit flips) - every answer 4xx, the server serves on.
- **Bad devices.** The real kiosk (offscreen Qt) with a Personalausweis draft
  open; the real R30x driver over its pyserial `sim://` seam and the real STU
  driver over its pyusb backend, with the wire simulators injecting garbage
  bytes, corrupt frames, an upload that breaks off and stalls, a stalled
  scanner, a cable pulled mid-capture, garbage pen reports and a pad unplugged
  while signing. After each fault the capture either recovered or the clerk got
  a German message, the window answered, and the case read back through a
  second store connection had everything captured before; the next capture
  then worked. Per-driver fault tests are in `tests/contract/*`.

## Findings

Fixed since the first run of this suite:

- TLS 1.3 offered `TLS_CHACHA20_POLY1305_SHA256`, which BSI TR-02102-2 does
  not list. `koffer` now points OpenSSL at its own policy file
  (`koffer/crypto/openssl.cnf`, `Ciphersuites` = the three listed suites)
  before anything loads OpenSSL; `testssl.sh` runs against a real
  `koffer backend serve` process, and a client offering only ChaCha20 is
  refused in the handshake.
- An incomplete request head kept a TLS connection open indefinitely; the
  back end now aborts it after `[backend] header_timeout_seconds` (10 s by
  default).
- The key exchange accepted X25519 (OpenSSL's first choice), which
  TR-02102-2 does not list. The policy file now names the groups
  (`Groups = P-256:P-384:P-521`); a client offering only X25519 is refused
  in TLS 1.3 and in TLS 1.2.
- A request body that stopped arriving held its connection until the client
  gave up. The back end now answers 408 after
  `[backend] body_timeout_seconds` (30 s by default) without a byte; the
  suitcase sends the envelope again later.

Still open:

- A TCP connection that never completes the TLS handshake is held for
  asyncio's 60 s handshake timeout (uvicorn does not expose it); the server
  keeps serving meanwhile.
"""


def render(notes: Notes, *, command: str) -> str:
    rows = notes.scenarios
    total = Scenario("", "", 0, 0)
    for r in rows:
        total.iterations += r.iterations
        total.faults += r.faults
        total.lost += r.lost
        total.duplicates += r.duplicates
        total.hits += r.hits
        total.seconds += r.seconds
    lines = [
        "# Reliability and security: what the suitcase survives",
        "",
        "Generated by the reliability suite (`tests/reliability/report.py`); do not edit by",
        f"hand. Produced with `{command}` on Python {platform.python_version()}.",
        "",
        "## Summary",
        "",
        f"- scenarios run: **{len(rows)}**",
        f"- faults injected (kills, power cuts, bad frames, hostile requests …): "
        f"**{total.faults}**",
        f"- cases lost: **{total.lost}**",
        f"- duplicates at the back end: **{total.duplicates}**",
        f"- plaintext hits: **{total.hits}**",
        f"- run time of the scenarios: {total.seconds:.1f} s",
        "",
        "## Scenarios",
        "",
        "| area | scenario | iterations | faults | lost | duplicates | plaintext hits "
        "| seconds | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in sorted(rows, key=lambda s: (s.area, s.name)):
        lines.append(
            f"| {r.area} | {r.name} | {r.iterations} | {r.faults} | {r.lost} | "
            f"{r.duplicates} | {r.hits} | {r.seconds:.1f} | {r.note} |"
        )
    if notes.skipped:
        lines += ["", "## Not run in this environment", ""]
        lines += [f"- {name}: {reason}" for name, reason in notes.skipped]
    lines += ["", FEASIBILITY]
    return "\n".join(lines).rstrip() + "\n"


def write(notes: Notes = RESULTS, *, command: str, path: Path = REPORT_PATH) -> Path:
    path.write_text(render(notes, command=command), encoding="utf-8")
    return path
